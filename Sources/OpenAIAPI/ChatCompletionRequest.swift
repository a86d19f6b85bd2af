/// `POST /v1/chat/completions` (and `/v1/internal/chat-prompt`, which renders the prompt only).
///
/// Every optional is nil when the client did not send the key (or sent `null`); defaults such as
/// `temperature` 1 or `n` 1 are applied when the request is resolved into an engine request.
public struct ChatCompletionRequest: Codable, Sendable, Equatable {
    // MARK: - OpenAI parameters

    /// The requested model id (optional, as in text-generation-webui); how it maps to the loaded model
    /// is the server's decision.
    public var model: String?
    /// The conversation so far; OpenAI requires at least one message.
    public var messages: [ChatMessage]
    /// Most tokens to generate (legacy name of `max_completion_tokens`).
    public var maxTokens: Int?
    /// Most tokens to generate; used when `max_tokens` is absent.
    public var maxCompletionTokens: Int?
    /// Sampling temperature, 0…2 (OpenAI default 1).
    public var temperature: Double?
    /// Nucleus sampling mass, 0…1 (OpenAI default 1).
    public var topP: Double?
    /// Number of choices to generate.
    public var n: Int?
    /// Stop strings; a single string on the wire becomes a one-element array.
    public var stop: [String]?
    /// Answer with server-sent events of `ChatCompletionChunk`s.
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    /// Additive penalty on tokens already generated, -2…2.
    public var presencePenalty: Double?
    /// Additive penalty proportional to how often a token was generated, -2…2.
    public var frequencyPenalty: Double?
    /// Additive logit bias by token id (as a decimal string, JSON keys being strings), -100…100.
    public var logitBias: [String: Double]?
    /// Return the log probability of each generated token.
    public var logprobs: Bool?
    /// With `logprobs`, how many alternatives per position (0…20).
    public var topLogprobs: Int?
    /// An end-user id; accepted and ignored.
    public var user: String?
    /// Functions the model may call.
    public var tools: [ChatTool]?
    public var toolChoice: ChatToolChoice?
    /// Whether one turn may contain several tool calls (OpenAI default true).
    public var parallelToolCalls: Bool?
    /// Plain text, any JSON object, or JSON following a schema.
    public var responseFormat: ResponseFormat?
    /// Extra chat-template variables (`{"enable_thinking": false}`), the llama.cpp/vLLM extension.
    public var chatTemplateKwargs: [String: JSONValue]?

    // MARK: - text-generation-webui extensions

    /// Sampler and generation options (also holds `seed` and `reasoning_effort`, which OpenAI shares).
    public var generation: GenerationParameters
    /// Prompt-building options: mode, templates, character.
    public var chat: ChatModeParameters

    public init(model: String? = nil, messages: [ChatMessage]) {
        self.model = model
        self.messages = messages
        self.generation = GenerationParameters()
        self.chat = ChatModeParameters()
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, messages
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case temperature
        case topP = "top_p"
        case n, stop, stream
        case streamOptions = "stream_options"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case logitBias = "logit_bias"
        case logprobs
        case topLogprobs = "top_logprobs"
        case user, tools
        case toolChoice = "tool_choice"
        case parallelToolCalls = "parallel_tool_calls"
        case responseFormat = "response_format"
        case chatTemplateKwargs = "chat_template_kwargs"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.optional(.model)
        messages = try c.required(.messages)
        maxTokens = try c.optional(.maxTokens)
        maxCompletionTokens = try c.optional(.maxCompletionTokens)
        temperature = try c.optional(.temperature)
        topP = try c.optional(.topP)
        n = try c.optional(.n)
        stop = try c.stringOrStrings(.stop)
        stream = try c.optional(.stream)
        streamOptions = try c.optional(.streamOptions)
        presencePenalty = try c.optional(.presencePenalty)
        frequencyPenalty = try c.optional(.frequencyPenalty)
        logitBias = try c.optional(.logitBias)
        logprobs = try c.optional(.logprobs)
        topLogprobs = try c.optional(.topLogprobs)
        user = try c.optional(.user)
        tools = try c.optional(.tools)
        toolChoice = try c.optional(.toolChoice)
        parallelToolCalls = try c.optional(.parallelToolCalls)
        responseFormat = try c.optional(.responseFormat)
        chatTemplateKwargs = try c.optional(.chatTemplateKwargs)
        // The extensions read the same top-level object.
        generation = try GenerationParameters(from: decoder)
        chat = try ChatModeParameters(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(model, forKey: .model)
        try c.encode(messages, forKey: .messages)
        try c.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try c.encodeIfPresent(maxCompletionTokens, forKey: .maxCompletionTokens)
        try c.encodeIfPresent(temperature, forKey: .temperature)
        try c.encodeIfPresent(topP, forKey: .topP)
        try c.encodeIfPresent(n, forKey: .n)
        try c.encodeIfPresent(stop, forKey: .stop)
        try c.encodeIfPresent(stream, forKey: .stream)
        try c.encodeIfPresent(streamOptions, forKey: .streamOptions)
        try c.encodeIfPresent(presencePenalty, forKey: .presencePenalty)
        try c.encodeIfPresent(frequencyPenalty, forKey: .frequencyPenalty)
        try c.encodeIfPresent(logitBias, forKey: .logitBias)
        try c.encodeIfPresent(logprobs, forKey: .logprobs)
        try c.encodeIfPresent(topLogprobs, forKey: .topLogprobs)
        try c.encodeIfPresent(user, forKey: .user)
        try c.encodeIfPresent(tools, forKey: .tools)
        try c.encodeIfPresent(toolChoice, forKey: .toolChoice)
        try c.encodeIfPresent(parallelToolCalls, forKey: .parallelToolCalls)
        try c.encodeIfPresent(responseFormat, forKey: .responseFormat)
        try c.encodeIfPresent(chatTemplateKwargs, forKey: .chatTemplateKwargs)
        try generation.encode(to: encoder)
        try chat.encode(to: encoder)
    }
}

/// How text-generation-webui turns messages into a prompt.
public enum ChatMode: String, Codable, Sendable, Equatable, CaseIterable {
    /// The instruction template renders the messages (the default).
    case instruct
    /// A "Name: text" transcript under a character's context.
    case chat
    /// The chat transcript wrapped in one instruction of the instruction template.
    case chatInstruct = "chat-instruct"

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(String.self)
        guard let mode = ChatMode(rawValue: value) else {
            throw DecodingError.invalidValue(
                at: decoder.codingPath, "unsupported mode '\(value)'; expected 'instruct', 'chat' or 'chat-instruct'.")
        }
        self = mode
    }
}

/// text-generation-webui's chat extras: prompt mode, templates and character. Top-level keys of the
/// chat request, decoded from its decoder like `GenerationParameters`.
public struct ChatModeParameters: Codable, Sendable, Equatable {
    /// Default `instruct`.
    public var mode: ChatMode?
    /// An instruction template by file name; nil means the model's own template.
    public var instructionTemplate: String?
    /// Inline Jinja instruction template; wins over every other choice.
    public var instructionTemplateStr: String?
    /// A character by file name (chat and chat-instruct modes).
    public var character: String?
    /// The user's name (default "You").
    public var name1: String?
    /// The bot's name; replaces the character's.
    public var name2: String?
    /// Replaces the character's context.
    public var context: String?
    /// Replaces the character's greeting.
    public var greeting: String?
    /// A description of the user.
    public var userBio: String?
    /// Jinja template for chat-mode transcripts.
    public var chatTemplateStr: String?
    /// The chat-instruct wrapper; `<|character|>` and `<|prompt|>` are substituted.
    public var chatInstructCommand: String?
    /// Continue the last assistant message instead of starting a new one (wire key `continue_`).
    public var continueLastMessage: Bool?

    /// No extras given: every field nil.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case mode
        case instructionTemplate = "instruction_template"
        case instructionTemplateStr = "instruction_template_str"
        case character, name1, name2, context, greeting
        case userBio = "user_bio"
        case chatTemplateStr = "chat_template_str"
        case chatInstructCommand = "chat_instruct_command"
        case continueLastMessage = "continue_"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.optional(.mode)
        instructionTemplate = try c.optional(.instructionTemplate)
        instructionTemplateStr = try c.optional(.instructionTemplateStr)
        character = try c.optional(.character)
        name1 = try c.optional(.name1)
        name2 = try c.optional(.name2)
        context = try c.optional(.context)
        greeting = try c.optional(.greeting)
        userBio = try c.optional(.userBio)
        chatTemplateStr = try c.optional(.chatTemplateStr)
        chatInstructCommand = try c.optional(.chatInstructCommand)
        continueLastMessage = try c.optional(.continueLastMessage)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(mode, forKey: .mode)
        try c.encodeIfPresent(instructionTemplate, forKey: .instructionTemplate)
        try c.encodeIfPresent(instructionTemplateStr, forKey: .instructionTemplateStr)
        try c.encodeIfPresent(character, forKey: .character)
        try c.encodeIfPresent(name1, forKey: .name1)
        try c.encodeIfPresent(name2, forKey: .name2)
        try c.encodeIfPresent(context, forKey: .context)
        try c.encodeIfPresent(greeting, forKey: .greeting)
        try c.encodeIfPresent(userBio, forKey: .userBio)
        try c.encodeIfPresent(chatTemplateStr, forKey: .chatTemplateStr)
        try c.encodeIfPresent(chatInstructCommand, forKey: .chatInstructCommand)
        try c.encodeIfPresent(continueLastMessage, forKey: .continueLastMessage)
    }
}
