import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing

extension SmolLM2Tests {
    @Suite struct Edits {
        @Test func anEditAnswersLikeTheSameChatTurn() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                let edit = try await client.post("/v1/edits", json: #"""
                    {"instruction": "Fix the spelling mistakes.", "input": "What day of the wek is it?",
                     "temperature": 0}
                    """#)
                #expect(edit.status == .ok)
                let object = try #require(edit.object)
                #expect(object["object"] as? String == "edit")
                #expect((object["created"] as? Int ?? 0) > 1_600_000_000)
                let choices = try #require(object["choices"] as? [[String: Any]])
                #expect(choices.count == 1 && choices[0]["index"] as? Int == 0)
                let text = try #require(choices[0]["text"] as? String)
                // The same as a chat completion of the message the edit makes.
                let chat = try await client.post("/v1/chat/completions", json: #"""
                    {"messages": [{"role": "user", "content": "Fix the spelling mistakes.\n\nWhat day of the wek is it?"}],
                     "temperature": 0}
                    """#)
                let message = try #require(((chat.object?["choices"] as? [[String: Any]])?.first)?["message"] as? [String: Any])
                #expect(message["content"] as? String == text)
                let usage = try #require(object["usage"] as? [String: Any])
                #expect(usage["prompt_tokens"] as? Int == (chat.object?["usage"] as? [String: Any])?["prompt_tokens"] as? Int)

                let two = try #require(try await client.post("/v1/edits", json: #"""
                    {"instruction": "Say hello.", "n": 2, "seed": 3}
                    """#).object?["choices"] as? [[String: Any]])
                #expect(two.map { $0["index"] as? Int } == [0, 1])
            }
        }

        @Test func badEditsAreRefusedNamingTheParameter() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.router) { client async throws in
                for (body, param) in [(#"{"input": "text"}"#, "instruction"), (#"{"instruction": "  "}"#, "instruction"),
                                      (#"{"instruction": "Go", "n": "two"}"#, "n"),
                                      (#"{"instruction": "Go", "top_k": -3}"#, "top_k")] {
                    let response = try await client.post("/v1/edits", json: body)
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(response.error?["param"] as? String == param, "\(body)")
                }
                let unknown = try await client.post("/v1/edits", json: #"{"instruction": "Go", "model": "nope"}"#)
                #expect(unknown.status == .notFound)
            }
        }
    }
}
