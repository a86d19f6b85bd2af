import Foundation
import GGUF
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server

/// A temporary models directory with tiny GGUF files written by `GGUFWriter`:
/// `tiny.gguf` (llama, 2048 context, 2 tensors of 16 + 8 elements), `other.gguf` (qwen2), `broken.gguf`
/// (not GGUF), `noarch.gguf` (valid GGUF without `general.architecture`) and `embed/` (an embedding
/// model directory holding `model.safetensors`).
final class TemporaryModels: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftlet-models-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.writeModel(at: "\(path)/tiny.gguf", architecture: "llama", contextLength: 2048)
        try Self.writeModel(at: "\(path)/other.gguf", architecture: "qwen2", contextLength: 4096)
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

    static func writeModel(at path: String, architecture: String, contextLength: UInt32) throws {
        var writer = try GGUFWriter()
        try writer.add("general.architecture", .string(GGUFString(architecture)))
        try writer.add("general.name", .string(GGUFString("Tiny \(architecture)")))
        try writer.add("\(architecture).context_length", .uint32(contextLength))
        try writer.addTensor(name: "token_embd.weight", type: .f32, shape: [4, 4], data: [UInt8](repeating: 0, count: 64))
        try writer.addTensor(name: "output_norm.weight", type: .f32, shape: [8], data: [UInt8](repeating: 0, count: 32))
        try writer.write(to: path)
    }
}

/// A loader that fails with an error whose text must never reach a client.
struct LeakyFailingLoader: ModelLoader {
    struct SecretError: Error, CustomStringConvertible {
        var description: String { "stack: /srv/secret/path.swift:42 password=hunter2" }
    }

    func load(_ entry: ModelEntry, options: LoadOptions) async throws -> any LoadedModel {
        throw SecretError()
    }
}

/// Wraps the GGUF loader with a delay, to observe the server while a load is running.
struct SlowLoader: ModelLoader {
    var delay: Duration

    func load(_ entry: ModelEntry, options: LoadOptions) async throws -> any LoadedModel {
        try await Task.sleep(for: delay)
        return try await GGUFModelLoader().load(entry, options: options)
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
