import Foundation
import OpenAIAPI
import Testing

@Test func completionHasOpenAIShape() throws {
    let completion = Completion(
        id: "cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7", created: 1_589_478_378, model: "smol",
        choices: [CompletionChoice(text: "\n\nThis is indeed a test", index: 0, finishReason: .length)],
        usage: CompletionUsage(promptTokens: 5, completionTokens: 7))
    #expect(try encodedJSON(completion) == #"""
    {"choices":[{"finish_reason":"length","index":0,"logprobs":null,"text":"\n\nThis is indeed a test"}],\#
    "created":1589478378,"id":"cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7","model":"smol","object":"text_completion",\#
    "system_fingerprint":null,"usage":{"completion_tokens":7,"prompt_tokens":5,"total_tokens":12}}
    """#)
}

@Test func completionKeysMatchOpenAIExample() throws {
    let openAI = #"""
    {"id": "cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7", "object": "text_completion", "created": 1589478378,
     "model": "gpt-3.5-turbo-instruct", "system_fingerprint": "fp_44709d6fcb",
     "choices": [{"text": "\n\nThis is indeed a test", "index": 0, "logprobs": null, "finish_reason": "length"}],
     "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}}
    """#
    let decoded = try decodeJSON(Completion.self, openAI)
    #expect(decoded.systemFingerprint == "fp_44709d6fcb" && decoded.choices[0].finishReason == .length)
    let ours = try encodedJSON(decoded)
    #expect(try jsonKeys(openAI) == jsonKeys(ours))
    #expect(try jsonKeys(openAI, at: "choices.0") == jsonKeys(ours, at: "choices.0"))
    #expect(try decodeJSON(Completion.self, ours) == decoded)
}

@Test func completionLogprobsWithEchoedFirstToken() throws {
    let logprobs = CompletionLogprobs(
        tokens: ["Say", " this"], tokenLogprobs: [nil, -1.5], topLogprobs: [nil, [" this": -1.5]], textOffset: [0, 3])
    #expect(try encodedJSON(logprobs) == #"""
    {"text_offset":[0,3],"token_logprobs":[null,-1.5],"tokens":["Say"," this"],"top_logprobs":[null,{" this":-1.5}]}
    """#)
    let choice = CompletionChoice(text: "Say this", index: 0, logprobs: logprobs, finishReason: .stop)
    #expect(try decodeJSON(CompletionChoice.self, try encodedJSON(choice)) == choice)
}

@Test func completionChunksStreamLikeOpenAI() throws {
    let piece = CompletionChunk(id: "cmpl-7", created: 1_690_759_702, model: "smol",
                                choices: [CompletionChoice(text: "This", index: 0, finishReason: nil)], usage: .absent)
    #expect(try encodedJSON(piece) == #"""
    {"choices":[{"finish_reason":null,"index":0,"logprobs":null,"text":"This"}],"created":1690759702,"id":"cmpl-7",\#
    "model":"smol","object":"text_completion","system_fingerprint":null}
    """#)
    let openAI = #"""
    {"id": "cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe", "object": "text_completion", "created": 1690759702,
     "choices": [{"text": "This", "index": 0, "logprobs": null, "finish_reason": null}],
     "model": "gpt-3.5-turbo-instruct", "system_fingerprint": "fp_44709d6fcb"}
    """#
    #expect(try jsonKeys(openAI) == jsonKeys(try encodedJSON(piece)))
    #expect(try decodeJSON(CompletionChunk.self, openAI).choices[0].text == "This")

    let pending = CompletionChunk(id: "cmpl-7", created: 1, model: "m",
                                  choices: [CompletionChoice(text: "", index: 0, finishReason: .stop)],
                                  usage: .pending(includeUsage: true))
    #expect(try encodedJSON(pending).hasSuffix(#""usage":null}"#))
    let last = CompletionChunk.usageChunk(id: "cmpl-7", created: 1, model: "m",
                                          usage: CompletionUsage(promptTokens: 1, completionTokens: 2))
    #expect(try encodedJSON(last) == #"""
    {"choices":[],"created":1,"id":"cmpl-7","model":"m","object":"text_completion","system_fingerprint":null,\#
    "usage":{"completion_tokens":2,"prompt_tokens":1,"total_tokens":3}}
    """#)
    for chunk in [piece, pending, last] {
        #expect(try decodeJSON(CompletionChunk.self, try encodedJSON(chunk)) == chunk)
    }
}
