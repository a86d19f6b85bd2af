import Foundation
import OpenAIAPI
import Testing

@Test func encodeDecodeAndTokenCountShapes() throws {
    #expect(try decodeJSON(EncodeRequest.self, #"{"text": "Hello world"}"#) == EncodeRequest(text: "Hello world"))
    #expect(try decodeJSON(TokenCountRequest.self, #"{"text": ""}"#).text == "")
    #expect(try encodedJSON(EncodeResponse(tokens: [9906, 1917])) == #"{"length":2,"tokens":[9906,1917]}"#)
    #expect(try decodeJSON(DecodeRequest.self, #"{"tokens": [9906, 1917]}"#).tokens == [9906, 1917])
    #expect(try encodedJSON(DecodeResponse(text: "Hello world")) == #"{"text":"Hello world"}"#)
    #expect(try encodedJSON(TokenCountResponse(length: 2)) == #"{"length":2}"#)
    #expect(try encodedJSON(ChatPromptResponse(prompt: "<|im_start|>user\nHi")) == #"{"prompt":"<|im_start|>user\nHi"}"#)
    _ = try expectRoundTrip(DecodeRequest.self, #"{"tokens": []}"#)
}

@Test func decodeRequestNamesBadTokens() {
    #expect(decodeFailure(DecodeRequest.self, #"{"tokens": [1, "2"]}"#)?.path == "tokens.1")
    #expect(decodeFailure(DecodeRequest.self, #"{"tokens": [1, 2.5]}"#)?.path == "tokens.1")
    #expect(decodeFailure(DecodeRequest.self, #"{"tokens": "1 2"}"#)?.path == "tokens")
    let missing = decodeFailure(DecodeRequest.self, #"{}"#)
    #expect(missing?.kind == "keyNotFound" && missing?.path == "tokens")
    #expect(decodeFailure(DecodeRequest.self, #"{"tokens": null}"#)?.path == "tokens")
}

@Test func logitsRequestTakesSamplerOptions() throws {
    let body = #"""
    {"prompt": "The capital of France is", "use_samplers": true, "top_logits": 10, "max_tokens": 1,
     "temperature": 0.5, "top_p": 0.9, "frequency_penalty": 0, "presence_penalty": 0, "min_p": 0.05, "top_k": 5}
    """#
    let request = try expectRoundTrip(InternalLogitsRequest.self, body)
    #expect(request.prompt == "The capital of France is" && request.useSamplers == true && request.topLogits == 10)
    #expect(request.maxTokens == 1 && request.temperature == 0.5 && request.topP == 0.9)
    #expect(request.frequencyPenalty == 0 && request.presencePenalty == 0)
    #expect(request.generation.minP == 0.05 && request.generation.topK == 5)
    let bare = try decodeJSON(InternalLogitsRequest.self, #"{"prompt": "x"}"#)
    #expect(bare == InternalLogitsRequest(prompt: "x"))
    #expect(bare.useSamplers == nil && bare.topLogits == nil)
}

@Test func logitsResponseIsABareObject() throws {
    let response = InternalLogitsResponse(probabilities: [" Paris": 0.5, " the": 0.25])
    #expect(try encodedJSON(response) == #"{" Paris":0.5," the":0.25}"#)
    #expect(try decodeJSON(InternalLogitsResponse.self, #"{" Paris": 0.5, " the": 0.25}"#) == response)
}

@Test func loadModelRequestKeepsOldFieldsAndTakesTemplates() throws {
    let body = #"""
    {"model_name": "Qwen", "args": {"ctx_size": 4096, "threads": 2, "batch_size": 256, "cache_type": "q8_0"},
     "instruction_template": "ChatML", "instruction_template_str": "{{ x }}"}
    """#
    let request = try expectRoundTrip(LoadModelRequest.self, body)
    #expect(request.args?["batch_size"] == .integer(256) && request.args?["cache_type"] == .string("q8_0"))
    #expect(request.instructionTemplate == "ChatML" && request.instructionTemplateStr == "{{ x }}")
    #expect(try encodedJSON(LoadModelRequest(modelName: "m")) == #"{"model_name":"m"}"#)
}

@Test func responseIDsHaveOpenAIFormats() {
    let alphanumerics = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    for (id, prefix, length) in [(ResponseID.chatCompletion(), "chatcmpl-", 29), (ResponseID.completion(), "cmpl-", 29),
                                 (ResponseID.toolCall(), "call_", 24)] {
        #expect(id.hasPrefix(prefix))
        let tail = id.dropFirst(prefix.count)
        #expect(tail.count == length && tail.allSatisfy(alphanumerics.contains))
    }
    #expect(ResponseID.chatCompletion() != ResponseID.chatCompletion())
    var first = SplitMix(seed: 7)
    var second = SplitMix(seed: 7)
    #expect(ResponseID.make(prefix: "x-", length: 12, using: &first) == ResponseID.make(prefix: "x-", length: 12, using: &second))
}

/// A tiny seeded generator, to show ids are reproducible from a seed.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
