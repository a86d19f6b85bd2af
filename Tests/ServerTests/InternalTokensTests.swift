import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing

extension SmolLM2Tests {
    @Suite struct InternalEndpoints {
        @Test func encodeDecodeAndCountAgree() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let text = "Hello world, <|im_start|>héllo"
                let encoded = try #require(try await client.post("/v1/internal/encode", json: #"{"text": \#(jsonString(text))}"#).object)
                let tokens = try #require(encoded["tokens"] as? [Int])
                #expect(encoded["length"] as? Int == tokens.count)
                // llama.cpp's ids for "Hello world" (see CLICommandTests), and the special token parsed as one id.
                #expect(Array(tokens.prefix(2)) == [19556, 905])
                #expect(tokens.contains(1))
                let count = try await client.post("/v1/internal/token-count", json: #"{"text": \#(jsonString(text))}"#)
                #expect(count.object?["length"] as? Int == tokens.count)
                let ids = tokens.map(String.init).joined(separator: ",")
                let decoded = try await client.post("/v1/internal/decode", json: #"{"tokens": [\#(ids)]}"#)
                // Decoding leaves special tokens out, as text-generation-webui's decode does.
                #expect(decoded.object?["text"] as? String == "Hello world, héllo")

                let bad = try await client.post("/v1/internal/decode", json: #"{"tokens": [1, 99999999]}"#)
                #expect(bad.status == .badRequest)
                #expect(bad.error?["param"] as? String == "tokens.1")
                let wrongType = try await client.post("/v1/internal/encode", json: #"{"text": 5}"#)
                #expect(wrongType.status == .badRequest)
                #expect(wrongType.error?["param"] as? String == "text")
            }
        }

        @Test func logitsGiveTheNextTokenDistribution() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let response = try await client.post("/v1/internal/logits",
                                                     json: #"{"prompt": "The capital of Germany is", "top_logits": 5}"#)
                #expect(response.status == .ok)
                let probabilities = try #require(response.object as? [String: Double])
                #expect(probabilities.count == 5)
                #expect(probabilities.values.allSatisfy { $0 > 0 && $0 < 1 })
                #expect(probabilities.values.reduce(0, +) <= 1.000001)
                let best = try #require(probabilities.max { $0.value < $1.value })
                // The likeliest next token is what greedy decoding picks.
                let completion = try #require((try await client.post("/v1/completions", json: #"""
                    {"prompt": "The capital of Germany is", "max_tokens": 1, "temperature": 0, "logprobs": 0}
                    """#).object?["choices"] as? [[String: Any]])?.first)
                #expect(completion["text"] as? String == best.key)
                let logprob = try #require(((completion["logprobs"] as? [String: Any])?["token_logprobs"] as? [Double])?.first)
                #expect(abs(Foundation.exp(logprob) - best.value) < 1e-3)

                let defaults = try #require(try await client.post("/v1/internal/logits", json: #"{"prompt": "Hi"}"#).object)
                #expect(defaults.count == 50)
            }
        }

        @Test func logitsWithSamplersAreTheDistributionTheSamplersLeave() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let prompt = #""prompt": "The capital of Germany is""#
                let raw = try #require(try await client.post("/v1/internal/logits", json: "{\(prompt), \"top_logits\": 3}")
                    .object as? [String: Double])
                let topK = try #require(try await client.post("/v1/internal/logits", json: """
                    {\(prompt), "use_samplers": true, "top_k": 3, "top_logits": 10}
                    """).object as? [String: Double])
                // Top-k 3 leaves the same three tokens, renormalized to sum to 1.
                #expect(Set(topK.keys) == Set(raw.keys))
                #expect(abs(topK.values.reduce(0, +) - 1) < 1e-5)
                let scale = raw.values.reduce(0, +)
                for (token, probability) in raw { #expect(abs(try #require(topK[token]) - probability / scale) < 1e-4) }

                let cold = try #require(try await client.post("/v1/internal/logits", json: """
                    {\(prompt), "use_samplers": true, "temperature": 0.5, "top_logits": 3}
                    """).object as? [String: Double])
                let best = try #require(raw.max { $0.value < $1.value }?.key)
                #expect(try #require(cold[best]) > raw[best]!)

                let bad = try await client.post("/v1/internal/logits", json: #"{"prompt": "Hi", "use_samplers": true, "top_p": 2}"#)
                #expect(bad.status == .badRequest)
                #expect(bad.error?["param"] as? String == "top_p")
            }
        }

        @Test func stopGenerationEndsRunningRequests() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let long = #"{"messages": [{"role": "user", "content": "Tell me a very long story."}], "#
                    + #""max_tokens": 400, "ban_eos_token": true, "temperature": 0"#
                let before = server.generations.stoppedEarly
                for stream in [false, true] {
                    async let running = client.post("/v1/chat/completions", json: long + #", "stream": \#(stream)}"#)
                    try await waitUntil("the request to start") { server.generations.active == 1 }
                    let stop = try await client.post("/v1/internal/stop-generation", json: "")
                    #expect(stop.status == .ok)
                    #expect(stop.text == #""OK""#)
                    let response = try await running
                    #expect(response.status == .ok)
                    if stream {
                        #expect(response.events.last == "[DONE]")
                        let finishes = response.chunks.compactMap {
                            ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String
                        }
                        #expect(finishes == ["stop"])
                    } else {
                        let body = try #require(response.object)
                        #expect((body["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String == "stop")
                        let completion = try #require((body["usage"] as? [String: Any])?["completion_tokens"] as? Int)
                        #expect(completion < 400)
                    }
                    #expect(server.generations.active == 0)
                }
                #expect(server.generations.stoppedEarly == before + 2)
                // The engine is free again.
                let after = try await client.post("/v1/chat/completions", json: chat(#""max_tokens": 2"#))
                #expect(after.status == .ok)
            }
        }
    }
}

private func chat(_ extra: String) -> String {
    #"{"messages": [{"role": "user", "content": "Hi"}], "temperature": 0, \#(extra)}"#
}
