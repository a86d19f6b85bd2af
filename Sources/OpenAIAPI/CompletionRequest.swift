/// `POST /v1/completions`: continue a raw prompt, without a chat template.
///
/// Every optional is nil when the client did not send the key (or sent `null`); defaults (OpenAI's
/// `max_tokens` 16, text-generation-webui's 512, …) are chosen when the request is resolved.
public struct CompletionRequest: Codable, Sendable, Equatable {
    // MARK: - OpenAI parameters

    /// The requested model id; how it maps to the loaded model is the server's decision.
    public var model: String?
    /// Text or token ids to continue; an array means one completion per element.
    public var prompt: CompletionPrompt
    /// Text that comes after the completion (fill-in-the-middle).
    public var suffix: String?
    /// Most tokens to generate.
    public var maxTokens: Int?
    /// Sampling temperature, 0…2 (OpenAI default 1).
    public var temperature: Double?
    /// Nucleus sampling mass, 0…1 (OpenAI default 1).
    public var topP: Double?
    /// Number of completions per prompt.
    public var n: Int?
    /// Answer with server-sent events of `CompletionChunk`s.
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    /// How many alternatives per position to report with each token's log probability (0…5); nil for
    /// no log probabilities.
    public var logprobs: Int?
    /// Put the prompt in front of the completion text.
    public var echo: Bool?
    /// Stop strings; a single string on the wire becomes a one-element array.
    public var stop: [String]?
    /// Additive penalty on tokens already generated, -2…2.
    public var presencePenalty: Double?
    /// Additive penalty proportional to how often a token was generated, -2…2.
    public var frequencyPenalty: Double?
    /// Generate this many candidates and return the best `n`.
    public var bestOf: Int?
    /// Additive logit bias by token id (as a decimal string), -100…100.
    public var logitBias: [String: Double]?
    /// An end-user id; accepted and ignored.
    public var user: String?

    // MARK: - text-generation-webui extensions

    /// Sampler and generation options (also holds `seed`, which OpenAI shares).
    public var generation: GenerationParameters

    public init(model: String? = nil, prompt: CompletionPrompt) {
        self.model = model
        self.prompt = prompt
        self.generation = GenerationParameters()
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, prompt, suffix
        case maxTokens = "max_tokens"
        case temperature
        case topP = "top_p"
        case n, stream
        case streamOptions = "stream_options"
        case logprobs, echo, stop
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case bestOf = "best_of"
        case logitBias = "logit_bias"
        case user
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.optional(.model)
        prompt = try c.required(.prompt)
        suffix = try c.optional(.suffix)
        maxTokens = try c.optional(.maxTokens)
        temperature = try c.optional(.temperature)
        topP = try c.optional(.topP)
        n = try c.optional(.n)
        stream = try c.optional(.stream)
        streamOptions = try c.optional(.streamOptions)
        logprobs = try c.optional(.logprobs)
        echo = try c.optional(.echo)
        stop = try c.stringOrStrings(.stop)
        presencePenalty = try c.optional(.presencePenalty)
        frequencyPenalty = try c.optional(.frequencyPenalty)
        bestOf = try c.optional(.bestOf)
        logitBias = try c.optional(.logitBias)
        user = try c.optional(.user)
        // The extensions read the same top-level object.
        generation = try GenerationParameters(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(model, forKey: .model)
        try c.encode(prompt, forKey: .prompt)
        try c.encodeIfPresent(suffix, forKey: .suffix)
        try c.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try c.encodeIfPresent(temperature, forKey: .temperature)
        try c.encodeIfPresent(topP, forKey: .topP)
        try c.encodeIfPresent(n, forKey: .n)
        try c.encodeIfPresent(stream, forKey: .stream)
        try c.encodeIfPresent(streamOptions, forKey: .streamOptions)
        try c.encodeIfPresent(logprobs, forKey: .logprobs)
        try c.encodeIfPresent(echo, forKey: .echo)
        try c.encodeIfPresent(stop, forKey: .stop)
        try c.encodeIfPresent(presencePenalty, forKey: .presencePenalty)
        try c.encodeIfPresent(frequencyPenalty, forKey: .frequencyPenalty)
        try c.encodeIfPresent(bestOf, forKey: .bestOf)
        try c.encodeIfPresent(logitBias, forKey: .logitBias)
        try c.encodeIfPresent(user, forKey: .user)
        try generation.encode(to: encoder)
    }
}

/// A completion `prompt`: a string, an array of strings, an array of token ids, or an array of such
/// arrays. The array forms ask for one completion per element.
public enum CompletionPrompt: Codable, Sendable, Equatable {
    case text(String)
    case texts([String])
    case tokens([Int])
    case tokenBatches([[Int]])

    public init(from decoder: any Decoder) throws {
        let path = decoder.codingPath
        let expected = "a string, an array of strings, an array of token ids, or an array of token-id arrays"
        let value = try decoder.singleValueContainer().decode(JSONValue.self)
        switch value {
        case let .string(text):
            self = .text(text)
        case let .array(elements):
            // The first element decides which array form this is; the others must match it.
            switch elements.first {
            case nil, .string?:
                self = .texts(try WireDecoding.strings(from: value, at: path, allowSingle: false))
            case .integer?, .number?:
                self = .tokens(try WireDecoding.integers(from: value, at: path))
            case .array?:
                self = .tokenBatches(try elements.enumerated().map { index, element in
                    try WireDecoding.integers(from: element, at: path + [PathKey(intValue: index)])
                })
            case let first?:
                throw DecodingError.invalidValue(
                    at: path + [PathKey(intValue: 0)], "expected a string, a token id or an array of token ids, got \(first.typeName).")
            }
        default:
            throw DecodingError.invalidValue(at: path, "expected \(expected), got \(value.typeName).")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .text(text): try container.encode(text)
        case let .texts(texts): try container.encode(texts)
        case let .tokens(tokens): try container.encode(tokens)
        case let .tokenBatches(batches): try container.encode(batches)
        }
    }
}
