import Foundation
import OpenAIAPI
import Testing

@Test func completionPromptForms() throws {
    #expect(try decodeJSON(CompletionRequest.self, #"{"prompt": "Once upon"}"#).prompt == .text("Once upon"))
    #expect(try decodeJSON(CompletionRequest.self, #"{"prompt": ["a", "b"]}"#).prompt == .texts(["a", "b"]))
    #expect(try decodeJSON(CompletionRequest.self, #"{"prompt": [1, 2, 3]}"#).prompt == .tokens([1, 2, 3]))
    #expect(try decodeJSON(CompletionRequest.self, #"{"prompt": [[1, 2], [3]]}"#).prompt == .tokenBatches([[1, 2], [3]]))
    #expect(try decodeJSON(CompletionRequest.self, #"{"prompt": []}"#).prompt == .texts([]))
    for prompt in [CompletionPrompt.text("x"), .texts(["x", "y"]), .tokens([5]), .tokenBatches([[5], [6, 7]])] {
        let request = CompletionRequest(prompt: prompt)
        #expect(try decodeJSON(CompletionRequest.self, try encodedJSON(request)) == request)
    }
}

@Test func completionRequestDecodesOpenAIParameters() throws {
    let body = #"""
    {"model": "gpt-3.5-turbo-instruct", "prompt": "Say this is a test", "suffix": "!", "max_tokens": 7,
     "temperature": 0, "top_p": 1, "n": 1, "stream": false, "stream_options": {"include_usage": false},
     "logprobs": 5, "echo": true, "stop": ["\n"], "presence_penalty": 0, "frequency_penalty": 0,
     "best_of": 1, "logit_bias": {"50256": -100}, "seed": 7, "user": "u"}
    """#
    let request = try expectRoundTrip(CompletionRequest.self, body)
    #expect(request.model == "gpt-3.5-turbo-instruct" && request.prompt == .text("Say this is a test"))
    #expect(request.suffix == "!" && request.maxTokens == 7 && request.temperature == 0 && request.topP == 1)
    #expect(request.n == 1 && request.stream == false && request.streamOptions?.includeUsage == false)
    #expect(request.logprobs == 5 && request.echo == true && request.stop == ["\n"])
    #expect(request.presencePenalty == 0 && request.frequencyPenalty == 0 && request.bestOf == 1)
    #expect(request.logitBias == ["50256": -100] && request.generation.seed == 7 && request.user == "u")
}

@Test func completionRequestCarriesWebUIOptions() throws {
    let body = #"{"prompt": "x", "stop": "END", "min_p": 0.1, "top_k": 20, "ban_eos_token": true}"#
    let request = try expectRoundTrip(CompletionRequest.self, body)
    #expect(request.stop == ["END"])
    #expect(request.generation.minP == 0.1 && request.generation.topK == 20 && request.generation.banEOSToken == true)
    #expect(try jsonKeys(try encodedJSON(request)) == ["prompt", "stop", "min_p", "top_k", "ban_eos_token"])
}

@Test func completionRequestRequiresPrompt() {
    #expect(decodeFailure(CompletionRequest.self, #"{"model": "m"}"#)?.path == "prompt")
    #expect(decodeFailure(CompletionRequest.self, #"{"model": "m"}"#)?.kind == "keyNotFound")
}

@Test func badPromptsNameTheElement() {
    let mixed = decodeFailure(CompletionRequest.self, #"{"prompt": ["a", 1]}"#)
    #expect(mixed?.path == "prompt.1")
    #expect(mixed?.detail == "expected a string, got an integer.")
    let ragged = decodeFailure(CompletionRequest.self, #"{"prompt": [[1, 2], [3, "x"]]}"#)
    #expect(ragged?.path == "prompt.1.1")
    let fractional = decodeFailure(CompletionRequest.self, #"{"prompt": [1, 2.5]}"#)
    #expect(fractional?.path == "prompt.1")
    #expect(fractional?.detail == "expected an integer, got a number.")
    let object = decodeFailure(CompletionRequest.self, #"{"prompt": {"text": "x"}}"#)
    #expect(object?.path == "prompt")
    #expect(object?.detail.hasSuffix("got an object.") == true)
    #expect(decodeFailure(CompletionRequest.self, #"{"prompt": null}"#)?.path == "prompt")
    #expect(decodeFailure(CompletionRequest.self, #"{"prompt": [true]}"#)?.path == "prompt.0")
}

@Test func completionLogprobsIsAnInteger() {
    // Chat's boolean `logprobs` is not valid here: completions take a count of alternatives.
    let failure = decodeFailure(CompletionRequest.self, #"{"prompt": "x", "logprobs": true}"#)
    #expect(failure?.kind == "typeMismatch" && failure?.path == "logprobs")
}
