import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

private let origin = HTTPField.Name("Origin")!
private let requestMethod = HTTPField.Name("Access-Control-Request-Method")!
private let requestHeaders = HTTPField.Name("Access-Control-Request-Headers")!
private let allowOrigin = HTTPField.Name("Access-Control-Allow-Origin")!
private let allowMethods = HTTPField.Name("Access-Control-Allow-Methods")!
private let allowHeaders = HTTPField.Name("Access-Control-Allow-Headers")!
private let vary = HTTPField.Name("Vary")!

private func application(models: TemporaryModels, origins: [String]) throws -> some ApplicationProtocol {
    makeApplication(try SwiftletServer(configuration: .testing(models: models) {
        $0.corsOrigins = origins
        $0.apiKeys = ["k"]
        $0.adminKeys = ["k"]
    }))
}

// MARK: - CORS

@Test func preflightIsAnsweredWithoutAKey() async throws {
    let models = try TemporaryModels()
    try await application(models: models, origins: ["*"]).test(.router) { client async throws in
        let response = try await client.execute(uri: "/v1/models", method: .options, headers: [
            origin: "https://app.example", requestMethod: "GET", requestHeaders: "authorization, content-type",
        ])
        #expect(response.status == .noContent)
        #expect(response.headers[allowOrigin] == "*")
        #expect(response.headers[allowMethods] == "GET, POST, OPTIONS")
        #expect(response.headers[allowHeaders] == "authorization, content-type")
    }
}

@Test func configuredOriginsAreEchoedOthersRefused() async throws {
    let models = try TemporaryModels()
    let origins = ["https://a.example", "http://localhost:3000"]
    try await application(models: models, origins: origins).test(.router) { client async throws in
        let allowed = try await client.execute(uri: "/v1/internal/model/load", method: .options, headers: [
            origin: "http://localhost:3000", requestMethod: "POST",
        ])
        #expect(allowed.status == .noContent)
        #expect(allowed.headers[allowOrigin] == "http://localhost:3000")
        #expect(allowed.headers[vary] == "Origin")

        let refused = try await client.execute(uri: "/v1/models", method: .options, headers: [
            origin: "https://evil.example", requestMethod: "GET",
        ])
        #expect(refused.status == .forbidden)
        #expect(refused.error?["code"] as? String == "origin_not_allowed")
        #expect(refused.headers[allowOrigin] == nil)

        // Simple requests: the header appears for allowed origins, errors included, and not otherwise.
        let unauthorized = try await client.execute(uri: "/v1/models", method: .get, headers: [origin: "https://a.example"])
        #expect(unauthorized.status == .unauthorized)
        #expect(unauthorized.headers[allowOrigin] == "https://a.example")
        let fromElsewhere = try await client.execute(uri: "/v1/models", method: .get, headers: [
            origin: "https://evil.example", .authorization: "Bearer k",
        ])
        #expect(fromElsewhere.status == .ok)
        #expect(fromElsewhere.headers[allowOrigin] == nil)
    }
}

@Test func optionsWithoutPreflightHeadersIsAnOrdinaryRequest() async throws {
    let models = try TemporaryModels()
    try await application(models: models, origins: ["*"]).test(.router) { client async throws in
        let response = try await client.execute(uri: "/v1/models", method: .options, headers: bearer("k"))
        #expect(response.status == .methodNotAllowed)
    }
}

// MARK: - Host check (live, over a raw client: the test frameworks always send Host: localhost)

/// Sends `GET /health` with `host` as the request authority (the Host header on the wire).
private func hostStatus(_ client: some TestClientProtocol, _ host: String) async throws -> HTTPResponse.Status {
    try await hostResponse(client, host).status
}

private func hostResponse(_ client: some TestClientProtocol, _ host: String) async throws -> TestClient.Response {
    let port = try #require(client.port)
    return try await TestClient.withClient(host: "127.0.0.1", port: port) { raw in
        try await raw.execute(TestClient.Request("/health", method: .get, authority: host))
    }
}

@Test func loopbackHostsPassOthersGet400() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try SwiftletServer(configuration: .testing(models: models)))
    try await app.test(.live) { client async throws in
        for host in ["localhost", "localhost:5000", "LocalHost:1", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:5000"] {
            #expect(try await hostStatus(client, host) == .ok, "\(host)")
        }
        for host in ["evil.example", "evil.example:5000", "localhost.evil.example", "127.0.0.2", "[::2]:5000",
                     "localhost:http", "[::1]x"] {
            #expect(try await hostStatus(client, host) == .badRequest, "\(host)")
        }
        let response = try await hostResponse(client, "rebind.example")
        let body = String(buffer: try #require(response.body))
        #expect(body.contains(#""code":"invalid_host""#))
    }
}

@Test func listenHostIsAcceptedAndWildcardListeningSkipsTheCheck() async throws {
    let models = try TemporaryModels()
    let bound = makeApplication(try SwiftletServer(configuration: .testing(models: models) {
        $0.allowedHosts.insert("192.168.7.7")
    }))
    try await bound.test(.live) { client async throws in
        #expect(try await hostStatus(client, "192.168.7.7:5000") == .ok)
        #expect(try await hostStatus(client, "192.168.7.8:5000") == .badRequest)
    }
    let everywhere = makeApplication(try SwiftletServer(configuration: .testing(models: models) {
        $0.listensOnAllInterfaces = true
    }))
    try await everywhere.test(.live) { client async throws in
        #expect(try await hostStatus(client, "my-server.lan:5000") == .ok)
    }
}

@Test func hostNameParsing() {
    #expect(HostCheckMiddleware.hostName("Example.COM:80") == "example.com")
    #expect(HostCheckMiddleware.hostName("[::1]:5000") == "::1")
    #expect(HostCheckMiddleware.hostName("") == nil)
    #expect(HostCheckMiddleware.hostName(":80") == nil)
    #expect(HostCheckMiddleware.hostName("[::1") == nil)
}
