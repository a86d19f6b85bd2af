import Foundation

/// Where tests find the repository, its fixtures and the real models fetched by `scripts/fetch_models.py`.
public enum TestPaths {
    /// The repository root, derived from this file's location (Tests/TestSupport/TestPaths.swift).
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `SWIFTLET_MODELS_DIR` when set, else `<repo>/models`.
    public static var modelsDir: URL {
        if let dir = ProcessInfo.processInfo.environment["SWIFTLET_MODELS_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return repoRoot.appendingPathComponent("models")
    }

    /// A committed fixture: `Tests/Fixtures/<group>/<name>`.
    public static func fixture(_ group: String, _ name: String) -> URL {
        repoRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(group).appendingPathComponent(name)
    }

    /// The path of a real model, or an error that says how to fetch it. Tests that need a model fail
    /// (never skip) when it is missing: the test command fetches the models first.
    public static func model(_ model: RealModel) throws -> String {
        let path = modelsDir.appendingPathComponent(model.rawValue).path
        guard FileManager.default.fileExists(atPath: path) else { throw MissingModel(path: path) }
        return path
    }

    public struct MissingModel: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "model not found at \(path); run scripts/fetch_models.py" }
    }
}

/// The models DESIGN.md lists, by their file (or folder) name under the models directory.
public enum RealModel: String, CaseIterable, Sendable {
    case smolLM2 = "SmolLM2-135M-Instruct.Q4_1.gguf"
    case qwen25 = "Qwen2.5-Coder-0.5B-Instruct.gguf"
    case gemma3 = "gemma-3-270m-q4_k_m.gguf"
    case miniLM = "all-MiniLM-L6-v2"
}
