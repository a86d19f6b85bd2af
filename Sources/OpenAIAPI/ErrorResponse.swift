/// The body OpenAI returns for every failed request: `{"error": {"message", "type", "param", "code"}}`.
///
/// `param` and `code` are always present on the wire, as `null` when they do not apply, because some
/// clients index them without checking for the key.
public struct ErrorResponse: Codable, Sendable, Equatable {
    public var error: ErrorObject

    public init(error: ErrorObject) {
        self.error = error
    }

    public init(message: String, type: String, param: String? = nil, code: String? = nil) {
        self.error = ErrorObject(message: message, type: type, param: param, code: code)
    }

    enum CodingKeys: String, CodingKey {
        case error
    }
}

/// The inner object of an `ErrorResponse`.
public struct ErrorObject: Codable, Sendable, Equatable {
    /// A human-readable sentence saying what went wrong and, where it helps, how to fix it.
    public var message: String
    /// OpenAI's error class: `invalid_request_error`, `authentication_error`, `server_error`, ….
    public var type: String
    /// The request parameter at fault (a dotted path such as `messages.0.content`), if any.
    public var param: String?
    /// A machine-readable code such as `model_not_found` or `invalid_api_key`, if any.
    public var code: String?

    public init(message: String, type: String, param: String? = nil, code: String? = nil) {
        self.message = message
        self.type = type
        self.param = param
        self.code = code
    }

    enum CodingKeys: String, CodingKey {
        case message, type, param, code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(message, forKey: .message)
        try container.encode(type, forKey: .type)
        // Explicit nulls: the synthesized encoder would drop nil keys entirely.
        try container.encode(param, forKey: .param)
        try container.encode(code, forKey: .code)
    }
}
