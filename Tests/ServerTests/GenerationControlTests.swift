import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Server
import Synchronization
import Testing

/// Occupies the engine's thread until `release()`, so tests can observe a busy server deterministically.
final class EngineBlocker: Sendable {
    private final class Started: Sendable {
        let flag = Atomic<Bool>(false)
    }

    private let gate = DispatchSemaphore(value: 0)
    private let task: Task<Void, any Error>

    init(_ server: SwiftletServer) async throws {
        let gate = gate, started = Started()
        task = Task { try await server.engine.run { started.flag.store(true, ordering: .sequentiallyConsistent); gate.wait() } }
        try await waitUntil("the engine to be blocked") { started.flag.load(ordering: .sequentiallyConsistent) }
    }

    func release() async throws {
        gate.signal()
        try await task.value
    }
}

private let hello = #"{"messages": [{"role": "user", "content": "Hello"}], "max_tokens": 4"#

@Test func fullQueueAnswers503WithRetryAfter() async throws {
    let models = try TemporaryModels()
    let server = try await GenerationServers.tiny(models) { $0.maxQueue = 0 }
    try await makeApplication(server).test(.router) { client async throws in
        let blocker = try await EngineBlocker(server)
        for body in [hello + "}", hello + #", "stream": true}"#] {
            let response = try await client.post("/v1/chat/completions", json: body)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "1")
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.error?["code"] as? String == "queue_full")
            #expect(response.error?["type"] as? String == "server_error")
        }
        let completion = try await client.post("/v1/completions", json: #"{"prompt": "a", "max_tokens": 2}"#)
        #expect(completion.status == .serviceUnavailable)
        try await blocker.release()
        #expect(try await client.post("/v1/chat/completions", json: hello + "}").status == .ok)
    }
}

@Test func streamSendsKeepAliveCommentsWhileQueued() async throws {
    let models = try TemporaryModels()
    let server = try await GenerationServers.tiny(models) { $0.keepAliveInterval = .milliseconds(20) }
    try await makeApplication(server).test(.router) { client async throws in
        let blocker = try await EngineBlocker(server)
        async let streamed = client.post("/v1/chat/completions", json: hello + #", "stream": true}"#)
        try await waitUntil("the request to queue") { server.engine.waiting == 1 }
        // Several keep-alive intervals pass while the request waits behind the blocked engine.
        try await Task.sleep(for: .milliseconds(300))
        try await blocker.release()
        let events = try await streamed.events
        #expect(events.first?.hasPrefix("{") == true, "the role chunk goes out at once")
        let firstContent = events.firstIndex { $0.contains(#""content":"#) && !$0.contains(#""role""#) } ?? events.count
        let comments = events.indices.filter { events[$0] == ": keep-alive" }
        // At least one before any text (later ones may follow if tokens come slower than the short interval).
        #expect(comments.contains { $0 < firstContent }, "\(events)")
        #expect(events.last == "[DONE]")
    }
}

@Test func modelFieldRules() async throws {
    let models = try TemporaryModels()
    let server = try await GenerationServers.tiny(models)
    try await makeApplication(server).test(.router) { client async throws in
        // The fixture has no chat template and its name matches nothing in model-map.yaml: Alpaca.
        let prompt = try await client.post("/v1/internal/chat-prompt", json: hello + "}")
        #expect((prompt.object?["prompt"] as? String)?.contains("### Instruction:\nHello") == true)
        for model in ["tiny", "tiny.gguf"] {
            let response = try await client.post("/v1/completions", json: #"{"model": "\#(model)", "prompt": "a", "max_tokens": 1}"#)
            #expect(response.status == .ok, "\(model)")
            #expect(response.object?["model"] as? String == "tiny")
        }
        let other = try await client.post("/v1/chat/completions", json: #"{"model": "other", "messages": [{"role": "user", "content": "a"}]}"#)
        #expect(other.status == .badRequest)
        #expect(other.error?["code"] as? String == "model_not_loaded")
        #expect(other.error?["param"] as? String == "model")
        #expect((other.error?["message"] as? String)?.contains("/v1/internal/model/load") == true)
        #expect((other.error?["message"] as? String)?.contains("'tiny'") == true)

        let unknown = try await client.post("/v1/completions", json: #"{"model": "gpt-4", "prompt": "a"}"#)
        #expect(unknown.status == .notFound)
        #expect(unknown.error?["code"] as? String == "model_not_found")

        let embedding = try await client.post("/v1/completions", json: #"{"model": "embed", "prompt": "a"}"#)
        #expect(embedding.status == .badRequest)
        #expect(embedding.error?["param"] as? String == "model")

        // Legacy engines routes: the model list, and completions with the named model.
        #expect(try await client.execute(uri: "/v1/engines", method: .get).object?["object"] as? String == "list")
        #expect(try await client.execute(uri: "/v1/engines/tiny", method: .get).object?["id"] as? String == "tiny")
        let legacy = try await client.post("/v1/engines/tiny/completions", json: #"{"prompt": "a", "max_tokens": 1}"#)
        #expect(legacy.status == .ok)
        #expect(try await client.post("/v1/engines/other/completions", json: #"{"prompt": "a"}"#).status == .badRequest)

        _ = try await client.execute(uri: "/v1/internal/model/unload", method: .post)
        let none = try await client.post("/v1/chat/completions", json: hello + "}")
        #expect(none.status == .serviceUnavailable)
        #expect((none.error?["message"] as? String)?.contains("No model is loaded") == true)
        #expect(try await client.post("/v1/internal/encode", json: #"{"text": "a"}"#).status == .serviceUnavailable)
    }
}

@Test func badRequestsAreRefusedNamingTheParameter() async throws {
    let models = try TemporaryModels()
    let server = try await GenerationServers.tiny(models)
    try await makeApplication(server).test(.router) { client async throws in
        func expectError(_ path: String, _ body: String, status: HTTPResponse.Status = .badRequest, param: String?,
                         code: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let response = try await client.post(path, json: body)
            #expect(response.status == status, "\(body): \(response.text)", sourceLocation: sourceLocation)
            #expect(response.error?["type"] as? String == "invalid_request_error", sourceLocation: sourceLocation)
            #expect(response.error?["param"] as? String == param, "\(response.text)", sourceLocation: sourceLocation)
            if let code { #expect(response.error?["code"] as? String == code, sourceLocation: sourceLocation) }
        }
        let chat = "/v1/chat/completions", text = "/v1/completions"
        try await expectError(chat, #"{"messages": [}"#, param: nil, code: "invalid_json")
        try await expectError(chat, #"{"model": "tiny"}"#, param: "messages")
        try await expectError(chat, #"{"messages": "hi"}"#, param: "messages")
        try await expectError(chat, #"{"messages": []}"#, param: "messages")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "temperature": "hot"}"#,
                              param: "temperature")
        try await expectError(chat, #"""
            {"messages": [{"role": "user", "content": [{"type": "text", "text": "What is this?"},
             {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]}
            """#, param: "messages.0.content.1", code: "unsupported_content_part")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "top_p": 0}"#, param: "top_p")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "logit_bias": {"x": 1}}"#,
                              param: "logit_bias.x")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "logit_bias": {"5": 500}}"#,
                              param: "logit_bias.5")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "custom_token_bans": "1,x"}"#,
                              param: "custom_token_bans")
        let everyToken = (0..<300).map(String.init).joined(separator: ",")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "custom_token_bans": "\#(everyToken)"}"#,
                              param: "custom_token_bans")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "sampler_priority": ["top_k", "nope"]}"#,
                              param: "sampler_priority.1")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "top_logprobs": 2}"#,
                              param: "top_logprobs")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "n": 0}"#, param: "n")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "stream_options": {"include_usage": true}}"#,
                              param: "stream_options")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "response_format": {"type": "json_object"}}"#,
                              param: "response_format", code: "unsupported_parameter")
        let tool = #"{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}"#
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "tools": [{"type": "code", "function": {"name": "f"}}]}"#,
                              param: "tools.0.type")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "tools": [{"type": "function", "function": {"name": "a b"}}]}"#,
                              param: "tools.0.function.name")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "tools": [\#(tool), \#(tool)]}"#,
                              param: "tools.1.function.name")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "tool_choice": "required"}"#,
                              param: "tool_choice")
        try await expectError(chat, #"""
            {"messages": [{"role": "user", "content": "a"}], "tools": [\#(tool)],
             "tool_choice": {"type": "function", "function": {"name": "g"}}}
            """#, param: "tool_choice")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "grammar_string": "root ::= x"}"#,
                              param: "grammar_string", code: "unsupported_parameter")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "mode": "story"}"#, param: "mode")
        try await expectError(chat, #"{"messages": [{"role": "user", "content": "a"}], "mode": "chat", "character": "Nobody"}"#,
                              param: "character")
        try await expectError(text, #"{"prompt": "a", "suffix": "b"}"#, param: "suffix", code: "unsupported_parameter")
        try await expectError(text, #"{"prompt": "a", "best_of": 3}"#, param: "best_of", code: "unsupported_parameter")
        try await expectError(text, #"{"prompt": "a", "logprobs": 6}"#, param: "logprobs")
        try await expectError(text, #"{"prompt": [1, 99999]}"#, param: "prompt.1")
        try await expectError(text, #"{"prompt": []}"#, param: "prompt")
        try await expectError(text, #"{"prompt": "a", "max_tokens": -1}"#, param: "max_tokens")
        try await expectError(text, #"{"prompt": "a", "max_tokens": 0, "stream": true}"#, param: "max_tokens")
        try await expectError(text, #"{"max_tokens": 3}"#, param: "prompt")

        // Tools are fine when the model may not call them; so are sampler options the engine has.
        let allowed = try await client.post(chat, json: #"""
            {"messages": [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": [{"type": "text", "text": "a"}]}],
             "tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "none", "max_tokens": 2,
             "min_p": 0.1, "top_k": 5, "repetition_penalty": 1.1, "dry_multiplier": 0.8,
             "dry_sequence_breakers": "\"\\n\", \":\"", "sampler_priority": "top_k\ntemperature", "seed": 3,
             "custom_token_bans": "5, 6", "logit_bias": {"7": -100}, "response_format": {"type": "text"}}
            """#)
        #expect(allowed.status == .ok, "\(allowed.text)")
    }
}
