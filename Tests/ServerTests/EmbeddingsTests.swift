import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import TestSupport

extension SmolLM2Tests {
    @Suite struct Embeddings {
        static let sentences = ["The cat sits on the mat.", "A feline rests on a rug.", "Stock markets fell sharply today."]

        func vectors(_ response: TestResponse) throws -> [[Double]] {
            let data = try #require(response.object?["data"] as? [[String: Any]], "\(response.text)")
            return try data.enumerated().map { index, item in
                #expect(item["object"] as? String == "embedding")
                #expect(item["index"] as? Int == index)
                return try #require(item["embedding"] as? [Double])
            }
        }

        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

        @Test func vectorsHaveOpenAIShapeAndMeaning() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let json = try String(data: JSONSerialization.data(withJSONObject: ["input": Self.sentences]), encoding: .utf8)!
                let response = try await client.post("/v1/embeddings", json: json)
                #expect(response.status == .ok)
                #expect(response.object?["object"] as? String == "list")
                #expect(response.object?["model"] as? String == "all-MiniLM-L6-v2")
                let usage = try #require(response.object?["usage"] as? [String: Int])
                #expect(usage["prompt_tokens"] == usage["total_tokens"] && (usage["prompt_tokens"] ?? 0) > 15)
                let vectors = try vectors(response)
                #expect(vectors.count == 3 && vectors.allSatisfy { $0.count == 384 })
                for vector in vectors { #expect(abs(dot(vector, vector) - 1) < 1e-4) }
                // Paraphrases are closer than unrelated sentences.
                #expect(dot(vectors[0], vectors[1]) > dot(vectors[0], vectors[2]) + 0.2)

                // The alias names, a single string and the /embeddings route give the same vector.
                for (path, model) in [("/v1/embeddings", "text-embedding-ada-002"), ("/embeddings", "text-embedding-3-small")] {
                    let single = try await client.post(path, json: #"{"input": "The cat sits on the mat.", "model": "\#(model)"}"#)
                    #expect(single.object?["model"] as? String == model)
                    let vector = try #require(try self.vectors(single).first)
                    #expect(zip(vector, vectors[0]).allSatisfy { abs($0 - $1) < 1e-6 })
                }
            }
        }

        @Test func base64IsLittleEndianFloat32AndDimensionsRenormalize() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let float = try #require(try vectors(try await client.post("/v1/embeddings", json: #"{"input": "hello world"}"#)).first)
                let packed = try await client.post("/v1/embeddings", json: #"{"input": "hello world", "encoding_format": "base64"}"#)
                let text = try #require(((packed.object?["data"] as? [[String: Any]])?.first)?["embedding"] as? String)
                let bytes = try #require(Data(base64Encoded: text))
                #expect(bytes.count == 384 * 4)
                let decoded = (0..<384).map { i in
                    Float(bitPattern: UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8
                          | UInt32(bytes[4 * i + 2]) << 16 | UInt32(bytes[4 * i + 3]) << 24)
                }
                // JSON carries the shortest decimal that reads back as the same Float.
                #expect(decoded == float.map { Float($0) })

                let short = try #require(try vectors(try await client.post("/v1/embeddings",
                                                                         json: #"{"input": "hello world", "dimensions": 8}"#)).first)
                #expect(short.count == 8 && abs(dot(short, short) - 1) < 1e-5)
                let scale = (float.prefix(8).reduce(0) { $0 + $1 * $1 }).squareRoot()
                for (value, original) in zip(short, float) { #expect(abs(value - original / scale) < 1e-5) }
            }
        }

        @Test func tokenListsAreTheModelsOwnIds() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                // "hello world" in all-MiniLM-L6-v2's WordPiece vocabulary.
                let text = try vectors(try await client.post("/v1/embeddings", json: #"{"input": ["hello world", "hello"]}"#))
                let tokens = try vectors(try await client.post("/v1/embeddings", json: #"{"input": [[7592, 2088], [7592]]}"#))
                for (a, b) in zip(text, tokens) { #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }) }
                let one = try vectors(try await client.post("/v1/embeddings", json: #"{"input": [7592, 2088]}"#))
                #expect(zip(one[0], text[0]).allSatisfy { abs($0 - $1) < 1e-6 })
            }
        }

        @Test func theLoadedChatModelEmbedsWhenNamed() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let body = #"{"input": ["The cat sits on the mat.", "A feline rests on a rug.", "Stock markets fell sharply today."], "#
                    + #""model": "SmolLM2-135M-Instruct.Q4_1"}"#
                let response = try await client.post("/v1/embeddings", json: body)
                #expect(response.object?["model"] as? String == "SmolLM2-135M-Instruct.Q4_1")
                let vectors = try vectors(response)
                #expect(vectors.count == 3 && vectors.allSatisfy { $0.count == 576 })
                for vector in vectors { #expect(abs(dot(vector, vector) - 1) < 1e-4) }
                let again = try self.vectors(try await client.post("/v1/embeddings", json: body))
                #expect(again == vectors)
                // Token ids of the chat model give the text's vector.
                let ids = try #require(try await client.post("/v1/internal/encode", json: #"{"text": "The cat sits on the mat."}"#)
                    .object?["tokens"] as? [Int])
                let byTokens = try self.vectors(try await client.post(
                    "/v1/embeddings", json: #"{"input": \#(ids), "model": "SmolLM2-135M-Instruct.Q4_1"}"#))
                #expect(zip(byTokens[0], vectors[0]).allSatisfy { abs($0 - $1) < 1e-5 })
            }
        }

        @Test func badInputsAreRefusedNamingTheParameter() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let cases: [(String, String)] = [
                    (#"{"input": ""}"#, "input"), (#"{"input": ["a", ""]}"#, "input.1"), (#"{"input": []}"#, "input"),
                    (#"{"input": [[1], []]}"#, "input.1"), (#"{"input": [1, 99999999]}"#, "input.1"),
                    (#"{"input": [[1], [2, -3]]}"#, "input.1.1"), (#"{"input": 5}"#, "input"), (#"{"model": "x"}"#, "input"),
                    (#"{"input": "a", "dimensions": 0}"#, "dimensions"), (#"{"input": "a", "dimensions": 385}"#, "dimensions"),
                    (#"{"input": "a", "encoding_format": "hex"}"#, "encoding_format"),
                    (#"{"input": [\#(Array(repeating: "\"a\"", count: 2049).joined(separator: ","))]}"#, "input"),
                ]
                for (body, param) in cases {
                    let response = try await client.post("/v1/embeddings", json: body)
                    #expect(response.status == .badRequest, "\(body.prefix(80))")
                    #expect(response.error?["param"] as? String == param, "\(body.prefix(80)) \(response.text)")
                }
                let unknown = try await client.post("/v1/embeddings", json: #"{"input": "a", "model": "nope"}"#)
                #expect(unknown.status == .notFound)
                #expect(unknown.error?["code"] as? String == "model_not_found")
                let other = try await client.post("/v1/embeddings", json: #"{"input": "a", "model": "gemma-3-270m-q4_k_m"}"#)
                #expect(other.status == .badRequest)
            }
        }

        @Test func moderationsFlagByCategoryWithScores() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let response = try await client.post("/v1/moderations", json: #"""
                    {"input": ["I want to end my life tonight.", "How do I bake sourdough bread?"]}
                    """#)
                #expect(response.status == .ok)
                #expect((response.object?["id"] as? String)?.hasPrefix("modr-") == true)
                let results = try #require(response.object?["results"] as? [[String: Any]])
                #expect(results.count == 2)
                let harmful = results[0], benign = results[1]
                #expect(harmful["flagged"] as? Bool == true)
                #expect((harmful["categories"] as? [String: Bool])?["self-harm/intent"] == true)
                #expect(benign["flagged"] as? Bool == false)
                let scores = try #require(benign["category_scores"] as? [String: Double])
                #expect(scores.count == 13 && scores.values.allSatisfy { (0...1).contains($0) })
                #expect(Set(scores.keys).isSuperset(of: ["harassment", "hate", "self-harm", "sexual", "violence", "violence/graphic"]))
                let empty = try await client.post("/v1/moderations", json: #"{"input": []}"#)
                #expect(empty.status == .badRequest)
            }
        }
    }
}

/// A GGUF BERT as the default embedding model, and embedding models that fail to load.
@Test func ggufBertServesEmbeddingsAndBrokenModelsAreReported() async throws {
    let models = try TemporaryModels()
    try FileManager.default.copyItem(atPath: TestPaths.fixture("Embeddings", "tiny-bert.gguf").path,
                                     toPath: "\(models.path)/tiny-bert.gguf")
    let server = try SwiftletServer(configuration: .testing(models: models) { $0.embeddingModel = "tiny-bert" })
    let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.fixture("Embeddings", "tiny-bert.json")))
    let first = try #require(((golden as? [String: Any])?["cases"] as? [[String: Any]])?.first)
    let text = try #require(first["text"] as? String), expected = try #require(first["embedding"] as? [Double])
    try await makeApplication(server).test(.router) { client async throws in
        for body in [#"{"input": "\#(text)"}"#, #"{"input": "\#(text)", "model": "tiny-bert"}"#] {
            let response = try await client.post("/v1/embeddings", json: body)
            #expect(response.status == .ok, "\(response.text)")
            let vector = try #require(((response.object?["data"] as? [[String: Any]])?.first)?["embedding"] as? [Double])
            #expect(vector.count == 32)
            #expect(zip(vector, expected).reduce(0) { $0 + $1.0 * $1.1 } > 0.9999)
        }
        let broken = try await client.post("/v1/embeddings", json: #"{"input": "x", "model": "embed"}"#)
        #expect(broken.status.code >= 400)
        #expect(broken.error?["message"] as? String != nil)
    }
}
