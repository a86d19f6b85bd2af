import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Testing

extension SmolLM2Tests {
    @Suite struct Disconnects {
        /// A client that hangs up mid-stream must not keep the engine busy: its generation (thousands of
        /// tokens, about a minute of work) is stopped, and the next request is served.
        @Test func clientThatHangsUpCancelsItsGeneration() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.live) { client async throws in
                let port = try #require(client.port)
                let before = server.generations.stoppedEarly
                let connection = try RawHTTPConnection(port: port)
                try connection.post("/v1/chat/completions", json: #"""
                    {"messages": [{"role": "user", "content": "Tell me a very long story."}], "stream": true,
                     "max_tokens": 4000, "ban_eos_token": true, "temperature": 0}
                    """#)
                let head = try connection.read(until: #""content":""#)
                #expect(head.hasPrefix("HTTP/1.1 200"))
                #expect(head.contains("text/event-stream"))
                // Wait for a real content delta (the role chunk also has "content":""), then hang up.
                _ = try connection.read(until: "\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\"")
                connection.close()

                // The generation is ended early (not run to its 4000 tokens), and the engine is free again.
                try await waitUntil("the generation to be stopped") { server.generations.stoppedEarly == before + 1 }
                #expect(server.generations.active == 0)
                try await server.engine.run {}
                let info = try await client.execute(uri: "/v1/internal/model/info", method: .get)
                #expect(info.object?["model_name"] as? String == "SmolLM2-135M-Instruct.Q4_1")
                let next = try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2}"#))
                #expect(next.status == .ok)
            }
        }

        /// The same for a non-streamed request: nothing is written until the answer is complete, so the
        /// server watches the connection and stops the generation once it closes.
        @Test func clientThatHangsUpOnANonStreamedRequestCancelsItsGeneration() async throws {
            let server = try await GenerationServers.smolLM2.value
            try await makeApplication(server).test(.live) { client async throws in
                let port = try #require(client.port)
                let before = server.generations.stoppedEarly
                let connection = try RawHTTPConnection(port: port)
                try connection.post("/v1/completions", json: #"""
                    {"prompt": "Once upon a time", "max_tokens": 4000, "ban_eos_token": true, "temperature": 0}
                    """#)
                try await waitUntil("the generation to start") { server.generations.active == 1 }
                connection.close()
                try await waitUntil("the generation to be stopped") { server.generations.stoppedEarly == before + 1 }
                try await waitUntil("the request to end") { server.generations.active == 0 }
                try await server.engine.run {}
                let next = try await client.execute(
                    uri: "/v1/completions", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"prompt": "Hi", "max_tokens": 2}"#))
                #expect(next.status == .ok)
            }
        }
    }
}
