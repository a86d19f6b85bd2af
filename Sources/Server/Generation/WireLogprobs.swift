import Engine
import OpenAIAPI
import Tokenizers

// Engine logprobs → OpenAI's two logprob shapes.

extension ChatLogprobs {
    /// `{"content": [{token, logprob, bytes, top_logprobs}]}` for generated tokens.
    init(tokens: [GeneratedToken], tokenizer: Tokenizer) {
        self.init(content: tokens.map { token in
            ChatTokenLogprob(
                token: tokenText(token.bytes), logprob: wireLogprob(token.logprob ?? 0),
                bytes: token.bytes.map(Int.init),
                topLogprobs: token.topLogprobs.map { alternative in
                    let bytes = tokenizer.pieceBytes(alternative.id)
                    return ChatTopLogprob(token: tokenText(bytes), logprob: wireLogprob(alternative.logprob),
                                          bytes: bytes.map(Int.init))
                })
        })
    }
}

/// Builds the legacy completions `logprobs` (parallel arrays) token by token, keeping the running
/// character offset into the choice's text.
struct CompletionLogprobsBuilder {
    let tokenizer: Tokenizer
    private(set) var offset: Int
    private var tokens: [String] = []
    private var tokenLogprobs: [Double?] = []
    private var topLogprobs: [[String: Double]?] = []
    private var textOffset: [Int] = []

    /// `offset`: where the first token's text starts in the choice's text.
    init(tokenizer: Tokenizer, offset: Int = 0) {
        self.tokenizer = tokenizer
        self.offset = offset
    }

    var result: CompletionLogprobs {
        CompletionLogprobs(tokens: tokens, tokenLogprobs: tokenLogprobs, topLogprobs: topLogprobs, textOffset: textOffset)
    }

    /// Adds prompt tokens (echo). The first has no logprob (`null`s); a BOS token the server prepended
    /// is listed but takes no room in the text.
    mutating func add(prompt: [PromptToken], addedBOS: Bool) {
        for (index, token) in prompt.enumerated() {
            let silent = index == 0 && addedBOS
            append(bytes: token.bytes, logprob: token.logprob, top: token.logprob == nil ? nil : token.topLogprobs,
                   advances: !silent)
        }
    }

    /// Continues at `offset` (after echoed prompt tokens: the prompt text's length, which can differ from
    /// the tokens' text, e.g. SentencePiece's leading space).
    mutating func move(to offset: Int) {
        self.offset = offset
    }

    mutating func add(generated: [GeneratedToken]) {
        for token in generated {
            append(bytes: token.bytes, logprob: token.logprob, top: token.topLogprobs, advances: true)
        }
    }

    private mutating func append(bytes: [UInt8], logprob: Float?, top: [TokenLogprob]?, advances: Bool) {
        tokens.append(tokenText(bytes))
        tokenLogprobs.append(logprob.map(wireLogprob))
        topLogprobs.append(top.map { alternatives in
            var map: [String: Double] = [:]
            for alternative in alternatives {
                let key = tokenText(tokenizer.pieceBytes(alternative.id))
                // Two tokens can print the same (e.g. partial characters); keep the likelier.
                if map[key] == nil { map[key] = wireLogprob(alternative.logprob) }
            }
            return map
        })
        textOffset.append(offset)
        if advances { offset += scalarCount(bytes) }
    }
}
