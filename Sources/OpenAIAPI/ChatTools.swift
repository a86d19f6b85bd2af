// Function calling: tool definitions and `tool_choice` in requests, tool calls in responses and in
// echoed assistant messages, and their streaming deltas.

/// One entry of `tools`: `{"type": "function", "function": {"name", "description", "parameters", "strict"}}`.
public struct ChatTool: Codable, Sendable, Equatable {
    /// Always `"function"` for the tools Swiftlet can call; other types are refused when resolving.
    public var type: String
    public var function: FunctionDefinition

    public init(function: FunctionDefinition) {
        self.type = "function"
        self.function = function
    }

    enum CodingKeys: String, CodingKey {
        case type, function
    }
}

/// A function the model may call.
public struct FunctionDefinition: Codable, Sendable, Equatable {
    public var name: String
    public var description: String?
    /// A JSON Schema object describing the arguments, passed to the chat template as is.
    public var parameters: JSONValue?
    /// OpenAI's structured-outputs switch for the arguments.
    public var strict: Bool?

    public init(name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.strict = strict
    }

    enum CodingKeys: String, CodingKey {
        case name, description, parameters, strict
    }
}

/// `tool_choice`: `"none"`, `"auto"`, `"required"`, or `{"type": "function", "function": {"name": "…"}}`.
public enum ChatToolChoice: Codable, Sendable, Equatable {
    /// `"none"`: the model must not call tools (named so it cannot be mistaken for `Optional.none`).
    case disabled
    /// `"auto"`: the model decides.
    case auto
    /// `"required"`: the model must call at least one tool.
    case required
    /// The model must call this function.
    case function(name: String)

    enum CodingKeys: String, CodingKey {
        case type, function
    }

    enum FunctionKeys: String, CodingKey {
        case name
    }

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(JSONValue.self)
        switch value {
        case .string("none"): self = .disabled
        case .string("auto"): self = .auto
        case .string("required"): self = .required
        case let .string(mode):
            throw DecodingError.invalidValue(
                at: decoder.codingPath, "unsupported tool choice '\(mode)'; expected 'none', 'auto', 'required' or an object.")
        case .object:
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let type: String = try c.required(.type)
            guard type == "function" else {
                throw DecodingError.invalidValue(
                    at: c.codingPath + [CodingKeys.type], "unsupported tool choice type '\(type)'; expected 'function'.")
            }
            let function = try c.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
            self = .function(name: try function.required(.name))
        default:
            throw DecodingError.invalidValue(
                at: decoder.codingPath, "expected 'none', 'auto', 'required' or an object, got \(value.typeName).")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        let mode: String
        switch self {
        case .disabled: mode = "none"
        case .auto: mode = "auto"
        case .required: mode = "required"
        case let .function(name):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode("function", forKey: .type)
            var function = c.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
            try function.encode(name, forKey: .name)
            return
        }
        var container = encoder.singleValueContainer()
        try container.encode(mode)
    }
}

/// A call the assistant made: `{"id": "call_…", "type": "function", "function": {"name", "arguments"}}`.
/// Appears in responses and in assistant messages clients send back.
public struct ChatToolCall: Codable, Sendable, Equatable {
    public var id: String
    /// Always `"function"`. Decoding accepts a missing `type` as `"function"`: some clients leave it
    /// out when echoing calls back.
    public var type: String
    public var function: FunctionCall

    public init(id: String, function: FunctionCall) {
        self.id = id
        self.type = "function"
        self.function = function
    }

    enum CodingKeys: String, CodingKey {
        case id, type, function
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.required(.id)
        type = try c.optional(.type) ?? "function"
        function = try c.required(.function)
    }
}

/// The function half of a tool call.
public struct FunctionCall: Codable, Sendable, Equatable {
    public var name: String
    /// The arguments as a JSON text (a string holding an object), as OpenAI sends them.
    public var arguments: String

    public init(name: String, arguments: String) {
        self.name = name
        self.arguments = arguments
    }

    enum CodingKeys: String, CodingKey {
        case name, arguments
    }
}

/// A piece of a tool call in a streamed `delta`. The first piece of a call carries `id`, `type` and
/// `function.name`; later ones only `index` and more `function.arguments` text.
public struct ChatToolCallDelta: Codable, Sendable, Equatable {
    /// Which call of this choice the piece belongs to (0, 1, … in order of appearance).
    public var index: Int
    public var id: String?
    public var type: String?
    public var function: FunctionCallDelta

    public init(index: Int, id: String? = nil, type: String? = nil, function: FunctionCallDelta) {
        self.index = index
        self.id = id
        self.type = type
        self.function = function
    }

    /// The opening piece of a call: id, type `"function"`, the name and (usually empty) arguments.
    public static func start(index: Int, id: String, name: String, arguments: String = "") -> ChatToolCallDelta {
        ChatToolCallDelta(index: index, id: id, type: "function",
                          function: FunctionCallDelta(name: name, arguments: arguments))
    }

    enum CodingKeys: String, CodingKey {
        case index, id, type, function
    }
}

/// The function half of a streamed tool-call piece; absent fields are left out of the JSON.
public struct FunctionCallDelta: Codable, Sendable, Equatable {
    public var name: String?
    public var arguments: String?

    public init(name: String? = nil, arguments: String? = nil) {
        self.name = name
        self.arguments = arguments
    }

    enum CodingKeys: String, CodingKey {
        case name, arguments
    }
}

/// `response_format`: `{"type": "text"}`, `{"type": "json_object"}`, or
/// `{"type": "json_schema", "json_schema": {"name", "description", "schema", "strict"}}`.
public enum ResponseFormat: Codable, Sendable, Equatable {
    case text
    case jsonObject
    case jsonSchema(JSONSchemaFormat)

    enum CodingKeys: String, CodingKey {
        case type
        case jsonSchema = "json_schema"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type: String = try c.required(.type)
        switch type {
        case "text": self = .text
        case "json_object": self = .jsonObject
        case "json_schema": self = .jsonSchema(try c.required(.jsonSchema))
        default:
            throw DecodingError.invalidValue(
                at: c.codingPath + [CodingKeys.type],
                "unsupported response format '\(type)'; expected 'text', 'json_object' or 'json_schema'.")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text: try c.encode("text", forKey: .type)
        case .jsonObject: try c.encode("json_object", forKey: .type)
        case let .jsonSchema(format):
            try c.encode("json_schema", forKey: .type)
            try c.encode(format, forKey: .jsonSchema)
        }
    }
}

/// The `json_schema` of a `json_schema` response format.
public struct JSONSchemaFormat: Codable, Sendable, Equatable {
    public var name: String
    public var description: String?
    /// The JSON Schema the output must follow.
    public var schema: JSONValue?
    public var strict: Bool?

    public init(name: String, description: String? = nil, schema: JSONValue? = nil, strict: Bool? = nil) {
        self.name = name
        self.description = description
        self.schema = schema
        self.strict = strict
    }

    enum CodingKeys: String, CodingKey {
        case name, description, schema, strict
    }
}
