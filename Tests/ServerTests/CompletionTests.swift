import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing

extension SmolLM2Tests {
    @Suite struct TextCompletions {
        @Test func echoWithLogprobsScoresThePromptAndTheAnswer() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let prompt = "The capital of Germany is"
                let response = try await client.post("/v1/completions", json: #"""
                    {"prompt": "\#(prompt)", "temperature": 0, "max_tokens": 4, "echo": true, "logprobs": 2}
                    """#)
                #expect(response.status == .ok)
                let body = try #require(response.object)
                #expect((body["id"] as? String)?.hasPrefix("cmpl-") == true)
                #expect(body["object"] as? String == "text_completion")
                let choice = try #require((body["choices"] as? [[String: Any]])?.first)
                let text = try #require(choice["text"] as? String)
                #expect(text.hasPrefix(prompt + " Berlin"))
                #expect(choice["finish_reason"] as? String == "length")

                let logprobs = try #require(choice["logprobs"] as? [String: Any])
                let tokens = try #require(logprobs["tokens"] as? [String])
                let values = try #require(logprobs["token_logprobs"] as? [Any])
                let top = try #require(logprobs["top_logprobs"] as? [Any])
                let offsets = try #require(logprobs["text_offset"] as? [Int])
                let usage = try #require(body["usage"] as? [String: Any])
                let promptTokens = try #require(usage["prompt_tokens"] as? Int)
                #expect(usage["completion_tokens"] as? Int == 4)
                // One entry per prompt token and per generated token.
                #expect(tokens.count == promptTokens + 4)
                #expect(values.count == tokens.count && top.count == tokens.count && offsets.count == tokens.count)
                // The tokens spell the text, and each offset is where its token starts in it.
                #expect(tokens.joined() == text)
                for (index, offset) in offsets.enumerated() {
                    let start = text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: offset)
                    #expect(String(text.unicodeScalars[start...]).hasPrefix(tokens[index]))
                }
                #expect(offsets == offsets.sorted())
                // The first prompt token has no logprob; every other one has, with two alternatives.
                #expect(values.first is NSNull)
                #expect(top.first is NSNull)
                for index in 1..<tokens.count {
                    let value = try #require(values[index] as? Double)
                    #expect(value <= 0)
                    let alternatives = try #require(top[index] as? [String: Double])
                    #expect(alternatives.count == 2)
                    #expect(alternatives.values.allSatisfy { $0 <= 0 })
                }
                // Greedy: each generated token is the likeliest at its position.
                for index in promptTokens..<tokens.count {
                    let alternatives = try #require(top[index] as? [String: Double])
                    #expect(alternatives.max { $0.value < $1.value }?.key == tokens[index])
                }
            }
        }

        @Test func maxTokensZeroWithEchoOnlyScoresThePrompt() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let scored = try #require(try await client.post("/v1/completions", json: #"""
                    {"prompt": "Hello world", "max_tokens": 0, "echo": true, "logprobs": 0}
                    """#).object)
                let choice = try #require((scored["choices"] as? [[String: Any]])?.first)
                #expect(choice["text"] as? String == "Hello world")
                let logprobs = try #require(choice["logprobs"] as? [String: Any])
                #expect(logprobs["tokens"] as? [String] == ["Hello", " world"])
                #expect((scored["usage"] as? [String: Any])?["completion_tokens"] as? Int == 0)
            }
        }

        @Test func promptArraysAndTokenPromptsGiveOneChoiceEach() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                // Token ids of "The capital of Germany is" (from /v1/internal/encode) give the same answer as the text.
                let encoded = try #require(try await client.post("/v1/internal/encode",
                                                                 json: #"{"text": "The capital of Germany is"}"#)
                    .object?["tokens"] as? [Int])
                let ids = encoded.map(String.init).joined(separator: ", ")
                let body = #"{"prompt": [[\#(ids)], [\#(ids)]], "temperature": 0, "max_tokens": 3, "n": 2}"#
                _ = try await client.post("/v1/completions", json: body)
                let response = try #require(try await client.post("/v1/completions", json: body).object)
                let choices = try #require(response["choices"] as? [[String: Any]])
                #expect(choices.map { $0["index"] as? Int } == [0, 1, 2, 3])
                let texts = Set(choices.compactMap { $0["text"] as? String })
                #expect(texts.count == 1)
                #expect(texts.first?.hasPrefix(" Berlin") == true)
                let usage = try #require(response["usage"] as? [String: Any])
                #expect(usage["prompt_tokens"] as? Int == 2 * encoded.count)
                #expect(usage["completion_tokens"] as? Int == 12)

                let texts2 = try #require(try await client.post("/v1/completions", json: #"""
                    {"prompt": ["One, two,", "Monday, Tuesday,"], "temperature": 0, "max_tokens": 2}
                    """#).object?["choices"] as? [[String: Any]])
                #expect(texts2.count == 2)
            }
        }

        @Test func streamingCompletionSendsTextChunksThenFinishAndUsage() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let request = #"{"prompt": "The capital of Germany is", "temperature": 0, "max_tokens": 5"#
                _ = try await client.post("/v1/completions", json: request + "}")
                let whole = try #require((try await client.post("/v1/completions", json: request + "}").object?["choices"]
                    as? [[String: Any]])?.first?["text"] as? String)
                let streamed = try await client.post("/v1/completions", json: request
                    + #", "stream": true, "echo": true, "stream_options": {"include_usage": true}}"#)
                #expect(streamed.events.last == "[DONE]")
                let chunks = streamed.chunks
                #expect(chunks.allSatisfy { $0["object"] as? String == "text_completion" })
                let choices = chunks.dropLast().compactMap { ($0["choices"] as? [[String: Any]])?.first }
                #expect(choices.first?["text"] as? String == "The capital of Germany is")
                #expect(choices.dropFirst().compactMap { $0["text"] as? String }.joined() == whole)
                #expect(choices.last?["finish_reason"] as? String == "length")
                #expect(choices.dropLast().allSatisfy { $0["finish_reason"] is NSNull })
                let usage = try #require(chunks.last?["usage"] as? [String: Any])
                #expect(usage["completion_tokens"] as? Int == 5)
            }
        }

        @Test func overLongPromptIsRefusedWithTheNumbers() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let long = String(repeating: "hello ", count: 5000)
                let count = try #require(try await client.post("/v1/internal/token-count", json: #"{"text": "\#(long)"}"#)
                    .object?["length"] as? Int)
                let response = try await client.post("/v1/completions", json: #"{"prompt": "\#(long)", "max_tokens": 1}"#)
                #expect(response.status == .badRequest)
                let error = try #require(response.error)
                #expect(error["code"] as? String == "context_length_exceeded")
                #expect(error["param"] as? String == "prompt")
                let message = try #require(error["message"] as? String)
                #expect(message.contains("4096"))
                #expect(message.contains("\(count) tokens"))

                let chat = try await client.post("/v1/chat/completions",
                                                 json: #"{"messages": [{"role": "user", "content": "\#(long)"}]}"#)
                #expect(chat.status == .badRequest)
                #expect(chat.error?["param"] as? String == "messages")

                // With truncation_length the prompt keeps its last tokens and generation goes ahead.
                let truncated = try await client.post("/v1/completions", json: #"""
                    {"prompt": "\#(long)", "max_tokens": 2, "temperature": 0, "truncation_length": 64}
                    """#)
                #expect(truncated.status == .ok)
                #expect((truncated.object?["usage"] as? [String: Any])?["prompt_tokens"] as? Int == 62)
            }
        }
    }
}
