import Sampling

/// What to generate after a prompt, resolved and validated (defaults already applied).
public struct GenerationOptions: Sendable, Equatable {
    /// Most tokens to generate; clamped to what the context has room for.
    public var maxTokens: Int
    public var sampling: SamplingParameters
    /// Seed for the sampler; nil draws a random one.
    public var seed: UInt64?
    /// Text that ends generation; never emitted, not even in part.
    public var stopStrings: [String]
    /// Token ids that end generation in addition to the model's end-of-generation tokens.
    public var stopTokens: Set<Int32>
    /// nil: no logprobs; n ≥ 0: the chosen token's logprob and the n most likely alternatives.
    public var topLogprobs: Int?
    /// Logprobs of the prompt's own tokens too (completions with `echo`); uses `topLogprobs` for n.
    public var promptLogprobs: Bool
    /// Leave control tokens (e.g. `<|im_end|>`) out of the text.
    public var skipSpecialTokens: Bool

    public init(maxTokens: Int = 16, sampling: SamplingParameters = SamplingParameters(), seed: UInt64? = nil,
                stopStrings: [String] = [], stopTokens: Set<Int32> = [], topLogprobs: Int? = nil,
                promptLogprobs: Bool = false, skipSpecialTokens: Bool = true) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.seed = seed
        self.stopStrings = stopStrings
        self.stopTokens = stopTokens
        self.topLogprobs = topLogprobs
        self.promptLogprobs = promptLogprobs
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// - Throws: `EngineError.invalidOption` naming the first bad value.
    public func validate() throws {
        guard maxTokens >= 1 else { throw EngineError.invalidOption(name: "max_tokens", reason: "must be at least 1, got \(maxTokens)") }
        if let n = topLogprobs, !(0...20).contains(n) {
            throw EngineError.invalidOption(name: "top_logprobs", reason: "must be between 0 and 20, got \(n)")
        }
        do { try sampling.validate() } catch let error as SamplingError {
            throw EngineError.invalidOption(name: error.parameterName ?? "sampling", reason: error.description)
        }
    }
}

/// A token and its log-probability under the model (raw logits, before any sampler changes them).
public struct TokenLogprob: Sendable, Equatable {
    public var id: Int32
    public var logprob: Float
}

/// One generated token.
public struct GeneratedToken: Sendable, Equatable {
    public var id: Int32
    /// Text this token makes visible: "" while bytes of a character or a possible stop string are held
    /// back; held text is released with a later token or the result's `trailingText`.
    public var text: String
    /// The token's own bytes (what OpenAI's logprobs `bytes` field shows).
    public var bytes: [UInt8]
    /// Present when logprobs were requested.
    public var logprob: Float?
    /// The most likely tokens at this step, best first (when requested).
    public var topLogprobs: [TokenLogprob]
}

/// One prompt token with its logprob given the tokens before it (nil for the first).
public struct PromptToken: Sendable, Equatable {
    public var id: Int32
    public var bytes: [UInt8]
    public var logprob: Float?
    public var topLogprobs: [TokenLogprob]
}

public enum FinishReason: String, Sendable, Equatable {
    /// An end-of-generation token or a stop string.
    case stop
    /// `maxTokens` reached, or the context is full.
    case length
    /// The consumer went away.
    case cancelled
}

/// Counts and timings of one generation.
public struct GenerationUsage: Sendable, Equatable {
    public var promptTokens: Int
    /// Prompt tokens whose cache entries were reused from the previous request.
    public var cachedPromptTokens: Int
    public var completionTokens: Int
    public var promptSeconds: Double
    public var decodeSeconds: Double

    public var promptTokensPerSecond: Double {
        promptSeconds > 0 ? Double(promptTokens - cachedPromptTokens) / promptSeconds : 0
    }
    public var decodeTokensPerSecond: Double { decodeSeconds > 0 ? Double(completionTokens) / decodeSeconds : 0 }
}

/// How a generation ended.
public struct GenerationResult: Sendable, Equatable {
    public var finishReason: FinishReason
    /// The stop string that ended it, if one did.
    public var stopString: String?
    /// The end-of-generation or stop token that ended it, if one did.
    public var stopToken: Int32?
    /// Text held back until the end (a partial character or a partial stop string that never completed).
    public var trailingText: String
    public var usage: GenerationUsage
}

/// What a generation stream yields, in order: the prompt's logprobs (when asked), tokens, then the result.
public enum GenerationEvent: Sendable, Equatable {
    case prompt([PromptToken])
    case token(GeneratedToken)
    case finished(GenerationResult)
}
