import Foundation

/// The hyperparameters of a BERT encoder, from a HF `config.json`.
public struct BertConfig: Sendable, Equatable {
    /// The FFN activation (`hidden_act`).
    public enum Activation: String, Sendable {
        /// Exact GELU, x·Φ(x) with erf (what HF's `"gelu"` means).
        case gelu
        /// GELU's tanh approximation (`"gelu_new"`, `"gelu_pytorch_tanh"`).
        case geluTanh
    }

    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var layerNormEpsilon: Float
    public var activation: Activation

    /// Width of one attention head.
    public var headDim: Int { hiddenSize / headCount }

    public init(vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
                maxPositions: Int, typeVocabularySize: Int, layerNormEpsilon: Float, activation: Activation) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
        self.activation = activation
    }

    /// Reads and checks `config.json`.
    /// - Throws: `EmbeddingsError.badConfig` for a missing file, a non-BERT model or an out-of-range value.
    public init(contentsOf url: URL) throws {
        let file = url.lastPathComponent
        let object = try readJSONObject(url)
        if let type = object["model_type"] as? String, type != "bert" {
            throw EmbeddingsError.badConfig(file: file, reason: "model_type '\(type)' is not bert")
        }
        func int(_ key: String, default value: Int? = nil) throws -> Int {
            guard let n = (object[key] as? NSNumber)?.intValue ?? value else {
                throw EmbeddingsError.badConfig(file: file, reason: "missing \(key)")
            }
            // Bounds keep buffer sizes derived from these values sane for a hostile config.
            guard n > 0, n <= 1 << 20 else { throw EmbeddingsError.badConfig(file: file, reason: "\(key) = \(n)") }
            return n
        }
        let act = object["hidden_act"] as? String ?? "gelu"
        let activation: Activation
        switch act {
        case "gelu": activation = .gelu
        case "gelu_new", "gelu_pytorch_tanh": activation = .geluTanh
        default: throw EmbeddingsError.badConfig(file: file, reason: "hidden_act '\(act)' is not supported")
        }
        if let kind = object["position_embedding_type"] as? String, kind != "absolute" {
            throw EmbeddingsError.badConfig(file: file, reason: "position_embedding_type '\(kind)' is not supported")
        }
        self.init(vocabularySize: try int("vocab_size"), hiddenSize: try int("hidden_size"),
                  layerCount: try int("num_hidden_layers"), headCount: try int("num_attention_heads"),
                  intermediateSize: try int("intermediate_size"), maxPositions: try int("max_position_embeddings"),
                  typeVocabularySize: try int("type_vocab_size", default: 2),
                  layerNormEpsilon: (object["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12,
                  activation: activation)
        guard hiddenSize % headCount == 0 else {
            throw EmbeddingsError.badConfig(file: file, reason: "hidden_size \(hiddenSize) is not a multiple of \(headCount) heads")
        }
    }
}

/// A JSON file that must hold an object.
func readJSONObject(_ url: URL) throws -> [String: Any] {
    guard let data = try? Data(contentsOf: url) else {
        throw EmbeddingsError.badConfig(file: url.lastPathComponent, reason: "missing or unreadable at \(url.path)")
    }
    guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
        throw EmbeddingsError.badConfig(file: url.lastPathComponent, reason: "not a JSON object")
    }
    return object
}
