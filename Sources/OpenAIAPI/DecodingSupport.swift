// Helpers for the hand-written `init(from:)`s of request types. Their one job is that every decoding
// failure carries the coding path of the offending value, so the server can answer
// "Invalid value for 'messages.0.content'" instead of "the body could not be decoded".

// MARK: - Path keys

/// A coding key built by hand: an array position or a key that is only known at run time.
struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

// MARK: - Errors

extension DecodingError {
    /// A value of the right JSON syntax but an unacceptable shape or content, at `path`.
    ///
    /// `message` is a lower-case clause ("expected a string or an array of strings, got a number.");
    /// the server shows it after "Invalid value for '<path>': ".
    static func invalidValue(at path: [any CodingKey], _ message: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: message))
    }
}

extension JSONValue {
    /// Whether this is a JSON string, for union decoding.
    var stringValue: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    /// The integer this value holds, accepting `3.0` as 3 the way JSON number semantics do.
    var integerValue: Int? {
        switch self {
        case let .integer(value): value
        case let .number(value) where value.rounded() == value && abs(value) < 9.0e15: Int(value)
        default: nil
        }
    }
}

// MARK: - Keyed decoding

extension KeyedDecodingContainer {
    /// `decodeIfPresent` (absent and `null` both give nil) whose errors always name `key`.
    ///
    /// Foundation's JSONDecoder reports a number that does not fit the requested type (`3.5` for an
    /// `Int`, `1e400` for a `Double`) with an internal error that reaches the caller as "not valid JSON"
    /// with an empty coding path; this re-raises it at the key so the client learns which parameter is wrong.
    func optional<T: Decodable>(_ key: Key, as type: T.Type = T.self) throws -> T? {
        do {
            return try decodeIfPresent(T.self, forKey: key)
        } catch {
            throw Self.locate(error, of: T.self, at: codingPath + [key])
        }
    }

    /// `decode` with the same error repair as `optional(_:as:)`; a missing key is `keyNotFound`.
    func required<T: Decodable>(_ key: Key, as type: T.Type = T.self) throws -> T {
        do {
            return try decode(T.self, forKey: key)
        } catch {
            throw Self.locate(error, of: T.self, at: codingPath + [key])
        }
    }

    /// A value that may be one string or an array of strings (`stop`), normalised to an array.
    func stringOrStrings(_ key: Key) throws -> [String]? {
        guard let value = try decodeIfPresent(JSONValue.self, forKey: key) else { return nil }
        return try WireDecoding.strings(from: value, at: codingPath + [key], allowSingle: true)
    }

    /// An array of integers (`tokens`), whose errors name the position of the bad element.
    func integers(_ key: Key) throws -> [Int]? {
        guard let value = try decodeIfPresent(JSONValue.self, forKey: key) else { return nil }
        return try WireDecoding.integers(from: value, at: codingPath + [key])
    }

    /// `error` unchanged when it is a `DecodingError` (it has its path) or `T` is not a number;
    /// otherwise Foundation's pathless number error, re-raised at `path`.
    private static func locate(_ error: any Error, of type: Any.Type, at path: [any CodingKey]) -> any Error {
        if error is DecodingError { return error }
        switch type {
        case is Int.Type:
            return DecodingError.invalidValue(at: path, "expected an integer, got a number with a fraction or out of range.")
        case is Double.Type:
            return DecodingError.invalidValue(at: path, "got a number out of range.")
        default:
            return error
        }
    }
}

// MARK: - Unions

/// Decoders for values whose JSON type is only known after reading them.
enum WireDecoding {
    static func strings(from value: JSONValue, at path: [any CodingKey], allowSingle: Bool) throws -> [String] {
        let expected = allowSingle ? "a string or an array of strings" : "an array of strings"
        switch value {
        case let .string(text) where allowSingle:
            return [text]
        case let .array(elements):
            return try elements.enumerated().map { index, element in
                guard let text = element.stringValue else {
                    throw DecodingError.invalidValue(
                        at: path + [PathKey(intValue: index)], "expected a string, got \(element.typeName).")
                }
                return text
            }
        default:
            throw DecodingError.invalidValue(at: path, "expected \(expected), got \(value.typeName).")
        }
    }

    static func integers(from value: JSONValue, at path: [any CodingKey]) throws -> [Int] {
        guard case let .array(elements) = value else {
            throw DecodingError.invalidValue(at: path, "expected an array of integers, got \(value.typeName).")
        }
        return try elements.enumerated().map { index, element in
            guard let number = element.integerValue else {
                throw DecodingError.invalidValue(
                    at: path + [PathKey(intValue: index)], "expected an integer, got \(element.typeName).")
            }
            return number
        }
    }
}

// MARK: - Keyed encoding

extension KeyedEncodingContainer {
    /// Encodes `value` as `null` when it is nil, for keys OpenAI always sends (`finish_reason`,
    /// `logprobs`, …); the synthesized encoder would drop them.
    mutating func encodeExplicitly<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value {
            try encode(value, forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }
}
