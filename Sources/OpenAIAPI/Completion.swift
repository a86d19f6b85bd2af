/// The answer to a non-streaming `POST /v1/completions`.
///
/// ```json
/// {"id": "cmpl-…", "object": "text_completion", "created": 1589478378, "model": "…",
///  "system_fingerprint": null,
///  "choices": [{"text": "…", "index": 0, "logprobs": null, "finish_reason": "length"}],
///  "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}}
/// ```
public struct Completion: Codable, Sendable, Equatable {
    /// `cmpl-` and random letters (`ResponseID.completion()`).
    public var id: String
    /// Always `"text_completion"`.
    public var object: String
    /// Unix time in seconds.
    public var created: Int
    public var model: String
    /// Always present, `null` when not set.
    public var systemFingerprint: String?
    public var choices: [CompletionChoice]
    public var usage: CompletionUsage

    public init(
        id: String, created: Int, model: String, systemFingerprint: String? = nil, choices: [CompletionChoice],
        usage: CompletionUsage
    ) {
        self.id = id
        self.object = "text_completion"
        self.created = created
        self.model = model
        self.systemFingerprint = systemFingerprint
        self.choices = choices
        self.usage = usage
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model
        case systemFingerprint = "system_fingerprint"
        case choices, usage
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(object, forKey: .object)
        try c.encode(created, forKey: .created)
        try c.encode(model, forKey: .model)
        try c.encodeExplicitly(systemFingerprint, forKey: .systemFingerprint)
        try c.encode(choices, forKey: .choices)
        try c.encode(usage, forKey: .usage)
    }
}

/// One event of a streaming `POST /v1/completions`. OpenAI streams the same object type as the
/// non-streaming answer (`"object": "text_completion"`), with text pieces and a `null` finish reason
/// until the last chunk; `usage` follows the chat rules (`ChunkUsage`).
public struct CompletionChunk: Codable, Sendable, Equatable {
    public var id: String
    /// Always `"text_completion"`.
    public var object: String
    public var created: Int
    public var model: String
    /// Always present, `null` when not set.
    public var systemFingerprint: String?
    public var choices: [CompletionChoice]
    public var usage: ChunkUsage

    public init(
        id: String, created: Int, model: String, systemFingerprint: String? = nil, choices: [CompletionChoice],
        usage: ChunkUsage
    ) {
        self.id = id
        self.object = "text_completion"
        self.created = created
        self.model = model
        self.systemFingerprint = systemFingerprint
        self.choices = choices
        self.usage = usage
    }

    /// The extra last chunk of an `include_usage` stream: no choices, the request's usage.
    public static func usageChunk(
        id: String, created: Int, model: String, systemFingerprint: String? = nil, usage: CompletionUsage
    ) -> CompletionChunk {
        CompletionChunk(id: id, created: created, model: model, systemFingerprint: systemFingerprint,
                        choices: [], usage: .value(usage))
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model
        case systemFingerprint = "system_fingerprint"
        case choices, usage
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        object = try c.decode(String.self, forKey: .object)
        created = try c.decode(Int.self, forKey: .created)
        model = try c.decode(String.self, forKey: .model)
        systemFingerprint = try c.decodeIfPresent(String.self, forKey: .systemFingerprint)
        choices = try c.decode([CompletionChoice].self, forKey: .choices)
        usage = try ChunkUsage(from: c, forKey: .usage)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(object, forKey: .object)
        try c.encode(created, forKey: .created)
        try c.encode(model, forKey: .model)
        try c.encodeExplicitly(systemFingerprint, forKey: .systemFingerprint)
        try c.encode(choices, forKey: .choices)
        try usage.encode(into: &c, forKey: .usage)
    }
}

/// One completion (or, streaming, one piece of it).
public struct CompletionChoice: Codable, Sendable, Equatable {
    public var text: String
    public var index: Int
    /// Always present, `null` unless the request set `logprobs`.
    public var logprobs: CompletionLogprobs?
    /// Always present; `null` only on streamed chunks before the last.
    public var finishReason: CompletionFinishReason?

    public init(text: String, index: Int, logprobs: CompletionLogprobs? = nil, finishReason: CompletionFinishReason?) {
        self.text = text
        self.index = index
        self.logprobs = logprobs
        self.finishReason = finishReason
    }

    enum CodingKeys: String, CodingKey {
        case text, index, logprobs
        case finishReason = "finish_reason"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(index, forKey: .index)
        try c.encodeExplicitly(logprobs, forKey: .logprobs)
        try c.encodeExplicitly(finishReason, forKey: .finishReason)
    }
}

/// The legacy completions `logprobs`: parallel arrays, one entry per token of the returned text.
///
/// With `echo`, the first prompt token has no log probability: its `token_logprobs` and
/// `top_logprobs` entries are `null`.
public struct CompletionLogprobs: Codable, Sendable, Equatable {
    public var tokens: [String]
    /// Natural log of each token's probability; `null` where there is none.
    public var tokenLogprobs: [Double?]
    /// The `logprobs` most likely tokens at each position, token text → log probability; `null` where
    /// there are none. JSON objects are unordered, so clients sort by value.
    public var topLogprobs: [[String: Double]?]
    /// Each token's character offset in the choice's `text` (with `echo`, in prompt + text).
    public var textOffset: [Int]

    public init(tokens: [String], tokenLogprobs: [Double?], topLogprobs: [[String: Double]?], textOffset: [Int]) {
        self.tokens = tokens
        self.tokenLogprobs = tokenLogprobs
        self.topLogprobs = topLogprobs
        self.textOffset = textOffset
    }

    enum CodingKeys: String, CodingKey {
        case tokens
        case tokenLogprobs = "token_logprobs"
        case topLogprobs = "top_logprobs"
        case textOffset = "text_offset"
    }
}
