import Engine

/// Turns one choice's generated tokens into visible text pieces, each with the tokens that produced it,
/// so text and logprobs stay aligned (streamed or not).
///
/// The engine reports "" for a token whose text is held back (part of a character, or maybe the start
/// of a stop string); such tokens wait here until text appears. Tokens that only ever formed a stop
/// string are dropped with it: they are not part of the answer.
struct ChoiceText {
    private(set) var text = ""
    /// Tokens whose text is still held back by the engine.
    private var pending: [GeneratedToken] = []

    /// Adds a token; returns the newly visible text and its tokens, or nil while the text is held back.
    mutating func add(_ token: GeneratedToken) -> (text: String, tokens: [GeneratedToken])? {
        pending.append(token)
        guard !token.text.isEmpty else { return nil }
        return release(token.text)
    }

    /// The text the engine released at the end (a partial stop string that never completed, or the
    /// last bytes of a character), with the tokens still waiting; nil when there is none.
    mutating func finish(_ result: GenerationResult) -> (text: String, tokens: [GeneratedToken])? {
        guard !result.trailingText.isEmpty else {
            pending = []
            return nil
        }
        return release(result.trailingText)
    }

    private mutating func release(_ piece: String) -> (text: String, tokens: [GeneratedToken]) {
        text += piece
        defer { pending = [] }
        return (piece, pending)
    }
}

// MARK: - Wire logprobs

/// OpenAI cannot send −∞ (JSON has no infinities); it sends −9999 for impossible tokens, and so do we.
func wireLogprob(_ value: Float) -> Double {
    value.isFinite ? Double(value) : -9999.0
}

/// The text a token stands for, from its bytes (a token holding part of a character shows U+FFFD, as
/// OpenAI's do; `bytes` carries the exact value).
func tokenText(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// The number of characters (Unicode scalars) that `bytes` starts: continuation bytes do not count, so
/// the running total is a character offset even when a token splits a character.
func scalarCount(_ bytes: [UInt8]) -> Int {
    bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
}
