import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing

private func ids(_ response: TestResponse) -> [String] {
    ((response.object?["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
}

@Test func modelsListsTheDirectoryInOpenAIShape() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try SwiftletServer(configuration: .testing(models: models)))
    try await app.test(.router) { client async throws in
        for uri in ["/v1/models", "/models"] {
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .ok)
            #expect(response.object?["object"] as? String == "list")
            // broken.gguf and noarch.gguf are listed: listing does not open files, loading validates them.
            #expect(ids(response) == ["broken", "embed", "noarch", "other", "tiny"])
            let first = try #require((response.object?["data"] as? [[String: Any]])?.first)
            #expect(first["object"] as? String == "model")
            #expect(first["owned_by"] as? String == "swiftlet")
            #expect((first["created"] as? Int ?? 0) > 1_600_000_000)
        }
    }
}

@Test func loadedModelIsListedFirst() async throws {
    let models = try TemporaryModels()
    let server = try SwiftletServer(configuration: .testing(models: models) { $0.model = "tiny" })
    await server.manager.loadStartupModel()
    try await makeApplication(server).test(.router) { client async throws in
        #expect(ids(try await client.execute(uri: "/v1/models", method: .get))
            == ["tiny", "broken", "embed", "noarch", "other"])
    }
}

@Test func modelLookupByIdOrFileName() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try SwiftletServer(configuration: .testing(models: models)))
    try await app.test(.router) { client async throws in
        for uri in ["/v1/models/tiny", "/v1/models/tiny.gguf", "/models/tiny", "/v1/models/embed"] {
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .ok, "\(uri)")
            #expect(response.object?["object"] as? String == "model")
        }
        #expect(try await client.execute(uri: "/v1/models/tiny.gguf", method: .get).object?["id"] as? String == "tiny")
        let unknown = try await client.execute(uri: "/v1/models/gpt-4", method: .get)
        #expect(unknown.status == .notFound)
        #expect(unknown.error?["code"] as? String == "model_not_found")
        #expect(unknown.error?["message"] as? String == "The model 'gpt-4' does not exist.")
        let notes = try await client.execute(uri: "/v1/models/notes.txt", method: .get)
        #expect(notes.status == .notFound)
    }
}

@Test func modelsConfiguredByPathOutsideTheDirectoryAreListed() async throws {
    let models = try TemporaryModels()
    let elsewhere = try TemporaryModels()
    let server = try SwiftletServer(configuration: .testing(models: models) {
        $0.model = "\(elsewhere.path)/other.gguf"
        $0.embeddingModel = "\(elsewhere.path)/embed"
        $0.modelsDirectory = "\(models.path)/missing-dir"
    })
    await server.manager.loadStartupModel()
    try await makeApplication(server).test(.router) { client async throws in
        #expect(ids(try await client.execute(uri: "/v1/models", method: .get)) == ["other", "embed"])
    }
}

@Test func unknownStartupModelIsAConfigurationError() throws {
    let models = try TemporaryModels()
    #expect(throws: ServerError.unknownStartupModel(name: "gpt-4", available: ["broken", "embed", "noarch", "other", "tiny"])) {
        try SwiftletServer(configuration: .testing(models: models) { $0.model = "gpt-4" })
    }
}

// MARK: - Health

@Test func healthIs503UntilTheStartupModelLoads() async throws {
    let models = try TemporaryModels()
    let server = try SwiftletServer(configuration: .testing(models: models) {
        $0.model = "tiny"
        $0.apiKeys = ["k"]
        $0.adminKeys = ["k"]
    })
    let app = makeApplication(server)
    try await app.test(.router) { client async throws in
        let loading = try await client.execute(uri: "/health", method: .get)
        #expect(loading.status == .serviceUnavailable)
        #expect(loading.error?["message"] as? String == "Loading model 'tiny'.")
        let internalLoading = try await client.execute(uri: "/v1/internal/health", method: .get, headers: bearer("k"))
        #expect(internalLoading.status == .serviceUnavailable)
        await server.manager.loadStartupModel()
        let ready = try await client.execute(uri: "/health", method: .get)
        #expect(ready.status == .ok)
        #expect(ready.text == #"{"status":"ok"}"#)
        #expect(try await client.execute(uri: "/v1/internal/health", method: .get, headers: bearer("k")).status == .ok)
    }
}

@Test func healthReportsAFailedStartupLoadUntilAnAdminActs() async throws {
    let models = try TemporaryModels()
    let server = try SwiftletServer(configuration: .testing(models: models) { $0.model = "broken" })
    await server.manager.loadStartupModel()
    try await makeApplication(server).test(.router) { client async throws in
        let failed = try await client.execute(uri: "/health", method: .get)
        #expect(failed.status == .serviceUnavailable)
        #expect((failed.error?["message"] as? String)?.hasPrefix("Model 'broken' failed to load") == true)
        #expect(try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                         body: ByteBuffer(json: #"{"model_name": "tiny"}"#)).status == .ok)
        #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
    }
}
