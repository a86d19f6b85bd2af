import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts the real `swiftlet serve` binary as a child process and talks HTTP to it.
///
/// The binary is `SWIFTLET_BIN` when set, else `swiftlet` next to the test bundle in `.build/<config>/`
/// (SwiftPM builds every product before `swift test` runs the tests).
@Suite(.serialized) struct LiveServeTests {
    @Test func servesHealthModelsAndAuthThenShutsDownOnSIGINT() async throws {
        let models = try TemporaryModels()
        let server = try ServerProcess(arguments: [
            "serve", "--api-port", "\(try freePort())", "--models-dir", models.path, "--model", "tiny",
            "--api-key", "live-key", "--embedding-model", "embed",
        ])
        defer { server.kill() }
        try await server.waitUntilHealthy()

        let health = try await server.get("/health")
        #expect(health.status == 200)
        #expect(health.body == #"{"status":"ok"}"#)

        let list = try await server.get("/v1/models", key: "live-key")
        #expect(list.status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [String: Any])
        let ids = (object["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids == ["tiny", "broken", "embed", "noarch", "other"])

        // The real binary finds the instruction templates and generates (the tiny fixture has no chat
        // template of its own, so this also exercises the Alpaca fallback read from disk).
        let chat = try await server.post("/v1/chat/completions", key: "live-key",
                                         body: #"{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 3}"#)
        #expect(chat.status == 200)
        #expect(chat.body.contains(#""object":"chat.completion""#))
        let streamed = try await server.post("/v1/completions", key: "live-key",
                                             body: #"{"prompt": "a", "max_tokens": 2, "stream": true}"#)
        #expect(streamed.status == 200)
        #expect(streamed.headers["content-type"] == "text/event-stream")
        #expect(streamed.body.hasSuffix("data: [DONE]\n\n"))

        let denied = try await server.get("/v1/models", key: "wrong")
        #expect(denied.status == 401)
        #expect(denied.headers["www-authenticate"] == "Bearer")
        #expect(denied.body.contains(#""code":"invalid_api_key""#))

        let load = try await server.post("/v1/internal/model/load", key: "live-key",
                                         body: #"{"model_name": "other", "args": {"note": "PRIVATE-PROMPT-TEXT"}}"#)
        #expect(load.status == 200)

        let exit = try await server.interruptAndWait()
        #expect(exit == 0)
        let log = server.log
        #expect(log.contains("Swiftlet listening on http://127.0.0.1:"))
        #expect(log.contains("Swiftlet stopped"))
        #expect(!log.contains("PRIVATE-PROMPT-TEXT"), "request bodies must not be logged without --verbose")
    }

    @Test func verboseLogsRequestBodiesAndSIGTERMStopsCleanly() async throws {
        let models = try TemporaryModels()
        let server = try ServerProcess(
            arguments: ["serve", "--api-port", "\(try freePort())", "--models-dir", models.path],
            environment: ["OPENEDAI_DEBUG": "1"])
        defer { server.kill() }
        try await server.waitUntilHealthy()
        _ = try await server.post("/v1/internal/model/load", key: nil,
                                  body: #"{"model_name": "tiny", "args": {"note": "VISIBLE-IN-DEBUG"}}"#)
        #expect(try await server.terminateAndWait() == 0)
        #expect(server.log.contains("VISIBLE-IN-DEBUG"))
        #expect(server.log.contains("Swiftlet stopped"))
    }

    /// The settings file supplies the port and keys; the environment still wins over it.
    @Test func settingsFileConfiguresTheServer() async throws {
        let models = try TemporaryModels()
        let port = try freePort()
        let settings = "\(models.path)/settings.yaml"
        try Data("api_port: 1\napi-key: [s1, s2]\nmodels-dir: \(models.path)\n".utf8)
            .write(to: URL(fileURLWithPath: settings))
        let server = try ServerProcess(arguments: ["serve", "--settings", settings],
                                       environment: ["OPENEDAI_PORT": "\(port)"])
        server.port = port
        defer { server.kill() }
        try await server.waitUntilHealthy()
        #expect(try await server.get("/v1/models").status == 401)
        #expect(try await server.get("/v1/models", key: "s2").status == 200)
        #expect(try await server.interruptAndWait() == 0)
    }

    @Test(arguments: [
        (["serve", "--api-port", "http"], [String: String](), "invalid value 'http' for --api-port"),
        (["serve"], ["OPENEDAI_PORT": "99999"], "invalid value '99999' for OPENEDAI_PORT"),
        (["serve", "--ssl-certfile", "cert.pem"], [:], "TLS needs both a certificate and a key file"),
        (["serve", "--model", "no-such-model", "--models-dir", "/nonexistent"], [:], "model 'no-such-model' not found"),
        (["serve", "--settings", "/nonexistent/settings.yaml"], [:], "cannot read settings file"),
    ])
    func badConfigurationExitsNonZeroWithTheReason(arguments: [String], environment: [String: String],
                                                   message: String) async throws {
        let server = try ServerProcess(arguments: arguments, environment: environment)
        defer { server.kill() }
        let status = try await server.waitForExit(timeout: .seconds(20))
        #expect(status == 2)
        #expect(server.log.contains(message), "\(server.log)")
    }
}

// MARK: - Process and HTTP helpers

/// A `swiftlet` child process whose output goes to a temporary log file.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let logURL: URL
    var port = 0

    init(arguments: [String], environment: [String: String] = [:]) throws {
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-live-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: logURL)
        process.executableURL = try Self.binary()
        process.arguments = arguments
        // Start from a clean slate: OPENEDAI_* variables in the developer's shell would override flags.
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OPENEDAI_") }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = output
        process.standardError = output
        if let index = arguments.firstIndex(of: "--api-port"), index + 1 < arguments.count {
            port = Int(arguments[index + 1]) ?? 0
        }
        try process.run()
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// `SWIFTLET_BIN`, else `swiftlet` in the directory holding the test bundle (or the test runner).
    static func binary() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SWIFTLET_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
        var directories: [URL] = []
        for argument in CommandLine.arguments where argument.contains(".xctest") {
            var url = URL(fileURLWithPath: argument)
            while !url.lastPathComponent.hasSuffix(".xctest"), url.pathComponents.count > 1 {
                url.deleteLastPathComponent()
            }
            directories.append(url.deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL)
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("swiftlet")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw LiveTestError.binaryNotFound(searched: directories.map(\.path))
    }

    func waitUntilHealthy(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw LiveTestError.exitedEarly(log: log) }
            if let response = try? await get("/health"), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw LiveTestError.timedOut(what: "waiting for /health", log: log)
    }

    func get(_ path: String, key: String? = nil) async throws -> HTTPResult {
        try await send(path, method: "GET", key: key, body: nil)
    }

    func post(_ path: String, key: String?, body: String) async throws -> HTTPResult {
        try await send(path, method: "POST", key: key, body: body)
    }

    private func send(_ path: String, method: String, key: String?, body: String?) async throws -> HTTPResult {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        var request = URLRequest(url: url, timeoutInterval: 5)
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for case let (name as String, value as String) in http.allHeaderFields {
            headers[name.lowercased()] = value
        }
        return HTTPResult(status: http.statusCode, headers: headers, body: String(decoding: data, as: UTF8.self))
    }

    /// Sends SIGINT (what Ctrl-C does) and returns the exit status.
    func interruptAndWait(timeout: Duration = .seconds(15)) async throws -> Int32 {
        process.interrupt()
        return try await waitForExit(timeout: timeout)
    }

    /// Sends SIGTERM (what service managers send) and returns the exit status.
    func terminateAndWait(timeout: Duration = .seconds(15)) async throws -> Int32 {
        process.terminate()
        return try await waitForExit(timeout: timeout)
    }

    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw LiveTestError.timedOut(what: "waiting for exit", log: log) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// Last resort for a failed test: never leave a server running.
    func kill() {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: logURL)
    }
}

struct HTTPResult {
    var status: Int
    /// Lower-cased names.
    var headers: [String: String]
    var body: String
}

enum LiveTestError: Error, CustomStringConvertible {
    case binaryNotFound(searched: [String])
    case exitedEarly(log: String)
    case timedOut(what: String, log: String)

    var description: String {
        switch self {
        case let .binaryNotFound(searched):
            "swiftlet binary not found (searched \(searched.joined(separator: ", "))); "
                + "build it with `swift build --product swiftlet` or set SWIFTLET_BIN"
        case let .exitedEarly(log): "swiftlet exited before becoming healthy; its output:\n\(log)"
        case let .timedOut(what, log): "timed out \(what); swiftlet's output:\n\(log)"
        }
    }
}

/// A port nothing listens on right now: bind port 0 on loopback, read the port the kernel chose, close.
func freePort() throws -> Int {
    #if canImport(Glibc)
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}
