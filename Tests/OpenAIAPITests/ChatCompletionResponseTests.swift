import Foundation
import OpenAIAPI
import Testing

private let usage = CompletionUsage(promptTokens: 19, completionTokens: 10)

// MARK: - Non-streaming

@Test func chatCompletionHasOpenAIShape() throws {
    let completion = ChatCompletion(
        id: "chatcmpl-1", created: 1_741_569_952, model: "smol",
        choices: [.init(index: 0, message: .init(content: "Hello!"), finishReason: .stop)], usage: usage)
    #expect(try encodedJSON(completion) == #"""
    {"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"content":"Hello!","refusal":null,"role":"assistant"}}],\#
    "created":1741569952,"id":"chatcmpl-1","model":"smol","object":"chat.completion","system_fingerprint":null,\#
    "usage":{"completion_tokens":10,"prompt_tokens":19,"total_tokens":29}}
    """#)
}

/// OpenAI's documented example, minus what Swiftlet has no use for (`annotations`, `service_tier`, …):
/// every key it sends at these levels is one Swiftlet sends too.
@Test func chatCompletionKeysMatchOpenAIExample() throws {
    let openAI = #"""
    {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
     "model": "gpt-4.1-2025-04-14", "system_fingerprint": "fp_1", "service_tier": "default",
     "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I assist you today?",
                  "refusal": null, "annotations": []}, "logprobs": null, "finish_reason": "stop"}],
     "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29,
               "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0}}}
    """#
    let decoded = try decodeJSON(ChatCompletion.self, openAI)
    #expect(decoded.choices[0].message.content == "Hello! How can I assist you today?")
    #expect(decoded.usage.promptTokensDetails?.cachedTokens == 0)
    let ours = try encodedJSON(decoded)
    #expect(try jsonKeys(openAI).subtracting(["service_tier"]) == jsonKeys(ours))
    #expect(try jsonKeys(openAI, at: "choices.0") == jsonKeys(ours, at: "choices.0"))
    #expect(try jsonKeys(openAI, at: "choices.0.message").subtracting(["annotations"])
        == jsonKeys(ours, at: "choices.0.message"))
    #expect(try jsonKeys(ours, at: "usage.prompt_tokens_details") == ["cached_tokens"])
}

@Test func toolCallMessageHasNullContent() throws {
    let call = ChatToolCall(id: "call_abc123", function: .init(name: "get_weather", arguments: #"{"city":"Paris"}"#))
    let choice = ChatCompletion.Choice(index: 0, message: .init(content: nil, toolCalls: [call]), finishReason: .toolCalls)
    #expect(try encodedJSON(choice) == #"""
    {"finish_reason":"tool_calls","index":0,"logprobs":null,"message":{"content":null,"refusal":null,"role":"assistant",\#
    "tool_calls":[{"function":{"arguments":"{\"city\":\"Paris\"}","name":"get_weather"},"id":"call_abc123","type":"function"}]}}
    """#)
}

@Test func reasoningContentAndUsageDetailsWhenPresent() throws {
    let message = ChatCompletion.Message(content: "4", reasoningContent: "2+2")
    #expect(try encodedJSON(message) == #"{"content":"4","reasoning":"2+2","reasoning_content":"2+2","refusal":null,"role":"assistant"}"#)
    let detailed = CompletionUsage(promptTokens: 5, completionTokens: 3, promptTokensDetails: .init(cachedTokens: 4),
                                   completionTokensDetails: .init(reasoningTokens: 2))
    #expect(try encodedJSON(detailed) == #"""
    {"completion_tokens":3,"completion_tokens_details":{"reasoning_tokens":2},"prompt_tokens":5,\#
    "prompt_tokens_details":{"cached_tokens":4},"total_tokens":8}
    """#)
}

@Test func chatLogprobsShape() throws {
    let logprobs = ChatLogprobs(content: [
        ChatTokenLogprob(token: "Hi", logprob: -0.5, bytes: [72, 105], topLogprobs: [
            ChatTopLogprob(token: "Hi", logprob: -0.5, bytes: [72, 105]),
            ChatTopLogprob(token: "\u{FFFD}", logprob: -2, bytes: nil),
        ]),
    ])
    #expect(try encodedJSON(logprobs) == #"""
    {"content":[{"bytes":[72,105],"logprob":-0.5,"token":"Hi","top_logprobs":[{"bytes":[72,105],"logprob":-0.5,"token":"Hi"},\#
    {"bytes":null,"logprob":-2,"token":"\#u{FFFD}"}]}]}
    """#)
    #expect(try encodedJSON(ChatLogprobs(content: nil)) == #"{"content":null}"#)
    let choice = ChatCompletion.Choice(index: 0, message: .init(content: "Hi"), logprobs: logprobs, finishReason: .length)
    let decoded = try decodeJSON(ChatCompletion.Choice.self, try encodedJSON(choice))
    #expect(decoded == choice)
}

// MARK: - Streaming

@Test func chunkSequenceMatchesOpenAIStream() throws {
    func chunk(_ delta: ChatCompletionChunk.Delta, _ finish: CompletionFinishReason? = nil) -> ChatCompletionChunk {
        ChatCompletionChunk(id: "chatcmpl-123", created: 1_694_268_190, model: "smol",
                            choices: [.init(index: 0, delta: delta, finishReason: finish)], usage: .absent)
    }
    let head = #""created":1694268190,"id":"chatcmpl-123","model":"smol","object":"chat.completion.chunk","system_fingerprint":null"#
    #expect(try encodedJSON(chunk(.opening)) == #"""
    {"choices":[{"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],\#(head)}
    """#)
    #expect(try encodedJSON(chunk(.init(content: "Hel"))) == #"""
    {"choices":[{"delta":{"content":"Hel"},"finish_reason":null,"index":0,"logprobs":null}],\#(head)}
    """#)
    #expect(try encodedJSON(chunk(.init(), .stop)) == #"""
    {"choices":[{"delta":{},"finish_reason":"stop","index":0,"logprobs":null}],\#(head)}
    """#)
}

@Test func includeUsageAddsNullsAndAFinalUsageChunk() throws {
    let streaming = ChatCompletionChunk(
        id: "c", created: 1, model: "m", choices: [.init(index: 0, delta: .init(reasoningContent: "hmm"))],
        usage: .pending(includeUsage: true))
    #expect(try encodedJSON(streaming) == #"""
    {"choices":[{"delta":{"reasoning":"hmm","reasoning_content":"hmm"},"finish_reason":null,"index":0,"logprobs":null}],\#
    "created":1,"id":"c","model":"m","object":"chat.completion.chunk","system_fingerprint":null,"usage":null}
    """#)
    let last = ChatCompletionChunk.usageChunk(id: "c", created: 1, model: "m", usage: usage)
    #expect(try encodedJSON(last) == #"""
    {"choices":[],"created":1,"id":"c","model":"m","object":"chat.completion.chunk","system_fingerprint":null,\#
    "usage":{"completion_tokens":10,"prompt_tokens":19,"total_tokens":29}}
    """#)
    #expect(ChunkUsage.pending(includeUsage: false) == .absent)
    for chunk in [streaming, last] {
        #expect(try decodeJSON(ChatCompletionChunk.self, try encodedJSON(chunk)) == chunk)
    }
    let without = ChatCompletionChunk(id: "c", created: 1, model: "m", choices: [], usage: .absent)
    #expect(try !jsonKeys(try encodedJSON(without)).contains("usage"))
    #expect(try decodeJSON(ChatCompletionChunk.self, try encodedJSON(without)).usage == .absent)
}

@Test func toolCallDeltasStreamLikeOpenAI() throws {
    let first = ChatCompletionChunk.Delta(
        role: "assistant", toolCalls: [.start(index: 0, id: "call_1", name: "get_weather")])
    #expect(try encodedJSON(first) == #"""
    {"role":"assistant","tool_calls":[{"function":{"arguments":"","name":"get_weather"},"id":"call_1","index":0,"type":"function"}]}
    """#)
    let more = ChatCompletionChunk.Delta(
        toolCalls: [ChatToolCallDelta(index: 0, function: FunctionCallDelta(arguments: #"{"city""#))])
    #expect(try encodedJSON(more) == #"{"tool_calls":[{"function":{"arguments":"{\"city\""},"index":0}]}"#)
    #expect(try decodeJSON(ChatCompletionChunk.Delta.self, try encodedJSON(more)) == more)
}

@Test func streamedChunkFromOpenAIDecodes() throws {
    let openAI = #"""
    {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini",
     "system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant","content":""},
     "logprobs":null,"finish_reason":null}]}
    """#
    let chunk = try decodeJSON(ChatCompletionChunk.self, openAI)
    #expect(chunk.choices[0].delta == .opening && chunk.usage == .absent)
    #expect(try jsonKeys(openAI) == jsonKeys(try encodedJSON(chunk)))
    #expect(try jsonKeys(openAI, at: "choices.0") == jsonKeys(try encodedJSON(chunk), at: "choices.0"))
}
