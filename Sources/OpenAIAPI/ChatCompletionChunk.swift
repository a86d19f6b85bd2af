/// One server-sent event of a streaming `POST /v1/chat/completions` (`data: {…}`; the stream ends
/// with `data: [DONE]`).
///
/// The first chunk of a choice carries `delta.role`, later ones pieces of `content`,
/// `reasoning_content` or `tool_calls`; the last one an empty delta and the `finish_reason`, which is
/// an explicit `null` before that. With `stream_options.include_usage` every chunk has `"usage": null`
/// and one more chunk with `"choices": []` carries the usage (`usageChunk(…)`).
public struct ChatCompletionChunk: Codable, Sendable, Equatable {
    /// The same id on every chunk of one response.
    public var id: String
    /// Always `"chat.completion.chunk"`.
    public var object: String
    /// The same Unix time (seconds) on every chunk of one response.
    public var created: Int
    public var model: String
    /// Always present, `null` when not set.
    public var systemFingerprint: String?
    public var choices: [Choice]
    public var usage: ChunkUsage

    public init(
        id: String, created: Int, model: String, systemFingerprint: String? = nil, choices: [Choice],
        usage: ChunkUsage
    ) {
        self.id = id
        self.object = "chat.completion.chunk"
        self.created = created
        self.model = model
        self.systemFingerprint = systemFingerprint
        self.choices = choices
        self.usage = usage
    }

    /// The extra last chunk of an `include_usage` stream: no choices, the request's usage.
    public static func usageChunk(
        id: String, created: Int, model: String, systemFingerprint: String? = nil, usage: CompletionUsage
    ) -> ChatCompletionChunk {
        ChatCompletionChunk(id: id, created: created, model: model, systemFingerprint: systemFingerprint,
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
        choices = try c.decode([Choice].self, forKey: .choices)
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

    /// One choice's piece of this event.
    public struct Choice: Codable, Sendable, Equatable {
        public var index: Int
        public var delta: Delta
        /// Log probabilities of the tokens in this delta; always present, `null` when not requested.
        public var logprobs: ChatLogprobs?
        /// Always present: `null` until the choice's last chunk.
        public var finishReason: CompletionFinishReason?

        public init(index: Int, delta: Delta, logprobs: ChatLogprobs? = nil, finishReason: CompletionFinishReason? = nil) {
            self.index = index
            self.delta = delta
            self.logprobs = logprobs
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, delta, logprobs
            case finishReason = "finish_reason"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(delta, forKey: .delta)
            try c.encodeExplicitly(logprobs, forKey: .logprobs)
            try c.encodeExplicitly(finishReason, forKey: .finishReason)
        }
    }

    /// What a chunk adds to the message; fields that add nothing are left out (`{}` on the last chunk).
    /// Reasoning goes out as `reasoning_content` and `reasoning`.
    public struct Delta: Codable, Sendable, Equatable {
        /// `"assistant"` on a choice's first chunk only.
        public var role: String?
        public var content: String?
        public var reasoningContent: String?
        public var toolCalls: [ChatToolCallDelta]?

        public init(
            role: String? = nil, content: String? = nil, reasoningContent: String? = nil,
            toolCalls: [ChatToolCallDelta]? = nil
        ) {
            self.role = role
            self.content = content
            self.reasoningContent = reasoningContent
            self.toolCalls = toolCalls
        }

        /// The opening delta OpenAI sends before any text: `{"role": "assistant", "content": ""}`.
        public static let opening = Delta(role: "assistant", content: "")

        enum CodingKeys: String, CodingKey {
            case role, content
            case reasoningContent = "reasoning_content"
            case toolCalls = "tool_calls"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(role, forKey: .role)
            try c.encodeIfPresent(content, forKey: .content)
            try c.encodeIfPresent(reasoningContent, forKey: .reasoningContent)
            try encodeReasoningAlias(reasoningContent, to: encoder)
            try c.encodeIfPresent(toolCalls, forKey: .toolCalls)
        }
    }
}

/// The `usage` key of a streamed chunk, which has three shapes.
public enum ChunkUsage: Sendable, Equatable {
    /// No `usage` key: the client did not ask for `include_usage`.
    case absent
    /// `"usage": null`: `include_usage` is on and this is not the last chunk.
    case null
    /// The usage of the whole request, on the extra last chunk.
    case value(CompletionUsage)

    /// `.null` when the client asked for usage, `.absent` otherwise: the value for every chunk but
    /// the usage chunk.
    public static func pending(includeUsage: Bool) -> ChunkUsage {
        includeUsage ? .null : .absent
    }

    init<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, forKey key: Key) throws {
        if !container.contains(key) {
            self = .absent
        } else if try container.decodeNil(forKey: key) {
            self = .null
        } else {
            self = .value(try container.decode(CompletionUsage.self, forKey: key))
        }
    }

    func encode<Key: CodingKey>(into container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        switch self {
        case .absent: break
        case .null: try container.encodeNil(forKey: key)
        case let .value(usage): try container.encode(usage, forKey: key)
        }
    }
}
