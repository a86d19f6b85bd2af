/// The answer to a non-streaming `POST /v1/chat/completions`.
///
/// ```json
/// {"id": "chatcmpl-…", "object": "chat.completion", "created": 1741569952, "model": "…",
///  "system_fingerprint": null,
///  "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi!", "refusal": null},
///               "logprobs": null, "finish_reason": "stop"}],
///  "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29}}
/// ```
public struct ChatCompletion: Codable, Sendable, Equatable {
    /// `chatcmpl-` and random letters (`ResponseID.chatCompletion()`).
    public var id: String
    /// Always `"chat.completion"`.
    public var object: String
    /// Unix time in seconds.
    public var created: Int
    public var model: String
    /// An identifier of the backend configuration; always present, `null` when not set.
    public var systemFingerprint: String?
    public var choices: [Choice]
    public var usage: CompletionUsage

    public init(
        id: String, created: Int, model: String, systemFingerprint: String? = nil, choices: [Choice],
        usage: CompletionUsage
    ) {
        self.id = id
        self.object = "chat.completion"
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

    /// One generated answer.
    public struct Choice: Codable, Sendable, Equatable {
        public var index: Int
        public var message: Message
        /// Per-token log probabilities when the request set `logprobs`; `null` otherwise.
        public var logprobs: ChatLogprobs?
        public var finishReason: CompletionFinishReason

        public init(index: Int, message: Message, logprobs: ChatLogprobs? = nil, finishReason: CompletionFinishReason) {
            self.index = index
            self.message = message
            self.logprobs = logprobs
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, message, logprobs
            case finishReason = "finish_reason"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(message, forKey: .message)
            try c.encodeExplicitly(logprobs, forKey: .logprobs)
            try c.encode(finishReason, forKey: .finishReason)
        }
    }

    /// The assistant's message. `content` and `refusal` are always present (`null` when empty: content
    /// is null when the turn only calls tools); `reasoning_content` (and its alias `reasoning`) and
    /// `tool_calls` only when there are some.
    public struct Message: Codable, Sendable, Equatable {
        /// Always `"assistant"`.
        public var role: String
        public var content: String?
        /// Always `null`: Swiftlet's models do not refuse through this field.
        public var refusal: String?
        /// The reasoning text split off the answer (`<think>…</think>`), as llama.cpp and DeepSeek send it.
        public var reasoningContent: String?
        public var toolCalls: [ChatToolCall]?

        public init(content: String?, reasoningContent: String? = nil, toolCalls: [ChatToolCall]? = nil) {
            self.role = "assistant"
            self.content = content
            self.refusal = nil
            self.reasoningContent = reasoningContent
            self.toolCalls = toolCalls
        }

        enum CodingKeys: String, CodingKey {
            case role, content, refusal
            case reasoningContent = "reasoning_content"
            case toolCalls = "tool_calls"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(role, forKey: .role)
            try c.encodeExplicitly(content, forKey: .content)
            try c.encodeExplicitly(refusal, forKey: .refusal)
            try c.encodeIfPresent(reasoningContent, forKey: .reasoningContent)
            try encodeReasoningAlias(reasoningContent, to: encoder)
            try c.encodeIfPresent(toolCalls, forKey: .toolCalls)
        }
    }
}

/// The reasoning again under `reasoning`, the name OpenRouter-style clients read (`reasoning_content` is
/// llama.cpp's and DeepSeek's); both go out so either kind of client finds it.
func encodeReasoningAlias(_ reasoning: String?, to encoder: any Encoder) throws {
    enum AliasKeys: String, CodingKey { case reasoning }
    var c = encoder.container(keyedBy: AliasKeys.self)
    try c.encodeIfPresent(reasoning, forKey: .reasoning)
}

/// Why generation ended, as chat and text completions report it.
public enum CompletionFinishReason: String, Codable, Sendable, Equatable, CaseIterable {
    /// An end-of-generation token or a stop string.
    case stop
    /// `max_tokens` reached or the context is full.
    case length
    /// The model called tools (chat only).
    case toolCalls = "tool_calls"
    case contentFilter = "content_filter"
    /// Deprecated function calling.
    case functionCall = "function_call"
}

/// `usage`: token counts of a whole request (all choices).
public struct CompletionUsage: Codable, Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// `prompt_tokens + completion_tokens`.
    public var totalTokens: Int
    /// Present when the server reports prompt-cache hits.
    public var promptTokensDetails: PromptTokensDetails?
    /// Present when the server reports reasoning tokens.
    public var completionTokensDetails: CompletionTokensDetails?

    public init(
        promptTokens: Int, completionTokens: Int, promptTokensDetails: PromptTokensDetails? = nil,
        completionTokensDetails: CompletionTokensDetails? = nil
    ) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = promptTokens + completionTokens
        self.promptTokensDetails = promptTokensDetails
        self.completionTokensDetails = completionTokensDetails
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
        case completionTokensDetails = "completion_tokens_details"
    }

    /// `prompt_tokens_details`.
    public struct PromptTokensDetails: Codable, Sendable, Equatable {
        /// Prompt tokens whose KV entries were reused from an earlier request.
        public var cachedTokens: Int

        public init(cachedTokens: Int) {
            self.cachedTokens = cachedTokens
        }

        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens"
        }
    }

    /// `completion_tokens_details`.
    public struct CompletionTokensDetails: Codable, Sendable, Equatable {
        /// Completion tokens spent on reasoning (inside `<think>…</think>`).
        public var reasoningTokens: Int

        public init(reasoningTokens: Int) {
            self.reasoningTokens = reasoningTokens
        }

        enum CodingKeys: String, CodingKey {
            case reasoningTokens = "reasoning_tokens"
        }
    }
}

// MARK: - Log probabilities

/// A chat choice's `logprobs`: `{"content": [ChatTokenLogprob, …]}`.
public struct ChatLogprobs: Codable, Sendable, Equatable {
    /// One entry per generated content token; `null` when there are none.
    public var content: [ChatTokenLogprob]?

    public init(content: [ChatTokenLogprob]?) {
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case content
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeExplicitly(content, forKey: .content)
    }
}

/// One generated token with its log probability and the most likely alternatives at its position.
public struct ChatTokenLogprob: Codable, Sendable, Equatable {
    public var token: String
    /// Natural log of the token's probability.
    public var logprob: Double
    /// The token's UTF-8 bytes (a token may hold part of a character); always present, `null` when unknown.
    public var bytes: [Int]?
    /// The `top_logprobs` most likely tokens at this position, most likely first.
    public var topLogprobs: [ChatTopLogprob]

    public init(token: String, logprob: Double, bytes: [Int]?, topLogprobs: [ChatTopLogprob]) {
        self.token = token
        self.logprob = logprob
        self.bytes = bytes
        self.topLogprobs = topLogprobs
    }

    enum CodingKeys: String, CodingKey {
        case token, logprob, bytes
        case topLogprobs = "top_logprobs"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(token, forKey: .token)
        try c.encode(logprob, forKey: .logprob)
        try c.encodeExplicitly(bytes, forKey: .bytes)
        try c.encode(topLogprobs, forKey: .topLogprobs)
    }
}

/// An alternative token at one position.
public struct ChatTopLogprob: Codable, Sendable, Equatable {
    public var token: String
    public var logprob: Double
    /// Always present, `null` when unknown.
    public var bytes: [Int]?

    public init(token: String, logprob: Double, bytes: [Int]?) {
        self.token = token
        self.logprob = logprob
        self.bytes = bytes
    }

    enum CodingKeys: String, CodingKey {
        case token, logprob, bytes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(token, forKey: .token)
        try c.encode(logprob, forKey: .logprob)
        try c.encodeExplicitly(bytes, forKey: .bytes)
    }
}
