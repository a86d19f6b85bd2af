import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Servers with real models loaded, for the generation tests.
enum GenerationServers {
    /// One server with SmolLM2-135M-Instruct (the default chat model), shared by the serialized
    /// `SmolLM2Tests`: loading once keeps the suite fast, and running its tests one at a time keeps the
    /// prompt cache in a known state.
    static let smolLM2 = Task<SwiftletServer, any Error> { try await serving(.smolLM2) }

    /// Qwen2.5-Coder-0.5B-Instruct, whose chat template knows tools (for `QwenToolTests`).
    static let qwen25 = Task<SwiftletServer, any Error> { try await serving(.qwen25) }

    private static func serving(_ model: RealModel) async throws -> SwiftletServer {
        _ = try TestPaths.model(model)
        var configuration = ServeConfiguration.defaults
        configuration.modelsDirectory = TestPaths.modelsDir.path
        configuration.model = model.rawValue
        configuration.embeddingModel = RealModel.miniLM.rawValue
        configuration.threads = 2
        configuration.dataDirectory = TestPaths.repoRoot.path
        let server = try SwiftletServer(configuration: configuration)
        await server.manager.loadStartupModel()
        guard await server.manager.loaded != nil else { throw GenerationTestError.modelDidNotLoad }
        return server
    }

    /// A server over a temporary models directory with the tiny llama fixture loaded as `tiny`.
    static func tiny(_ models: TemporaryModels, adjust: (inout ServeConfiguration) -> Void = { _ in })
        async throws -> SwiftletServer {
        let server = try SwiftletServer(configuration: .testing(models: models) { configuration in
            configuration.model = "tiny"
            configuration.dataDirectory = TestPaths.repoRoot.path
            adjust(&configuration)
        })
        await server.manager.loadStartupModel()
        guard await server.manager.loaded != nil else { throw GenerationTestError.modelDidNotLoad }
        return server
    }
}

enum GenerationTestError: Error {
    case modelDidNotLoad
    case timedOut(String)
}

extension TestClientProtocol {
    func post(_ uri: String, json: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(json: json))
    }
}

extension TestResponse {
    /// The body's server-sent events in order: `data:` payloads as they are, comments as `:…` lines.
    var events: [String] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { event in
            event.hasPrefix("data: ") ? String(event.dropFirst(6)) : event
        }
    }

    /// The JSON objects of the `data:` events (neither comments nor `[DONE]`).
    var chunks: [[String: Any]] {
        events.filter { $0.hasPrefix("{") }.compactMap { payload in
            (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any]
        }
    }
}

/// The JSON fragment for a string value (quotes and escapes), for building request bodies.
func jsonString(_ text: String) -> String {
    let data = try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
    let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
    return String(array.dropFirst().dropLast())
}

/// Polls `condition` every 50 ms until it holds; throws after `deadline` (a bound for hangs only, far
/// above the expected time).
func waitUntil(_ what: String, deadline: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let end = ContinuousClock.now + deadline
    while try await !condition() {
        guard ContinuousClock.now < end else { throw GenerationTestError.timedOut(what) }
        try await Task.sleep(for: .milliseconds(50))
    }
}

// MARK: - A raw HTTP client that can hang up mid-response

/// A blocking TCP connection to 127.0.0.1, to read part of a streamed response and then close.
final class RawHTTPConnection {
    private let descriptor: Int32
    private var received: [UInt8] = []

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            _ = Glibc.close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func post(_ path: String, json: String) throws {
        let body = Array(json.utf8)
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw POSIXError(.EPIPE) }
            sent += n
        }
    }

    /// Reads until the text received so far contains `marker`; returns all of it.
    func read(until marker: String) throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains(marker) {
            let n = recv(descriptor, &buffer, buffer.count, 0)
            guard n > 0 else { throw POSIXError(.ECONNRESET) }
            received += buffer[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}
