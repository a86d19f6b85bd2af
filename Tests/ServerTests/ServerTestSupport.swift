import Engine
import Foundation
import GGUF
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import TestSupport

/// A temporary models directory: `tiny.gguf` (a copy of the tiny llama fixture: 256-token context,
/// 300-token vocabulary), `other.gguf` (the tiny qwen2 fixture), `broken.gguf` (not GGUF), `noarch.gguf`
/// (valid GGUF without `general.architecture`) and `embed/` (an embedding model directory holding
/// `model.safetensors`).
final class TemporaryModels: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftlet-models-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestPaths.fixture("Engine", "tiny-llama.gguf").path,
                                        toPath: "\(path)/tiny.gguf")
        try FileManager.default.copyItem(atPath: TestPaths.fixture("Engine", "tiny-qwen2.gguf").path,
                                        toPath: "\(path)/other.gguf")
        var noArchitecture = try GGUFWriter()
        try noArchitecture.addTensor(name: "w", type: .f32, shape: [4], data: [UInt8](repeating: 0, count: 16))
        try noArchitecture.write(to: "\(path)/noarch.gguf")
        try Data("definitely not a GGUF file".utf8).write(to: URL(fileURLWithPath: "\(path)/broken.gguf"))
        try FileManager.default.createDirectory(atPath: "\(path)/embed", withIntermediateDirectories: true)
        try Data([0]).write(to: URL(fileURLWithPath: "\(path)/embed/model.safetensors"))
        try Data("ignored".utf8).write(to: URL(fileURLWithPath: "\(path)/notes.txt"))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A loader that fails with an error whose text must never reach a client.
struct LeakyFailingLoader: ModelLoader {
    struct SecretError: Error, CustomStringConvertible {
        var description: String { "stack: /srv/secret/path.swift:42 password=hunter2" }
    }

    func load(_ entry: ModelEntry, options: LoadOptions) async throws -> any ServableModel {
        throw SecretError()
    }
}

/// Wraps the engine loader (on its own engine) and holds every load until `release()`, to observe the
/// server while a load is running.
final class GatedLoader: ModelLoader {
    private let loader = EngineModelLoader(engine: InferenceEngine())
    private let started = AsyncStream<Void>.makeStream()
    private let gate = AsyncStream<Void>.makeStream()

    func load(_ entry: ModelEntry, options: LoadOptions) async throws -> any ServableModel {
        started.continuation.yield()
        for await _ in gate.stream { break }
        return try await loader.load(entry, options: options)
    }

    /// Returns once a load has begun.
    func waitUntilLoading() async {
        for await _ in started.stream { return }
    }

    /// Lets the waiting load (or the next one) go ahead.
    func release() {
        gate.continuation.yield()
    }
}

extension ServeConfiguration {
    /// Defaults with the given models directory; tests adjust the rest.
    static func testing(models: TemporaryModels, _ adjust: (inout ServeConfiguration) -> Void = { _ in }) -> ServeConfiguration {
        var configuration = ServeConfiguration.defaults
        configuration.modelsDirectory = models.path
        configuration.embeddingModel = "embed"
        adjust(&configuration)
        return configuration
    }
}

func makeApplication(_ server: SwiftletServer) -> some ApplicationProtocol {
    Application(router: server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
}

extension HTTPField.Name {
    static let xAPIKey = HTTPField.Name("x-api-key")!
    static let xRequestID = HTTPField.Name("x-request-id")!
}

func bearer(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }

extension TestResponse {
    /// The body as a JSON object (dictionary); nil when it is not one.
    var object: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
    }

    var text: String { String(buffer: body) }

    /// The `error` object of an OpenAI error envelope.
    var error: [String: Any]? { object?["error"] as? [String: Any] }
}

extension ByteBuffer {
    init(json: String) { self.init(string: json) }
}
