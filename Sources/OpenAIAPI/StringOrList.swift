/// A parameter text-generation-webui accepts either as one string or as a list of strings, where the two
/// forms are read differently (so they are kept apart rather than normalised):
/// `sampler_priority` is a list or a newline-separated string, `dry_sequence_breakers` a list or a
/// string of comma-separated JSON strings (`"\n", ":", "\"", "*"`).
public enum StringOrList: Codable, Sendable, Equatable {
    case string(String)
    case list([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(JSONValue.self)
        if case let .string(text) = value {
            self = .string(text)
        } else {
            self = .list(try WireDecoding.strings(
                from: value, at: decoder.codingPath, allowSingle: true))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(text): try container.encode(text)
        case let .list(items): try container.encode(items)
        }
    }
}

/// `stream_options`: `{"include_usage": true}` asks for a final chunk carrying token usage.
public struct StreamOptions: Codable, Sendable, Equatable {
    /// When true every chunk carries `"usage": null` and one last chunk with `"choices": []` carries
    /// the usage of the whole request.
    public var includeUsage: Bool?

    public init(includeUsage: Bool? = nil) {
        self.includeUsage = includeUsage
    }

    enum CodingKeys: String, CodingKey {
        case includeUsage = "include_usage"
    }
}
