import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import OpenAIAPI
@testable import Server
import Testing

@Suite struct OpenAPITests {
    func document(_ server: SwiftletServer) async throws -> [String: Any] {
        let body = try await makeApplication(server).test(.router) { client async throws in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            return Data(response.body.readableBytesView)
        }
        return try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }

    func server(apiKey: String? = nil) throws -> SwiftletServer {
        let models = try TemporaryModels()
        return try SwiftletServer(configuration: .testing(models: models) { configuration in
            if let apiKey { configuration.apiKeys = [apiKey] }
        })
    }

    @Test func everyRouteIsDescribedWithItsMethodAndAuth() async throws {
        let server = try server()
        let document = try await document(server)
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for route in server.makeRoutes() {
            let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()] as? [String: Any],
                                         "\(route.method) \(route.path) is not in /openapi.json")
            #expect(!(operation["summary"] as? String ?? "").isEmpty)
            let security = try #require(operation["security"] as? [[String: Any]])
            switch route.access {
            case .open: #expect(security.isEmpty, "\(route.path)")
            case .user: #expect(security.first?["apiKey"] != nil, "\(route.path)")
            case .admin: #expect(security.first?["adminKey"] != nil, "\(route.path)")
            }
        }
        let described = paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } }
        #expect(described.count == server.makeRoutes().count)
        #expect(Set(OpenAPIDocument.docs.keys).isSubset(of: Set(described)), "documented routes that do not exist")
    }

    @Test func everyReferenceResolves() async throws {
        let document = try await document(try server())
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        let references = text.matches(of: /"\$ref":"#\\\/components\\\/schemas\\\/([A-Za-z]+)"/).map { String($0.1) }
        #expect(!references.isEmpty)
        for name in Set(references) { #expect(schemas[name] != nil, "missing component \(name)") }
    }

    /// Every parameter a request type decodes is documented in its schema: the CodingKeys are the truth.
    @Test func requestSchemasListEveryParameterTheServerReads() {
        let schemas = OpenAPIComponents.schemas
        func documented(_ name: String) -> Set<String> { Set(Schema.properties(of: schemas[name]!).keys) }
        func keys<K: CodingKey & CaseIterable>(_: K.Type) -> Set<String> { Set(K.allCases.map(\.stringValue)) }
        // Completion, chat and logits requests read GenerationOptions at their top level too.
        let generation = keys(GenerationParameters.CodingKeys.self)
        let checks: [([String], Set<String>)] = [
            (["ChatCompletionRequest", "GenerationOptions"], keys(ChatCompletionRequest.CodingKeys.self)
                .union(keys(ChatModeParameters.CodingKeys.self)).union(generation)),
            (["CompletionRequest", "GenerationOptions"], keys(CompletionRequest.CodingKeys.self).union(generation)),
            (["LogitsRequest", "GenerationOptions"], keys(InternalLogitsRequest.CodingKeys.self).union(generation)),
            (["GenerationOptions"], generation),
            (["ChatMessage"], keys(ChatMessage.CodingKeys.self)),
            (["ContentPart"], keys(ChatContentPart.CodingKeys.self)),
            (["EncodeRequest"], keys(EncodeRequest.CodingKeys.self)),
            (["DecodeRequest"], keys(DecodeRequest.CodingKeys.self)),
            (["LoadModelRequest"], keys(LoadModelRequest.CodingKeys.self)),
            (["EditRequest", "GenerationOptions"], keys(EditRequest.CodingKeys.self).union(generation)),
            (["EmbeddingRequest"], keys(EmbeddingRequest.CodingKeys.self)),
            (["ModerationRequest"], keys(ModerationRequest.CodingKeys.self)),
        ]
        for (names, decoded) in checks {
            let listed = names.reduce(into: Set<String>()) { $0.formUnion(documented($1)) }
            #expect(decoded.subtracting(listed).isEmpty, "\(names[0]) does not document \(decoded.subtracting(listed).sorted())")
            #expect(listed.subtracting(decoded).isEmpty,
                    "\(names[0]) documents parameters nothing reads: \(listed.subtracting(decoded).sorted())")
        }
    }

    @Test func examplesAreValidRequests() throws {
        for (key, doc) in OpenAPIDocument.docs {
            guard let example = doc.example else { continue }
            #expect(doc.request != nil, "\(key)")
            #expect((try? JSONSerialization.jsonObject(with: Data(example.utf8))) is [String: Any], "\(key)")
        }
        let chat = try #require(OpenAPIDocument.docs["POST /v1/chat/completions"]?.example)
        _ = try JSONDecoder().decode(ChatCompletionRequest.self, from: Data(chat.utf8))
        let completion = try #require(OpenAPIDocument.docs["POST /v1/completions"]?.example)
        _ = try JSONDecoder().decode(CompletionRequest.self, from: Data(completion.utf8))
    }

    @Test func docsAndSpecNeedNoKeyAndThePageIsSelfContained() async throws {
        let server = try server(apiKey: "sk-docs")
        try await makeApplication(server).test(.router) { client async throws in
            #expect(try await client.execute(uri: "/openapi.json", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/v1/models", method: .get).status == .unauthorized)
            let page = try await client.execute(uri: "/docs", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            #expect(html.contains("fetch(\"/openapi.json\")"))
            // Offline: nothing is loaded from elsewhere.
            #expect(html.firstMatch(of: /(src|href)="(https?:)?\/\//) == nil)
            #expect(!html.contains("@import"))
        }
    }
}
