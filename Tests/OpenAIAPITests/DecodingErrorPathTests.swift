import Foundation
import OpenAIAPI
import Testing

// The server turns a DecodingError into "Invalid type for '<path>'" / "Invalid value for '<path>': …"
// with `param` = the path, so every failure must carry the path of the offending value.

private func chat(_ extra: String, messages: String = #"[{"role": "user", "content": "x"}]"#) -> String {
    extra.isEmpty ? #"{"messages": \#(messages)}"# : #"{"messages": \#(messages), \#(extra)}"#
}

@Test(arguments: [
    (#""temperature": "hot""#, "temperature"),
    (#""top_p": true"#, "top_p"),
    (#""max_tokens": "100""#, "max_tokens"),
    (#""n": [1]"#, "n"),
    (#""stream": "yes""#, "stream"),
    (#""stream_options": {"include_usage": "yes"}"#, "stream_options.include_usage"),
    (#""logit_bias": {"50256": "ban"}"#, "logit_bias.50256"),
    (#""logprobs": 3"#, "logprobs"),
    (#""min_p": "0.1""#, "min_p"),
    (#""top_k": "40""#, "top_k"),
    (#""seed": false"#, "seed"),
    (#""continue_": "true""#, "continue_"),
    (#""tools": {"type": "function"}"#, "tools"),
])
func wrongTypeNamesTheParameter(extra: String, path: String) {
    let failure = decodeFailure(ChatCompletionRequest.self, chat(extra))
    #expect(failure?.kind == "typeMismatch", "\(failure?.description ?? "decoded")")
    #expect(failure?.path == path)
}

@Test(arguments: [
    (#""max_tokens": 10.5"#, "max_tokens"),
    (#""top_k": 40.5"#, "top_k"),
    (#""seed": 1e30"#, "seed"),
    (#""temperature": 1e400"#, "temperature"),
])
func numbersThatDoNotFitNameTheParameter(extra: String, path: String) {
    // Foundation reports these with an empty path; the request types put the key back.
    let failure = decodeFailure(ChatCompletionRequest.self, chat(extra))
    #expect(failure?.path == path, "\(failure?.description ?? "decoded")")
}

@Test func wholeNumbersWrittenAsFloatsAreIntegers() throws {
    #expect(try decodeJSON(ChatCompletionRequest.self, chat(#""max_tokens": 100.0"#)).maxTokens == 100)
}

@Test(arguments: [
    (#""stop": 5"#, "stop", "expected a string or an array of strings, got an integer."),
    (#""stop": ["a", null]"#, "stop.1", "expected a string, got null."),
    (#""tool_choice": "sometimes""#, "tool_choice",
     "unsupported tool choice 'sometimes'; expected 'none', 'auto', 'required' or an object."),
    (#""tool_choice": 1"#, "tool_choice", "expected 'none', 'auto', 'required' or an object, got an integer."),
    (#""tool_choice": {"type": "custom"}"#, "tool_choice.type", "unsupported tool choice type 'custom'; expected 'function'."),
    (#""response_format": {"type": "yaml"}"#, "response_format.type",
     "unsupported response format 'yaml'; expected 'text', 'json_object' or 'json_schema'."),
    (#""mode": "story""#, "mode", "unsupported mode 'story'; expected 'instruct', 'chat' or 'chat-instruct'."),
    (#""sampler_priority": [1]"#, "sampler_priority.0", "expected a string, got an integer."),
])
func badValuesExplainThemselves(extra: String, path: String, detail: String) {
    let failure = decodeFailure(ChatCompletionRequest.self, chat(extra))
    #expect(failure?.kind == "dataCorrupted")
    #expect(failure?.path == path)
    #expect(failure?.detail == detail)
}

@Test func messageErrorsPointIntoTheMessage() {
    let wrongContent = decodeFailure(ChatCompletionRequest.self, chat("", messages: #"[{"role": "user", "content": 5}]"#))
    #expect(wrongContent?.path == "messages.0.content")
    #expect(wrongContent?.detail == "expected a string or an array of content parts, got an integer.")

    let role = decodeFailure(ChatCompletionRequest.self, chat("", messages: #"[{"role": "robot", "content": "x"}]"#))
    #expect(role?.path == "messages.0.role")
    #expect(role?.detail == "unsupported role 'robot'; expected one of 'system', 'developer', 'user', 'assistant', 'tool'.")

    let noRole = decodeFailure(ChatCompletionRequest.self, chat("", messages: #"[{"content": "x"}]"#))
    #expect(noRole?.kind == "keyNotFound" && noRole?.path == "messages.0.role")

    let part = decodeFailure(ChatCompletionRequest.self, chat("", messages: """
        [{"role": "user", "content": "a"}, {"role": "user", "content": [{"type": "text", "text": "x"}, {"type": "video"}]}]
        """))
    #expect(part?.path == "messages.1.content.1.type")
    #expect(part?.detail.hasPrefix("unsupported content part type 'video'") == true)

    let partText = decodeFailure(ChatCompletionRequest.self,
                                 chat("", messages: #"[{"role": "user", "content": [{"type": "text", "text": 3}]}]"#))
    #expect(partText?.kind == "typeMismatch" && partText?.path == "messages.0.content.0.text")

    let arguments = decodeFailure(ChatCompletionRequest.self, chat("", messages: """
        [{"role": "assistant", "content": null, "tool_calls": [{"id": "c", "type": "function",
          "function": {"name": "f", "arguments": {"city": "Paris"}}}]}]
        """))
    #expect(arguments?.kind == "typeMismatch" && arguments?.path == "messages.0.tool_calls.0.function.arguments")
}

@Test func missingOrNullMessages() {
    let missing = decodeFailure(ChatCompletionRequest.self, #"{"model": "m"}"#)
    #expect(missing?.kind == "keyNotFound" && missing?.path == "messages")
    let null = decodeFailure(ChatCompletionRequest.self, #"{"messages": null}"#)
    #expect(null?.kind == "valueNotFound" && null?.path == "messages")
    let notArray = decodeFailure(ChatCompletionRequest.self, #"{"messages": "hi"}"#)
    #expect(notArray?.kind == "typeMismatch" && notArray?.path == "messages")
}

@Test func toolDefinitionErrorsPointIntoTools() {
    let noName = decodeFailure(ChatCompletionRequest.self, chat(#""tools": [{"type": "function", "function": {}}]"#))
    #expect(noName?.kind == "keyNotFound" && noName?.path == "tools.0.function.name")
    let strict = decodeFailure(ChatCompletionRequest.self,
                               chat(#""tools": [{"type": "function", "function": {"name": "f", "strict": "yes"}}]"#))
    #expect(strict?.kind == "typeMismatch" && strict?.path == "tools.0.function.strict")
    let choiceName = decodeFailure(ChatCompletionRequest.self,
                                   chat(#""tool_choice": {"type": "function", "function": {}}"#))
    #expect(choiceName?.kind == "keyNotFound" && choiceName?.path == "tool_choice.function.name")
}

@Test func completionRequestErrorsUseTopLevelPaths() {
    #expect(decodeFailure(CompletionRequest.self, #"{"prompt": "x", "temperature": "hot"}"#)?.path == "temperature")
    #expect(decodeFailure(CompletionRequest.self, #"{"prompt": "x", "echo": 1}"#)?.path == "echo")
    #expect(decodeFailure(CompletionRequest.self, #"{"prompt": "x", "dry_allowed_length": 2.5}"#)?.path
        == "dry_allowed_length")
    #expect(decodeFailure(CompletionRequest.self, #"{"prompt": "x", "stop": {"a": 1}}"#)?.path == "stop")
    #expect(decodeFailure(InternalLogitsRequest.self, #"{"prompt": "x", "use_samplers": "no"}"#)?.path == "use_samplers")
    #expect(decodeFailure(InternalLogitsRequest.self, #"{"prompt": "x", "top_logits": 5.5}"#)?.path == "top_logits")
}
