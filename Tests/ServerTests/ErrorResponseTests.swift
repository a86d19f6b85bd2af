import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing

private func application(models: TemporaryModels, loader: (any ModelLoader)? = nil,
                         maxBodySize: Int = 1024) throws -> some ApplicationProtocol {
    makeApplication(try SwiftletServer(configuration: .testing(models: models) { $0.maxBodySize = maxBodySize },
                                       loader: loader))
}

@Test func unknownRouteIs404Envelope() async throws {
    let models = try TemporaryModels()
    try await application(models: models).test(.router) { client async throws in
        let response = try await client.execute(uri: "/v1/nothing/here", method: .get)
        #expect(response.status == .notFound)
        #expect(response.headers[.contentType] == "application/json")
        let error = try #require(response.error)
        #expect(error["message"] as? String == "Unknown route: GET /v1/nothing/here")
        #expect(error["type"] as? String == "invalid_request_error")
        #expect(error.keys.sorted() == ["code", "message", "param", "type"])
        #expect(response.headers[.xRequestID] != nil)
    }
}

@Test func wrongMethodIs405WithAllow() async throws {
    let models = try TemporaryModels()
    try await application(models: models).test(.router) { client async throws in
        let onList = try await client.execute(uri: "/v1/models", method: .post)
        #expect(onList.status == .methodNotAllowed)
        #expect(onList.headers[.allow] == "GET, OPTIONS")
        #expect(onList.error?["code"] as? String == "method_not_allowed")
        let onLoad = try await client.execute(uri: "/v1/internal/model/load", method: .get)
        #expect(onLoad.status == .methodNotAllowed)
        #expect(onLoad.headers[.allow] == "OPTIONS, POST")
        let onModel = try await client.execute(uri: "/v1/models/tiny", method: .delete)
        #expect(onModel.status == .methodNotAllowed)
    }
}

@Test func malformedJSONIs400WithPosition() async throws {
    let models = try TemporaryModels()
    try await application(models: models).test(.router) { client async throws in
        let response = try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                                body: ByteBuffer(json: "{\n  \"model_name\": hello\n}"))
        #expect(response.status == .badRequest)
        let error = try #require(response.error)
        #expect(error["code"] as? String == "invalid_json")
        #expect(error["message"] as? String
            == "The request body is not valid JSON: unexpected character 'h', expected a value at line 2, column 17.")
        let empty = try await client.execute(uri: "/v1/internal/model/load", method: .post)
        #expect(empty.status == .badRequest)
        #expect(empty.error?["message"] as? String == "The request body is empty; expected a JSON object.")
        for notAnObject in ["[1]", "\"x\"", "1", "null"] {
            let response = try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                                    body: ByteBuffer(json: notAnObject))
            #expect(response.status == .badRequest, "\(notAnObject)")
            #expect(response.error?["message"] as? String == "The request body must be a JSON object.", "\(notAnObject)")
            #expect(response.error?["code"] as? String == "invalid_json", "\(notAnObject)")
        }
    }
}

@Test func wrongTypesAndMissingFieldsAre400NamingTheParameter() async throws {
    let models = try TemporaryModels()
    try await application(models: models).test(.router) { client async throws in
        let wrongType = try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                                 body: ByteBuffer(json: #"{"model_name": 7}"#))
        #expect(wrongType.status == .badRequest)
        #expect(wrongType.error?["param"] as? String == "model_name")
        #expect(wrongType.error?["message"] as? String == "Invalid type for 'model_name': expected a string.")

        let missing = try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                               body: ByteBuffer(json: #"{"args": {}}"#))
        #expect(missing.status == .badRequest)
        #expect(missing.error?["message"] as? String == "Missing required parameter: 'model_name'.")

        let badArg = try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                              body: ByteBuffer(json: #"{"model_name": "tiny", "args": {"ctx_size": "big"}}"#))
        #expect(badArg.status == .badRequest)
        #expect(badArg.error?["param"] as? String == "args.ctx_size")

        let notAnObject = try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                                   body: ByteBuffer(json: "[1, 2]"))
        #expect(notAnObject.status == .badRequest)
    }
}

@Test func bodyOverTheLimitIs413() async throws {
    let models = try TemporaryModels()
    try await application(models: models, maxBodySize: 64).test(.router) { client async throws in
        let padding = String(repeating: "x", count: 100)
        let response = try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                                body: ByteBuffer(json: #"{"model_name": "\#(padding)"}"#))
        #expect(response.status == .contentTooLarge)
        #expect(response.error?["code"] as? String == "request_too_large")
        #expect((response.error?["message"] as? String)?.contains("64 bytes") == true)
        let small = try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                             body: ByteBuffer(json: #"{"model_name": "tiny"}"#))
        #expect(small.status == .ok)
    }
}

@Test func internalErrorsAre500WithoutInternals() async throws {
    let models = try TemporaryModels()
    try await application(models: models, loader: LeakyFailingLoader()).test(.router) { client async throws in
        let response = try await client.execute(uri: "/v1/internal/model/load", method: .post,
                                                body: ByteBuffer(json: #"{"model_name": "tiny"}"#))
        #expect(response.status == .internalServerError)
        let requestID = try #require(response.headers[.xRequestID])
        let error = try #require(response.error)
        #expect(error["type"] as? String == "server_error")
        #expect(error["message"] as? String == "The server had an internal error (request id \(requestID)).")
        #expect(!response.text.contains("hunter2"))
        #expect(!response.text.contains("secret"))
        #expect(!response.text.contains("SecretError"))
    }
}
