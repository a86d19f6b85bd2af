import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing

private func server(apiKeys: [String], adminKeys: [String], models: TemporaryModels) throws -> SwiftletServer {
    try SwiftletServer(configuration: .testing(models: models) {
        $0.apiKeys = apiKeys
        $0.adminKeys = adminKeys
    })
}

@Test func healthNeedsNoKeyButEverythingElseDoes() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try server(apiKeys: ["k1"], adminKeys: ["k1"], models: models))
    try await app.test(.router) { client async throws in
        #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        for uri in ["/v1/models", "/v1/internal/health", "/v1/internal/model/info", "/no/such/route"] {
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .unauthorized, "\(uri)")
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            #expect(response.error?["code"] as? String == "invalid_api_key")
            #expect(response.error?["type"] as? String == "invalid_request_error")
        }
    }
}

@Test func bothHeaderFormsAndEveryListedKeyAreAccepted() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try server(apiKeys: ["first", "second"], adminKeys: ["first", "second"], models: models))
    try await app.test(.router) { client async throws in
        for key in ["first", "second"] {
            #expect(try await client.execute(uri: "/v1/models", method: .get, headers: bearer(key)).status == .ok)
            #expect(try await client.execute(uri: "/v1/models", method: .get, headers: [.xAPIKey: key]).status == .ok)
        }
        let lowercaseScheme = try await client.execute(uri: "/v1/models", method: .get,
                                                       headers: [.authorization: "bearer first"])
        #expect(lowercaseScheme.status == .ok)
    }
}

@Test func wrongOrMalformedKeysAreRejected() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try server(apiKeys: ["secret"], adminKeys: ["secret"], models: models))
    try await app.test(.router) { client async throws in
        let attempts: [HTTPFields] = [
            bearer("wrong"), bearer("secre"), bearer("secret2"), [.xAPIKey: "SECRET"],
            [.authorization: "Basic secret"], [.authorization: "Bearer"], [:],
        ]
        for headers in attempts {
            let response = try await client.execute(uri: "/v1/models", method: .get, headers: headers)
            #expect(response.status == .unauthorized, "\(headers)")
            #expect(response.error?["message"] as? String != nil)
        }
    }
}

@Test func adminRoutesTakeOnlyTheAdminKeyWhenOneIsSet() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try server(apiKeys: ["user"], adminKeys: ["boss"], models: models))
    try await app.test(.router) { client async throws in
        let listWithUserKey = try await client.execute(uri: "/v1/internal/model/list", method: .get, headers: bearer("user"))
        #expect(listWithUserKey.status == .unauthorized)
        let listWithAdminKey = try await client.execute(uri: "/v1/internal/model/list", method: .get, headers: bearer("boss"))
        #expect(listWithAdminKey.status == .ok)
        let unload = try await client.execute(uri: "/v1/internal/model/unload", method: .post, headers: bearer("user"))
        #expect(unload.status == .unauthorized)
        let load = try await client.execute(uri: "/v1/internal/model/load", method: .post, headers: bearer("user"),
                                            body: ByteBuffer(json: #"{"model_name":"tiny"}"#))
        #expect(load.status == .unauthorized)
        // Model info is text-generation-webui's one internal route behind the ordinary key.
        #expect(try await client.execute(uri: "/v1/internal/model/info", method: .get, headers: bearer("user")).status == .ok)
        // The admin key is accepted wherever the API key is.
        #expect(try await client.execute(uri: "/v1/models", method: .get, headers: bearer("boss")).status == .ok)
    }
}

@Test func adminKeyAloneGuardsOnlyAdminRoutes() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try server(apiKeys: [], adminKeys: ["boss"], models: models))
    try await app.test(.router) { client async throws in
        #expect(try await client.execute(uri: "/v1/models", method: .get).status == .ok)
        #expect(try await client.execute(uri: "/v1/internal/model/list", method: .get).status == .unauthorized)
        #expect(try await client.execute(uri: "/v1/internal/model/list", method: .get,
                                         headers: [.xAPIKey: "boss"]).status == .ok)
    }
}

@Test func withoutKeysEverythingIsOpen() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try server(apiKeys: [], adminKeys: [], models: models))
    try await app.test(.router) { client async throws in
        #expect(try await client.execute(uri: "/v1/models", method: .get).status == .ok)
        #expect(try await client.execute(uri: "/v1/internal/model/list", method: .get).status == .ok)
        #expect(try await client.execute(uri: "/v1/internal/model/unload", method: .post).status == .ok)
    }
}
