// text-generation-webui's token and prompt utilities (`/v1/internal/...`), with its field names.
// `/v1/internal/stop-generation` takes no body and answers the JSON string "OK", like model/unload.

/// `POST /v1/internal/encode` and `/v1/internal/token-count`: `{"text": "…"}`.
public struct EncodeRequest: Codable, Sendable, Equatable {
    public var text: String

    public init(text: String) {
        self.text = text
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case text
    }
}

/// `/v1/internal/token-count` takes the same body as `/v1/internal/encode`.
public typealias TokenCountRequest = EncodeRequest

/// The answer to `/v1/internal/encode`: `{"tokens": [1, 2], "length": 2}`.
public struct EncodeResponse: Codable, Sendable, Equatable {
    public var tokens: [Int]
    /// `tokens.count`.
    public var length: Int

    public init(tokens: [Int]) {
        self.tokens = tokens
        self.length = tokens.count
    }

    enum CodingKeys: String, CodingKey {
        case tokens, length
    }
}

/// `POST /v1/internal/decode`: `{"tokens": [1, 2]}`.
public struct DecodeRequest: Codable, Sendable, Equatable {
    public var tokens: [Int]

    public init(tokens: [Int]) {
        self.tokens = tokens
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tokens
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Through `integers` so a bad element is reported as `tokens.N`.
        guard let tokens = try c.integers(.tokens) else {
            throw DecodingError.keyNotFound(
                CodingKeys.tokens, DecodingError.Context(codingPath: c.codingPath, debugDescription: "tokens is required"))
        }
        self.tokens = tokens
    }
}

/// The answer to `/v1/internal/decode`: `{"text": "…"}`.
public struct DecodeResponse: Codable, Sendable, Equatable {
    public var text: String

    public init(text: String) {
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case text
    }
}

/// The answer to `/v1/internal/token-count`: `{"length": 2}`.
public struct TokenCountResponse: Codable, Sendable, Equatable {
    public var length: Int

    public init(length: Int) {
        self.length = length
    }

    enum CodingKeys: String, CodingKey {
        case length
    }
}

/// `POST /v1/internal/logits`: the most likely next tokens after `prompt`.
public struct InternalLogitsRequest: Codable, Sendable, Equatable {
    public var prompt: String
    /// Apply the request's samplers before reporting probabilities (default false: the raw softmax).
    public var useSamplers: Bool?
    /// How many tokens to report (default 50).
    public var topLogits: Int?
    /// Accepted because the sampler state reads it; nothing is generated.
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var frequencyPenalty: Double?
    public var presencePenalty: Double?
    /// Sampler options, used when `use_samplers` is true.
    public var generation: GenerationParameters

    public init(prompt: String, useSamplers: Bool? = nil, topLogits: Int? = nil) {
        self.prompt = prompt
        self.useSamplers = useSamplers
        self.topLogits = topLogits
        self.generation = GenerationParameters()
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case prompt
        case useSamplers = "use_samplers"
        case topLogits = "top_logits"
        case maxTokens = "max_tokens"
        case temperature
        case topP = "top_p"
        case frequencyPenalty = "frequency_penalty"
        case presencePenalty = "presence_penalty"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try c.required(.prompt)
        useSamplers = try c.optional(.useSamplers)
        topLogits = try c.optional(.topLogits)
        maxTokens = try c.optional(.maxTokens)
        temperature = try c.optional(.temperature)
        topP = try c.optional(.topP)
        frequencyPenalty = try c.optional(.frequencyPenalty)
        presencePenalty = try c.optional(.presencePenalty)
        generation = try GenerationParameters(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(prompt, forKey: .prompt)
        try c.encodeIfPresent(useSamplers, forKey: .useSamplers)
        try c.encodeIfPresent(topLogits, forKey: .topLogits)
        try c.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try c.encodeIfPresent(temperature, forKey: .temperature)
        try c.encodeIfPresent(topP, forKey: .topP)
        try c.encodeIfPresent(frequencyPenalty, forKey: .frequencyPenalty)
        try c.encodeIfPresent(presencePenalty, forKey: .presencePenalty)
        try generation.encode(to: encoder)
    }
}

/// The answer to `/v1/internal/logits`: a bare JSON object of token text → probability (0…1), as
/// text-generation-webui returns it (`{"Hello": 0.41, " The": 0.07}`). JSON objects are unordered;
/// clients sort by value.
public struct InternalLogitsResponse: Codable, Sendable, Equatable {
    public var probabilities: [String: Double]

    public init(probabilities: [String: Double]) {
        self.probabilities = probabilities
    }

    public init(from decoder: any Decoder) throws {
        probabilities = try decoder.singleValueContainer().decode([String: Double].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(probabilities)
    }
}

/// The answer to `/v1/internal/chat-prompt` (whose body is a `ChatCompletionRequest`): the rendered
/// prompt, without generating.
public struct ChatPromptResponse: Codable, Sendable, Equatable {
    public var prompt: String

    public init(prompt: String) {
        self.prompt = prompt
    }

    enum CodingKeys: String, CodingKey {
        case prompt
    }
}
