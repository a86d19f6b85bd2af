import Foundation

/// A model the server can offer: a `.gguf` file, or a directory holding `model.safetensors` (an
/// embedding model).
public struct ModelEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case gguf
        case embedding
    }

    /// The model id: the file name without `.gguf` (`SmolLM2-135M-Instruct.Q4_1`), or the directory name.
    public var id: String
    /// The file name as on disk (`SmolLM2-135M-Instruct.Q4_1.gguf`); lookups accept it as well as `id`.
    public var fileName: String
    public var path: String
    public var kind: Kind
    /// Modification time, Unix seconds (OpenAI's `created`).
    public var created: Int

    public init(id: String, fileName: String, path: String, kind: Kind, created: Int) {
        self.id = id
        self.fileName = fileName
        self.path = path
        self.kind = kind
        self.created = created
    }
}

/// The models on offer: the models directory, rescanned on every call so files dropped in while the
/// server runs appear, plus models configured by path outside it (`--model`, `--embedding-model`).
public struct ModelCatalog: Sendable {
    public var directory: String
    /// Entries configured by path; they are listed even though they live outside `directory`.
    public var pinned: [ModelEntry]

    public init(directory: String, pinned: [ModelEntry] = []) {
        self.directory = directory
        self.pinned = pinned
    }

    /// Every model, sorted by id; pinned entries replace scanned ones with the same id.
    public func entries() -> [ModelEntry] {
        var byID: [String: ModelEntry] = [:]
        let fileManager = FileManager.default
        let names = (try? fileManager.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            if let entry = Self.entry(at: path) { byID[entry.id] = entry }
        }
        for entry in pinned { byID[entry.id] = entry }
        return byID.values.sorted { $0.id < $1.id }
    }

    /// The model a client means by `name`: an id or a file name. Never a filesystem path: clients
    /// must not be able to make the server open arbitrary files.
    public func find(_ name: String) -> ModelEntry? {
        entries().first { $0.id == name || $0.fileName == name }
    }

    /// An entry for a model on disk, or nil when `path` is neither a `.gguf` file nor a directory with
    /// `model.safetensors`.
    public static func entry(at path: String) -> ModelEntry? {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        let name = (path as NSString).lastPathComponent
        let created = ((try? fileManager.attributesOfItem(atPath: path))?[.modificationDate] as? Date)
            .map { Int($0.timeIntervalSince1970) } ?? 0
        if isDirectory.boolValue {
            let weights = (path as NSString).appendingPathComponent("model.safetensors")
            guard fileManager.fileExists(atPath: weights) else { return nil }
            return ModelEntry(id: name, fileName: name, path: path, kind: .embedding, created: created)
        }
        guard name.lowercased().hasSuffix(".gguf"), name.count > 5 else { return nil }
        return ModelEntry(id: String(name.dropLast(5)), fileName: name, path: path, kind: .gguf, created: created)
    }
}
