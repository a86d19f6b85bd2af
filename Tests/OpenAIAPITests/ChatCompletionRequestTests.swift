import Foundation
import OpenAIAPI
import Testing

// Bodies below are shaped like what openai-python, LangChain and SillyTavern send.

@Test func minimalChatRequestLeavesEverythingUnset() throws {
    let request = try expectRoundTrip(ChatCompletionRequest.self,
                                      #"{"messages": [{"role": "user", "content": "Hi"}]}"#)
    #expect(request.model == nil)
    #expect(request.messages == [ChatMessage(role: .user, content: .text("Hi"))])
    #expect(request.temperature == nil && request.maxTokens == nil && request.stop == nil && request.stream == nil)
    #expect(request.generation == GenerationParameters())
    #expect(request.chat == ChatModeParameters())
    #expect(try encodedJSON(request) == #"{"messages":[{"content":"Hi","role":"user"}]}"#)
}

@Test func chatRequestDecodesOpenAIParameters() throws {
    let body = #"""
    {"model": "gpt-4o-mini", "messages": [{"role": "developer", "content": "Be terse."},
                                          {"role": "user", "content": "Hi", "name": "ann"}],
     "max_tokens": 64, "max_completion_tokens": 32, "temperature": 0.7, "top_p": 0.9, "n": 2,
     "stop": "\n\n", "stream": true, "stream_options": {"include_usage": true}, "seed": 42,
     "presence_penalty": 0.5, "frequency_penalty": -0.5, "logit_bias": {"50256": -100, "13": 2.5},
     "logprobs": true, "top_logprobs": 3, "user": "u-1", "parallel_tool_calls": false,
     "response_format": {"type": "json_object"}, "reasoning_effort": "low",
     "chat_template_kwargs": {"enable_thinking": false},
     "metadata": {"ignored": "yes"}, "store": false}
    """#
    let request = try expectRoundTrip(ChatCompletionRequest.self, body)
    #expect(request.model == "gpt-4o-mini")
    #expect(request.messages.map(\.role) == [.developer, .user])
    #expect(request.messages[1].name == "ann")
    #expect(request.maxTokens == 64 && request.maxCompletionTokens == 32)
    #expect(request.temperature == 0.7 && request.topP == 0.9 && request.n == 2)
    #expect(request.stop == ["\n\n"])
    #expect(request.stream == true && request.streamOptions == StreamOptions(includeUsage: true))
    #expect(request.generation.seed == 42 && request.generation.reasoningEffort == "low")
    #expect(request.presencePenalty == 0.5 && request.frequencyPenalty == -0.5)
    #expect(request.logitBias == ["50256": -100, "13": 2.5])
    #expect(request.logprobs == true && request.topLogprobs == 3 && request.user == "u-1")
    #expect(request.parallelToolCalls == false && request.responseFormat == .jsonObject)
    #expect(request.chatTemplateKwargs == ["enable_thinking": .bool(false)])
}

@Test func stopAcceptsStringArrayAndNull() throws {
    let messages = #""messages": [{"role": "user", "content": "x"}]"#
    #expect(try decodeJSON(ChatCompletionRequest.self, "{\(messages), \"stop\": \"END\"}").stop == ["END"])
    #expect(try decodeJSON(ChatCompletionRequest.self, "{\(messages), \"stop\": [\"a\", \"b\"]}").stop == ["a", "b"])
    #expect(try decodeJSON(ChatCompletionRequest.self, "{\(messages), \"stop\": []}").stop == [])
    #expect(try decodeJSON(ChatCompletionRequest.self, "{\(messages), \"stop\": null}").stop == nil)
}

@Test func toolConversationDecodes() throws {
    let body = #"""
    {"model": "qwen", "messages": [
      {"role": "system", "content": "You can call tools."},
      {"role": "user", "content": "Weather in Paris?"},
      {"role": "assistant", "content": null, "tool_calls": [
        {"id": "call_abc123", "type": "function",
         "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
      {"role": "tool", "tool_call_id": "call_abc123", "content": "22 C, sunny"},
      {"role": "assistant", "content": "It is sunny.", "reasoning_content": "The tool said so."}],
     "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather",
       "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
       "strict": true}}],
     "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}
    """#
    let request = try expectRoundTrip(ChatCompletionRequest.self, body)
    let call = ChatToolCall(id: "call_abc123", function: FunctionCall(name: "get_weather", arguments: #"{"city": "Paris"}"#))
    #expect(request.messages[2] == ChatMessage(role: .assistant, content: nil, toolCalls: [call]))
    #expect(request.messages[3] == ChatMessage(role: .tool, content: .text("22 C, sunny"), toolCallID: "call_abc123"))
    #expect(request.messages[4].reasoningContent == "The tool said so.")
    let tool = try #require(request.tools?.first)
    #expect(tool.type == "function" && tool.function.name == "get_weather" && tool.function.strict == true)
    #expect(tool.function.parameters == .object([
        "type": .string("object"), "properties": .object(["city": .object(["type": .string("string")])]),
        "required": .array([.string("city")]),
    ]))
    #expect(request.toolChoice == .function(name: "get_weather"))
    // The assistant turn keeps its explicit null content when re-encoded.
    #expect(try encodedJSON(request.messages[2]).contains(#""content":null"#))
}

@Test func toolChoiceStrings() throws {
    let messages = #""messages": [{"role": "user", "content": "x"}]"#
    for (wire, choice) in [("none", ChatToolChoice.disabled), ("auto", .auto), ("required", .required)] {
        let request = try decodeJSON(ChatCompletionRequest.self, "{\(messages), \"tool_choice\": \"\(wire)\"}")
        #expect(request.toolChoice == choice)
        #expect(try encodedJSON(choice) == "\"\(wire)\"")
    }
}

@Test func toolCallWithoutTypeDefaultsToFunction() throws {
    let call = try decodeJSON(ChatToolCall.self, #"{"id": "c1", "function": {"name": "f", "arguments": "{}"}}"#)
    #expect(call.type == "function")
    #expect(try encodedJSON(call) == #"{"function":{"arguments":"{}","name":"f"},"id":"c1","type":"function"}"#)
}

@Test func contentPartsKeepEveryKind() throws {
    let body = #"""
    {"role": "user", "content": [
      {"type": "text", "text": "What is in this image?"},
      {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}},
      {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
      {"type": "file", "file": {"file_id": "file-1", "filename": "a.pdf"}}]}
    """#
    let message = try expectRoundTrip(ChatMessage.self, body)
    guard case let .parts(parts) = message.content else {
        Issue.record("expected parts")
        return
    }
    #expect(parts == [
        .text("What is in this image?"),
        .imageURL(.init(url: "data:image/png;base64,iVBORw0KGgo=", detail: "low")),
        .inputAudio(.init(data: "UklGRg==", format: "wav")),
        .file(.init(fileID: "file-1", filename: "a.pdf")),
    ])
    #expect(parts.map(\.type) == ["text", "image_url", "input_audio", "file"])
    #expect(try encodedJSON(parts[1]) == #"{"image_url":{"detail":"low","url":"data:image/png;base64,iVBORw0KGgo="},"type":"image_url"}"#)
}

@Test func assistantRefusalPartAndMissingContent() throws {
    let refusal = try decodeJSON(ChatMessage.self, #"{"role": "assistant", "content": [{"type": "refusal", "refusal": "No."}]}"#)
    #expect(refusal.content == .parts([.refusal("No.")]))
    let bare = try decodeJSON(ChatMessage.self, #"{"role": "assistant"}"#)
    #expect(bare.content == nil)
}

@Test func responseFormatJSONSchema() throws {
    let body = #"""
    {"type": "json_schema", "json_schema": {"name": "answer", "strict": true,
     "schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}}
    """#
    let format = try expectRoundTrip(ResponseFormat.self, body)
    guard case let .jsonSchema(schema) = format else {
        Issue.record("expected json_schema")
        return
    }
    #expect(schema.name == "answer" && schema.strict == true && schema.description == nil)
    #expect(try decodeJSON(ResponseFormat.self, #"{"type": "text"}"#) == .text)
}

@Test func webUIGenerationOptionsDecodeFlat() throws {
    let body = #"""
    {"messages": [{"role": "user", "content": "x"}], "preset": "min_p",
     "dynamic_temperature": true, "dynatemp_low": 0.5, "dynatemp_high": 1.5, "dynatemp_exponent": 1,
     "smoothing_factor": 0.3, "smoothing_curve": 1, "temperature_last": true, "min_p": 0.05, "top_k": 40,
     "typical_p": 0.95, "xtc_threshold": 0.1, "xtc_probability": 0.5, "epsilon_cutoff": 3, "eta_cutoff": 3,
     "tfs": 0.9, "top_a": 0.2, "top_n_sigma": 1, "adaptive_target": 0.3, "adaptive_decay": 0.9,
     "dry_multiplier": 0.8, "dry_allowed_length": 2, "dry_base": 1.75,
     "dry_sequence_breakers": "\"\\n\", \":\", \"\\\"\", \"*\"",
     "repetition_penalty": 1.1, "repetition_penalty_range": 1024, "encoder_repetition_penalty": 1,
     "no_repeat_ngram_size": 0, "penalty_alpha": 0, "guidance_scale": 1.5, "negative_prompt": "bad",
     "mirostat_mode": 2, "mirostat_tau": 5, "mirostat_eta": 0.1, "do_sample": false,
     "sampler_priority": ["top_k", "temperature"], "auto_max_new_tokens": true, "ban_eos_token": true,
     "add_bos_token": false, "skip_special_tokens": false, "custom_token_bans": "1,2,3",
     "truncation_length": 4096, "max_tokens_second": 10, "prompt_lookup_num_tokens": 0,
     "static_cache": false, "seed": -1, "grammar_string": "root ::= \"a\"",
     "enable_thinking": false, "reasoning_effort": "high", "preserve_thinking": true}
    """#
    let options = try expectRoundTrip(ChatCompletionRequest.self, body).generation
    #expect(options.preset == "min_p" && options.dynamicTemperature == true)
    #expect(options.dynatempLow == 0.5 && options.dynatempHigh == 1.5 && options.dynatempExponent == 1)
    #expect(options.smoothingFactor == 0.3 && options.smoothingCurve == 1 && options.temperatureLast == true)
    #expect(options.minP == 0.05 && options.topK == 40 && options.typicalP == 0.95)
    #expect(options.xtcThreshold == 0.1 && options.xtcProbability == 0.5)
    #expect(options.epsilonCutoff == 3 && options.etaCutoff == 3 && options.tfs == 0.9 && options.topA == 0.2)
    #expect(options.topNSigma == 1 && options.adaptiveTarget == 0.3 && options.adaptiveDecay == 0.9)
    #expect(options.dryMultiplier == 0.8 && options.dryAllowedLength == 2 && options.dryBase == 1.75)
    #expect(options.drySequenceBreakers == .string(#""\n", ":", "\"", "*""#))
    #expect(options.repetitionPenalty == 1.1 && options.repetitionPenaltyRange == 1024)
    #expect(options.encoderRepetitionPenalty == 1 && options.noRepeatNgramSize == 0)
    #expect(options.penaltyAlpha == 0 && options.guidanceScale == 1.5 && options.negativePrompt == "bad")
    #expect(options.mirostatMode == 2 && options.mirostatTau == 5 && options.mirostatEta == 0.1)
    #expect(options.doSample == false && options.samplerPriority == .list(["top_k", "temperature"]))
    #expect(options.autoMaxNewTokens == true && options.banEOSToken == true && options.addBOSToken == false)
    #expect(options.skipSpecialTokens == false && options.customTokenBans == "1,2,3")
    #expect(options.truncationLength == 4096 && options.maxTokensSecond == 10 && options.promptLookupNumTokens == 0)
    #expect(options.staticCache == false && options.seed == -1 && options.grammarString == #"root ::= "a""#)
    #expect(options.enableThinking == false && options.reasoningEffort == "high" && options.preserveThinking == true)
}

@Test func webUIChatExtrasDecodeFlat() throws {
    let body = #"""
    {"messages": [{"role": "user", "content": "x"}], "mode": "chat-instruct",
     "instruction_template": "ChatML", "instruction_template_str": "{{ messages }}", "character": "Example",
     "name1": "Ann", "name2": "Bot", "context": "A bot.", "greeting": "Hello!", "user_bio": "Likes tea.",
     "chat_template_str": "{{ x }}", "chat_instruct_command": "Reply as <|character|>.\n\n<|prompt|>",
     "continue_": true, "sampler_priority": "top_k\ntemperature"}
    """#
    let request = try expectRoundTrip(ChatCompletionRequest.self, body)
    let chat = request.chat
    #expect(chat.mode == .chatInstruct && chat.instructionTemplate == "ChatML")
    #expect(chat.instructionTemplateStr == "{{ messages }}" && chat.character == "Example")
    #expect(chat.name1 == "Ann" && chat.name2 == "Bot" && chat.context == "A bot." && chat.greeting == "Hello!")
    #expect(chat.userBio == "Likes tea." && chat.chatTemplateStr == "{{ x }}")
    #expect(chat.chatInstructCommand == "Reply as <|character|>.\n\n<|prompt|>" && chat.continueLastMessage == true)
    #expect(request.generation.samplerPriority == .string("top_k\ntemperature"))
    // Encoding writes the extensions back at the top level.
    let keys = try jsonKeys(try encodedJSON(request))
    #expect(keys.isSuperset(of: ["mode", "continue_", "name1", "sampler_priority", "messages"]))
    #expect(!keys.contains("generation") && !keys.contains("chat"))
}
