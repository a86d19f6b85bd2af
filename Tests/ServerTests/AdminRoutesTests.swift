import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing

private func load(_ client: some TestClientProtocol, _ body: String) async throws -> TestResponse {
    try await client.execute(uri: "/v1/internal/model/load", method: .post, body: ByteBuffer(json: body))
}

@Test func loadInfoUnloadCycle() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try SwiftletServer(configuration: .testing(models: models)))
    try await app.test(.router) { client async throws in
        let before = try await client.execute(uri: "/v1/internal/model/info", method: .get)
        #expect(before.text == #"{"lora_names":[],"model_name":"None"}"#)

        let loaded = try await load(client, #"{"model_name": "tiny.gguf", "args": {"n_gpu_layers": 99}}"#)
        #expect(loaded.status == .ok)
        #expect(loaded.text == #""OK""#)

        let info = try #require(try await client.execute(uri: "/v1/internal/model/info", method: .get).object)
        #expect(info["model_name"] as? String == "tiny")
        #expect(info["architecture"] as? String == "llama")
        #expect(info["trained_context_length"] as? Int == 256)
        #expect(info["context_length"] as? Int == 256)
        // Counted by Python `gguf` over the fixture's 21 tensors.
        #expect(info["parameter_count"] as? Int == 100_160)
        #expect(info["tensor_count"] as? Int == 21)

        #expect(try await client.execute(uri: "/v1/internal/model/unload", method: .post).text == #""OK""#)
        #expect(try await client.execute(uri: "/v1/internal/model/info", method: .get).object?["model_name"] as? String
            == "None")
    }
}

@Test func loadArgsAndServerFlagsSetTheContextLength() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try SwiftletServer(configuration: .testing(models: models) { $0.contextSize = 200 }))
    try await app.test(.router) { client async throws in
        #expect(try await load(client, #"{"model_name": "other"}"#).status == .ok)
        #expect(try await client.execute(uri: "/v1/internal/model/info", method: .get).object?["context_length"] as? Int
            == 200)
        #expect(try await load(client, #"{"model_name": "other", "args": {"ctx_size": 100}}"#).status == .ok)
        #expect(try await client.execute(uri: "/v1/internal/model/info", method: .get).object?["context_length"] as? Int
            == 100)
        // Capped at what the model was trained for.
        #expect(try await load(client, #"{"model_name": "tiny", "args": {"n_ctx": 100000}}"#).status == .ok)
        #expect(try await client.execute(uri: "/v1/internal/model/info", method: .get).object?["context_length"] as? Int
            == 256)
        let zero = try await load(client, #"{"model_name": "tiny", "args": {"threads": 0}}"#)
        #expect(zero.status == .badRequest)
        #expect(zero.error?["param"] as? String == "args.threads")
    }
}

@Test func failedLoadsKeepTheOldModel() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try SwiftletServer(configuration: .testing(models: models)))
    try await app.test(.router) { client async throws in
        #expect(try await load(client, #"{"model_name": "tiny"}"#).status == .ok)

        let broken = try await load(client, #"{"model_name": "broken"}"#)
        #expect(broken.status == .unprocessableContent)
        #expect(broken.error?["code"] as? String == "model_load_failed")
        #expect((broken.error?["message"] as? String)?.contains("not a GGUF file") == true)

        let noArchitecture = try await load(client, #"{"model_name": "noarch"}"#)
        #expect(noArchitecture.status == .unprocessableContent)
        #expect((noArchitecture.error?["message"] as? String)?.contains("general.architecture") == true)

        let embedding = try await load(client, #"{"model_name": "embed"}"#)
        #expect(embedding.status == .unprocessableContent)

        let unknown = try await load(client, #"{"model_name": "../../etc/passwd"}"#)
        #expect(unknown.status == .notFound)
        #expect(unknown.error?["code"] as? String == "model_not_found")

        #expect(try await client.execute(uri: "/v1/internal/model/info", method: .get).object?["model_name"] as? String
            == "tiny")
        #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
    }
}

@Test func aSecondLoadWhileOneRunsIsRefused() async throws {
    let models = try TemporaryModels()
    let loader = GatedLoader()
    let server = try SwiftletServer(configuration: .testing(models: models), loader: loader)
    try await makeApplication(server).test(.router) { client async throws in
        async let first = load(client, #"{"model_name": "tiny"}"#)
        await loader.waitUntilLoading()
        let second = try await load(client, #"{"model_name": "other"}"#)
        #expect(second.status == .conflict)
        #expect(second.error?["code"] as? String == "model_loading")
        #expect(try await client.execute(uri: "/health", method: .get).status == .serviceUnavailable)
        loader.release()
        #expect(try await first.status == .ok)
        #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
    }
}

@Test func modelListNamesOnlyLoadableFiles() async throws {
    let models = try TemporaryModels()
    let app = makeApplication(try SwiftletServer(configuration: .testing(models: models)))
    try await app.test(.router) { client async throws in
        let response = try await client.execute(uri: "/v1/internal/model/list", method: .get)
        #expect(response.text == #"{"model_names":["broken","noarch","other","tiny"]}"#)
    }
}
