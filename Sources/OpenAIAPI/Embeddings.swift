import Foundation

/// `POST /v1/embeddings`: vectors for one or more inputs.
public struct EmbeddingRequest: Codable, Sendable, Equatable {
    /// A string, strings, token ids, or lists of token ids (the same forms as a completion prompt).
    public var input: CompletionPrompt
    public var model: String?
    /// `float` (default) or `base64`.
    public var encodingFormat: EmbeddingEncoding?
    /// Keep only the first `dimensions` values (renormalized).
    public var dimensions: Int?
    public var user: String?

    public init(input: CompletionPrompt, model: String? = nil) {
        self.input = input
        self.model = model
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case input, model, dimensions, user
        case encodingFormat = "encoding_format"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        input = try c.required(.input)
        model = try c.optional(.model)
        encodingFormat = try c.optional(.encodingFormat)
        dimensions = try c.optional(.dimensions)
        user = try c.optional(.user)
    }
}

/// How vectors are written: JSON numbers, or base64 of little-endian float32 (what the Node SDK asks for).
public enum EmbeddingEncoding: String, Codable, Sendable, Equatable {
    case float
    case base64

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(JSONValue.self)
        guard let text = value.stringValue, let format = EmbeddingEncoding(rawValue: text) else {
            let got = value.stringValue.map { "'\($0)'" } ?? value.typeName
            throw DecodingError.invalidValue(at: decoder.codingPath, "expected 'float' or 'base64', got \(got).")
        }
        self = format
    }
}

/// The answer: `{"object": "list", "data": [{"object": "embedding", "index", "embedding"}], "model", "usage"}`.
public struct EmbeddingResponse: Encodable, Sendable, Equatable {
    public var object = "list"
    public var data: [Embedding]
    public var model: String
    public var usage: Usage

    public struct Embedding: Encodable, Sendable, Equatable {
        public var object = "embedding"
        public var index: Int
        public var embedding: Vector

        public init(index: Int, embedding: Vector) {
            self.index = index
            self.embedding = embedding
        }
    }

    /// A vector as numbers, or as base64 of its little-endian float32 bytes.
    public enum Vector: Encodable, Sendable, Equatable {
        case float([Float])
        case base64(String)

        public init(_ values: [Float], encoding: EmbeddingEncoding) {
            switch encoding {
            case .float:
                self = .float(values)
            case .base64:
                var bytes: [UInt8] = []
                bytes.reserveCapacity(values.count * 4)
                for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
                self = .base64(Data(bytes).base64EncodedString())
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .float(values): try container.encode(values)
            case let .base64(text): try container.encode(text)
            }
        }
    }

    public struct Usage: Encodable, Sendable, Equatable {
        public var promptTokens: Int
        public var totalTokens: Int

        public init(promptTokens: Int) {
            self.promptTokens = promptTokens
            self.totalTokens = promptTokens
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }
    }

    public init(data: [Embedding], model: String, usage: Usage) {
        self.data = data
        self.model = model
        self.usage = usage
    }
}

/// `POST /v1/moderations`: classify text against OpenAI's categories.
public struct ModerationRequest: Codable, Sendable, Equatable {
    /// One text or several.
    public var input: [String]
    public var model: String?

    public init(input: [String], model: String? = nil) {
        self.input = input
        self.model = model
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case input, model
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let input = try c.stringOrStrings(.input) else {
            throw DecodingError.keyNotFound(CodingKeys.input, .init(codingPath: c.codingPath, debugDescription: "'input' is required."))
        }
        self.input = input
        model = try c.optional(.model)
    }
}

/// `{"id": "modr-…", "model", "results": [{"flagged", "categories", "category_scores"}]}`.
public struct ModerationResponse: Encodable, Sendable, Equatable {
    public var id: String
    public var model: String
    public var results: [Result]

    public struct Result: Encodable, Sendable, Equatable {
        public var flagged: Bool
        public var categories: [String: Bool]
        public var categoryScores: [String: Double]

        public init(flagged: Bool, categories: [String: Bool], categoryScores: [String: Double]) {
            self.flagged = flagged
            self.categories = categories
            self.categoryScores = categoryScores
        }

        enum CodingKeys: String, CodingKey {
            case flagged, categories
            case categoryScores = "category_scores"
        }
    }

    public init(id: String, model: String, results: [Result]) {
        self.id = id
        self.model = model
        self.results = results
    }
}
