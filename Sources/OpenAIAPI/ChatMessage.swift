/// Who wrote a chat message. `developer` is OpenAI's newer name for `system`.
public enum ChatRole: String, Codable, Sendable, Equatable, CaseIterable {
    case system, developer, user, assistant, tool

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(String.self)
        guard let role = ChatRole(rawValue: value) else {
            let expected = ChatRole.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw DecodingError.invalidValue(
                at: decoder.codingPath, "unsupported role '\(value)'; expected one of \(expected).")
        }
        self = role
    }
}

/// One entry of `messages` in a chat completion request.
///
/// Which fields apply depends on the role: `tool_calls` and `reasoning_content` on assistant messages,
/// `tool_call_id` on tool results. Whether a combination makes sense is checked when the request is
/// resolved, not while decoding.
public struct ChatMessage: Codable, Sendable, Equatable {
    public var role: ChatRole
    /// The text or content parts; nil for `"content": null` (an assistant turn that only calls tools)
    /// or no `content` key.
    public var content: ChatMessageContent?
    /// A participant name, for templates that distinguish speakers.
    public var name: String?
    /// Tool calls an assistant turn made, echoed back by the client in the next request.
    public var toolCalls: [ChatToolCall]?
    /// The id of the call this tool message answers.
    public var toolCallID: String?
    /// The reasoning text of an earlier assistant turn (DeepSeek/llama.cpp extension), which some
    /// templates render.
    public var reasoningContent: String?

    public init(
        role: ChatRole, content: ChatMessageContent?, name: String? = nil, toolCalls: [ChatToolCall]? = nil,
        toolCallID: String? = nil, reasoningContent: String? = nil
    ) {
        self.role = role
        self.content = content
        self.name = name
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.reasoningContent = reasoningContent
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case role, content, name
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
        case reasoningContent = "reasoning_content"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.required(.role)
        content = try c.optional(.content)
        name = try c.optional(.name)
        toolCalls = try c.optional(.toolCalls)
        toolCallID = try c.optional(.toolCallID)
        reasoningContent = try c.optional(.reasoningContent)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(role, forKey: .role)
        // `content` is required by OpenAI, and `null` is how an assistant turn with only tool calls says so.
        try c.encodeExplicitly(content, forKey: .content)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(toolCalls, forKey: .toolCalls)
        try c.encodeIfPresent(toolCallID, forKey: .toolCallID)
        try c.encodeIfPresent(reasoningContent, forKey: .reasoningContent)
    }
}

/// A message's `content`: one string, or an array of typed parts.
public enum ChatMessageContent: Codable, Sendable, Equatable {
    case text(String)
    case parts([ChatContentPart])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let parts = try Self.decodeParts(container) {
            self = .parts(parts)
        } else {
            let found = try container.decode(JSONValue.self)
            throw DecodingError.invalidValue(
                at: decoder.codingPath, "expected a string or an array of content parts, got \(found.typeName).")
        }
    }

    /// The parts when the value is an array; errors inside the array keep their element paths.
    private static func decodeParts(_ container: any SingleValueDecodingContainer) throws -> [ChatContentPart]? {
        guard case .array = try container.decode(JSONValue.self) else { return nil }
        return try container.decode([ChatContentPart].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .text(text): try container.encode(text)
        case let .parts(parts): try container.encode(parts)
        }
    }
}

/// One element of an array `content`. Every OpenAI part type decodes, so the server can refuse the
/// ones it cannot serve (images, audio, files) with a message naming the part, rather than a decode
/// error; an unknown `type` is a decode error at `…content.N.type`.
public enum ChatContentPart: Codable, Sendable, Equatable {
    /// `{"type": "text", "text": "…"}`.
    case text(String)
    /// `{"type": "image_url", "image_url": {"url": "https://… or data:…", "detail": "auto"}}`.
    case imageURL(ImageURL)
    /// `{"type": "input_audio", "input_audio": {"data": "<base64>", "format": "wav"}}`.
    case inputAudio(InputAudio)
    /// `{"type": "file", "file": {"file_data" | "file_id", "filename"}}`.
    case file(FileInput)
    /// `{"type": "refusal", "refusal": "…"}`, in an echoed assistant turn.
    case refusal(String)

    /// The wire `type` of this part (`"image_url"`), for error messages.
    public var type: String {
        switch self {
        case .text: "text"
        case .imageURL: "image_url"
        case .inputAudio: "input_audio"
        case .file: "file"
        case .refusal: "refusal"
        }
    }

    /// An image reference: a URL or a `data:` URI.
    public struct ImageURL: Codable, Sendable, Equatable {
        public var url: String
        /// `auto`, `low` or `high`.
        public var detail: String?

        public init(url: String, detail: String? = nil) {
            self.url = url
            self.detail = detail
        }

        enum CodingKeys: String, CodingKey {
            case url, detail
        }
    }

    /// Inline audio.
    public struct InputAudio: Codable, Sendable, Equatable {
        /// Base64-encoded audio bytes.
        public var data: String
        /// `wav` or `mp3`.
        public var format: String

        public init(data: String, format: String) {
            self.data = data
            self.format = format
        }

        enum CodingKeys: String, CodingKey {
            case data, format
        }
    }

    /// An attached file, inline or by id.
    public struct FileInput: Codable, Sendable, Equatable {
        public var fileData: String?
        public var fileID: String?
        public var filename: String?

        public init(fileData: String? = nil, fileID: String? = nil, filename: String? = nil) {
            self.fileData = fileData
            self.fileID = fileID
            self.filename = filename
        }

        enum CodingKeys: String, CodingKey {
            case fileData = "file_data"
            case fileID = "file_id"
            case filename
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, text, refusal, file
        case imageURL = "image_url"
        case inputAudio = "input_audio"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type: String = try c.required(.type)
        switch type {
        case "text": self = .text(try c.required(.text))
        case "image_url": self = .imageURL(try c.required(.imageURL))
        case "input_audio": self = .inputAudio(try c.required(.inputAudio))
        case "file": self = .file(try c.required(.file))
        case "refusal": self = .refusal(try c.required(.refusal))
        default:
            throw DecodingError.invalidValue(
                at: c.codingPath + [CodingKeys.type],
                "unsupported content part type '\(type)'; expected 'text', 'image_url', 'input_audio', 'file' or 'refusal'.")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        switch self {
        case let .text(text): try c.encode(text, forKey: .text)
        case let .imageURL(image): try c.encode(image, forKey: .imageURL)
        case let .inputAudio(audio): try c.encode(audio, forKey: .inputAudio)
        case let .file(file): try c.encode(file, forKey: .file)
        case let .refusal(refusal): try c.encode(refusal, forKey: .refusal)
        }
    }
}
