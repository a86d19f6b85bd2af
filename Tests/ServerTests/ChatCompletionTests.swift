import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing

/// Everything that generates with the real SmolLM2, one test at a time on one shared server (see
/// `GenerationServers.smolLM2`). Greedy requests are compared only after the same request has run once,
/// so both runs start from the same prompt-cache state and compute identically.
@Suite(.serialized) struct SmolLM2Tests {}

private let question = #"[{"role": "user", "content": "What is the capital of Germany?"}]"#

private func chat(_ extra: String, messages: String = question) -> String {
    #"{"messages": \#(messages), "temperature": 0\#(extra.isEmpty ? "" : ", " + extra)}"#
}

extension SmolLM2Tests {
    @Suite struct ChatCompletions {
        @Test func nonStreamingAnswerHasOpenAIsShape() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let response = try await client.post("/v1/chat/completions", json: chat(#""max_tokens": 12"#))
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let body = try #require(response.object)
                #expect((body["id"] as? String)?.hasPrefix("chatcmpl-") == true)
                #expect(body["object"] as? String == "chat.completion")
                #expect(body["model"] as? String == "SmolLM2-135M-Instruct.Q4_1")
                let created = try #require(body["created"] as? Int)
                #expect(abs(created - Int(Date().timeIntervalSince1970)) < 600)
                #expect(body.keys.contains("system_fingerprint"))
                let choices = try #require(body["choices"] as? [[String: Any]])
                #expect(choices.count == 1)
                let message = try #require(choices[0]["message"] as? [String: Any])
                #expect(message["role"] as? String == "assistant")
                let content = try #require(message["content"] as? String)
                #expect(content.contains("Berlin"))
                #expect(choices[0]["index"] as? Int == 0)
                let finish = try #require(choices[0]["finish_reason"] as? String)
                #expect(["stop", "length"].contains(finish))
                let usage = try #require(body["usage"] as? [String: Any])
                let prompt = try #require(usage["prompt_tokens"] as? Int)
                let completion = try #require(usage["completion_tokens"] as? Int)
                #expect(usage["total_tokens"] as? Int == prompt + completion)
                #expect(completion >= 1 && completion <= 12)
                #expect(finish == "stop" || completion == 12)
                // ChatML around one user turn: far more than the question's 7 words, far less than 100.
                #expect(prompt > 10 && prompt < 100)

                // The same prompt rendered by /v1/internal/chat-prompt has exactly `prompt_tokens` tokens.
                let rendered = try #require(try await client.post("/v1/internal/chat-prompt", json: chat(""))
                    .object?["prompt"] as? String)
                #expect(rendered.hasSuffix("<|im_start|>assistant\n"))
                let count = try await client.post("/v1/internal/token-count", json: #"{"text": \#(jsonString(rendered))}"#)
                #expect(count.object?["length"] as? Int == prompt)
            }
        }

        @Test func streamSendsOpenAIsEventSequenceAndTheSameText() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let request = chat(#""max_tokens": 10"#)
                _ = try await client.post("/v1/chat/completions", json: request)
                let whole = try #require(try await client.post("/v1/chat/completions", json: request).object)
                let expected = try #require(((whole["choices"] as? [[String: Any]])?[0]["message"] as? [String: Any])?["content"] as? String)

                let streamed = try await client.post(
                    "/v1/chat/completions",
                    json: chat(#""max_tokens": 10, "stream": true, "stream_options": {"include_usage": true}"#))
                #expect(streamed.status == .ok)
                #expect(streamed.headers[.contentType] == "text/event-stream")
                let events = streamed.events
                #expect(events.last == "[DONE]")
                let chunks = streamed.chunks
                #expect(chunks.count == events.count - 1, "only data events: \(events)")
                let ids = Set(chunks.compactMap { $0["id"] as? String })
                #expect(ids.count == 1)
                #expect(ids.first?.hasPrefix("chatcmpl-") == true)
                #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
                #expect(chunks.allSatisfy { $0.keys.contains("usage") })

                // First: the role with empty content, usage null.
                let first = try #require((chunks.first?["choices"] as? [[String: Any]])?.first)
                #expect(first["delta"] as? [String: String] == ["role": "assistant", "content": ""])
                #expect(first["finish_reason"] is NSNull)
                #expect(chunks.first?["usage"] is NSNull)

                // Then content deltas, never empty, then one chunk with the finish reason and an empty delta.
                let middle = chunks.dropFirst().dropLast(2)
                var text = ""
                for chunk in middle {
                    let choice = try #require((chunk["choices"] as? [[String: Any]])?.first)
                    let delta = try #require(choice["delta"] as? [String: Any])
                    #expect(delta.keys.sorted() == ["content"])
                    let piece = try #require(delta["content"] as? String)
                    #expect(!piece.isEmpty)
                    #expect(choice["finish_reason"] is NSNull)
                    text += piece
                }
                #expect(text == expected)
                let finishChunk = chunks[chunks.count - 2]
                let finish = try #require((finishChunk["choices"] as? [[String: Any]])?.first)
                #expect((finish["delta"] as? [String: Any])?.isEmpty == true)
                #expect(finish["finish_reason"] as? String
                    == ((whole["choices"] as? [[String: Any]])?[0]["finish_reason"] as? String))

                // Last: no choices, the usage, matching the non-streamed answer.
                let usageChunk = try #require(chunks.last)
                #expect((usageChunk["choices"] as? [Any])?.isEmpty == true)
                let usage = try #require(usageChunk["usage"] as? [String: Any])
                let wholeUsage = try #require(whole["usage"] as? [String: Any])
                #expect(usage["prompt_tokens"] as? Int == wholeUsage["prompt_tokens"] as? Int)
                #expect(usage["completion_tokens"] as? Int == wholeUsage["completion_tokens"] as? Int)
            }
        }

        @Test func streamWithoutIncludeUsageHasNoUsageKey() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let streamed = try await client.post("/v1/chat/completions", json: chat(#""max_tokens": 3, "stream": true"#))
                #expect(streamed.events.last == "[DONE]")
                #expect(!streamed.chunks.isEmpty)
                #expect(streamed.chunks.allSatisfy { !$0.keys.contains("usage") })
                #expect(streamed.chunks.allSatisfy { ($0["choices"] as? [Any])?.count == 1 })
            }
        }

        @Test func twoChoicesAreIndexedAndCounted() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                _ = try await client.post("/v1/chat/completions", json: chat(#""max_tokens": 6"#))
                let response = try await client.post("/v1/chat/completions", json: chat(#""max_tokens": 6, "n": 2"#))
                let body = try #require(response.object)
                let choices = try #require(body["choices"] as? [[String: Any]])
                #expect(choices.map { $0["index"] as? Int } == [0, 1])
                let texts = choices.map { ($0["message"] as? [String: Any])?["content"] as? String }
                // Greedy: both choices are the same answer.
                #expect(texts[0] == texts[1])
                let usage = try #require(body["usage"] as? [String: Any])
                let single = try #require(try await client.post("/v1/chat/completions", json: chat(#""max_tokens": 6"#))
                    .object?["usage"] as? [String: Any])
                #expect(usage["prompt_tokens"] as? Int == single["prompt_tokens"] as? Int)
                #expect(usage["completion_tokens"] as? Int == 2 * (single["completion_tokens"] as? Int ?? -1))

                let streamed = try await client.post("/v1/chat/completions", json: chat(#""max_tokens": 4, "n": 2, "stream": true"#))
                let indices = streamed.chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first?["index"]) as? Int }
                #expect(indices.first == 0 && indices.last == 1)
                #expect(indices == indices.sorted())
                let finishes = streamed.chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
                #expect(finishes.count == 2)
            }
        }

        @Test func stopStringsEndTheAnswerAndNeverAppear() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let request = chat(#""max_tokens": 16"#)
                _ = try await client.post("/v1/chat/completions", json: request)
                let full = try #require(((try await client.post("/v1/chat/completions", json: request).object?["choices"]
                    as? [[String: Any]])?[0]["message"] as? [String: Any])?["content"] as? String)
                // Stop at the third word of the unconstrained answer.
                let words = full.split(separator: " ")
                try #require(words.count >= 4, "answer too short: \(full)")
                let stop = " " + words[2]
                let prefix = String(full[..<full.range(of: stop)!.lowerBound])
                for stream in [false, true] {
                    let response = try await client.post("/v1/chat/completions", json: chat(
                        #""max_tokens": 16, "stop": \#(jsonString(stop)), "stream": \#(stream)"#))
                    let text: String
                    let finish: String?
                    if stream {
                        let choices = response.chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first }
                        text = choices.compactMap { ($0["delta"] as? [String: Any])?["content"] as? String }.joined()
                        finish = choices.compactMap { $0["finish_reason"] as? String }.first
                    } else {
                        let choice = try #require((response.object?["choices"] as? [[String: Any]])?.first)
                        text = try #require((choice["message"] as? [String: Any])?["content"] as? String)
                        finish = choice["finish_reason"] as? String
                    }
                    #expect(text == prefix, "stream: \(stream)")
                    #expect(!text.contains(stop))
                    #expect(finish == "stop")
                }
            }
        }

        @Test func seedMakesSamplingReproducible() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                func sample(seed: Int) async throws -> [String] {
                    let body = #"{"messages": [{"role": "user", "content": "Write a short poem about the sea."}], "#
                        + #""temperature": 1, "max_tokens": 12, "n": 2, "seed": \#(seed)}"#
                    let choices = try #require(try await client.post("/v1/chat/completions", json: body).object?["choices"]
                        as? [[String: Any]])
                    return choices.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }
                }
                _ = try await sample(seed: 7)
                let first = try await sample(seed: 7)
                let again = try await sample(seed: 7)
                #expect(first.count == 2)
                #expect(first == again)
                // Choice 1 uses seed + 1: the same as choice 0 of a request with seed 8.
                let next = try await sample(seed: 8)
                #expect(next[0] == first[1])
            }
        }

        @Test func maxTokensEndsWithLengthAndCountsTokens() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let body = #"{"messages": [{"role": "user", "content": "Tell me a long story about a dragon."}], "#
                    + #""temperature": 0, "max_completion_tokens": 3}"#
                let response = try #require(try await client.post("/v1/chat/completions", json: body).object)
                let choice = try #require((response["choices"] as? [[String: Any]])?.first)
                #expect(choice["finish_reason"] as? String == "length")
                #expect((response["usage"] as? [String: Any])?["completion_tokens"] as? Int == 3)
            }
        }

        @Test func logprobsListEveryAnswerToken() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let response = try await client.post("/v1/chat/completions",
                                                     json: chat(#""max_tokens": 5, "logprobs": true, "top_logprobs": 3"#))
                let choice = try #require((response.object?["choices"] as? [[String: Any]])?.first)
                let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
                let entries = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
                #expect(entries.count == 5)
                #expect(entries.compactMap { $0["token"] as? String }.joined() == content)
                for entry in entries {
                    let logprob = try #require(entry["logprob"] as? Double)
                    #expect(logprob <= 0)
                    let bytes = try #require(entry["bytes"] as? [Int])
                    #expect(String(decoding: bytes.map(UInt8.init), as: UTF8.self) == entry["token"] as? String)
                    let top = try #require(entry["top_logprobs"] as? [[String: Any]])
                    #expect(top.count == 3)
                    let values = top.compactMap { $0["logprob"] as? Double }
                    #expect(values == values.sorted(by: >))
                    // Greedy: the chosen token is the most likely one.
                    #expect(top.first?["token"] as? String == entry["token"] as? String)
                    #expect(abs((values.first ?? 0) - logprob) < 1e-4)
                }
            }
        }

        @Test func instructionTemplateFromTheRequestChangesThePrompt() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let alpaca = try await client.post("/v1/internal/chat-prompt", json: chat(#""instruction_template": "Alpaca""#))
                let prompt = try #require(alpaca.object?["prompt"] as? String)
                #expect(prompt.contains("### Instruction:"))
                #expect(prompt.contains("What is the capital of Germany?"))
                let missing = try await client.post("/v1/internal/chat-prompt", json: chat(#""instruction_template": "Nope""#))
                #expect(missing.status == .badRequest)
                #expect(missing.error?["param"] as? String == "instruction_template")
            }
        }
    }
}
