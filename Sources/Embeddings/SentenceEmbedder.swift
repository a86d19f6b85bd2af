import Foundation
import GGUF
import Kernels
import Synchronization
import Tokenizers

/// A sentence-transformers model folder (BERT `Transformer` → `Pooling` → optional `Normalize`), or a
/// GGUF BERT, that turns texts or token ids into fixed-size vectors, as `SentenceTransformer.encode`
/// (or llama.cpp's embeddings) do.
///
/// Loads `config.json`, `model.safetensors`, `modules.json`, `1_Pooling/config.json`,
/// `sentence_bert_config.json` (max_seq_length) and the WordPiece tokenizer. Calls are serialized: the
/// embedder owns one thread pool and runs one batch at a time.
public final class SentenceEmbedder: Sendable {
    /// Length of the output vectors.
    public let dimensions: Int
    /// Longest token sequence the model sees, [CLS] and [SEP] included; longer inputs are truncated.
    public let maxSequenceLength: Int
    /// How token states become one vector.
    public let pooling: Pooling
    /// Whether vectors are scaled to unit length (a `Normalize` module in modules.json).
    public let normalizes: Bool
    /// The model's WordPiece tokenizer.
    public let tokenizer: Tokenizer
    /// The encoder's hyperparameters.
    public var config: BertConfig { model.config }

    private let model: BertModel
    private let pool: ThreadPool
    private let lock = Mutex(())
    private let cls: Int32, sep: Int32

    /// Most tokens run through the encoder at once; larger requests are split into several batches so
    /// memory stays bounded (~40 MB of activations for MiniLM).
    static let tokensPerBatch = 8192

    /// Loads the model folder.
    /// - Parameters:
    ///   - folder: a sentence-transformers model directory.
    ///   - threads: compute threads (default: all online CPUs).
    /// - Throws: `EmbeddingsError` for missing or malformed files, or a tokenizer error.
    public convenience init(folder: String, threads: Int? = nil) throws {
        let base = URL(fileURLWithPath: folder)
        let config = try BertConfig(contentsOf: base.appendingPathComponent("config.json"))
        let weights = try SafeTensorsFile(path: base.appendingPathComponent("model.safetensors").path)
        let modules = try Self.modules(base)
        let poolingURL = base.appendingPathComponent(modules["sentence_transformers.models.Pooling"] ?? "1_Pooling")
            .appendingPathComponent("config.json")
        var maxLength = config.maxPositions
        let stURL = base.appendingPathComponent("sentence_bert_config.json")
        if FileManager.default.fileExists(atPath: stURL.path),
           let value = (try readJSONObject(stURL)["max_seq_length"] as? NSNumber)?.intValue {
            guard value >= 2 else { throw EmbeddingsError.badConfig(file: "sentence_bert_config.json", reason: "max_seq_length \(value)") }
            maxLength = min(value, config.maxPositions)
        }
        try self.init(model: try BertModel(config: config, weights: weights), tokenizer: try Tokenizer.loadWordPiece(folder: folder),
                      pooling: try Pooling(contentsOf: poolingURL),
                      normalizes: modules["sentence_transformers.models.Normalize"] != nil,
                      maxLength: maxLength, threads: threads)
    }

    /// Loads a GGUF embedding model of the `bert` architecture (llama.cpp's layout): pooling from
    /// `bert.pooling_type`, vectors normalized to unit length (as llama.cpp's embeddings are), inputs
    /// truncated to the trained context.
    /// - Throws: `EmbeddingsError` for another architecture or a missing or malformed tensor, or a GGUF
    ///   or tokenizer error.
    public convenience init(gguf path: String, threads: Int? = nil) throws {
        let file = try GGUFFile(path: path)
        let config = try BertGGUF.config(file)
        let model = try BertModel(config: config) { name, shape in try BertGGUF.floats(file, hfName: name, shape: shape) }
        try self.init(model: model, tokenizer: try Tokenizer.load(gguf: file), pooling: try BertGGUF.pooling(file),
                      normalizes: true, maxLength: config.maxPositions, threads: threads)
    }

    private init(model: BertModel, tokenizer: Tokenizer, pooling: Pooling, normalizes: Bool, maxLength: Int,
                 threads: Int?) throws {
        guard let cls = tokenizer.tokenID("[CLS]"), let sep = tokenizer.tokenID("[SEP]") else {
            throw EmbeddingsError.badConfig(file: "tokenizer", reason: "no [CLS] or [SEP] token")
        }
        // [CLS] and [SEP] take two positions; a model with fewer has no room for any text.
        guard maxLength >= 2 else {
            throw EmbeddingsError.badConfig(file: "config", reason: "max_position_embeddings \(maxLength) < 2")
        }
        self.model = model
        self.tokenizer = tokenizer
        self.cls = cls
        self.sep = sep
        self.pooling = pooling
        self.normalizes = normalizes
        maxSequenceLength = maxLength
        dimensions = pooling.modeCount * model.config.hiddenSize
        pool = try ThreadPool(threadCount: threads ?? ThreadPool.processorCount())
    }

    /// modules.json as type → path ("" for the transformer itself); absent file: a plain transformer
    /// with mean pooling, as sentence-transformers assumes for a bare HF model.
    private static func modules(_ base: URL) throws -> [String: String] {
        let url = base.appendingPathComponent("modules.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        guard let data = try? Data(contentsOf: url),
              let list = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw EmbeddingsError.badConfig(file: "modules.json", reason: "not a JSON array of objects")
        }
        var result: [String: String] = [:]
        for entry in list {
            if let type = entry["type"] as? String { result[type] = entry["path"] as? String ?? "" }
        }
        return result
    }

    // MARK: - Tokens

    /// The model input for `text`: [CLS] + WordPiece tokens + [SEP], the tokens cut so the whole fits
    /// `maxSequenceLength` (what sentence-transformers' tokenizer call with truncation does).
    public func tokenize(_ text: String) -> [Int32] {
        let pieces = tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        return [cls] + pieces.prefix(maxSequenceLength - 2) + [sep]
    }

    /// `ids` wrapped in [CLS] … [SEP] and truncated the same way as `tokenize`.
    public func wrap(_ ids: [Int32]) -> [Int32] {
        [cls] + ids.prefix(maxSequenceLength - 2) + [sep]
    }

    // MARK: - Embedding

    /// The vectors of `texts` (`texts.count × dimensions`), with token counts for usage reporting.
    public func embed(texts: [String]) throws -> EmbeddingResult {
        try embed(tokenIDs: texts.map(tokenize))
    }

    /// The vectors of model inputs given as token ids, used as they are (add [CLS]/[SEP] with `wrap`
    /// first for raw text tokens); sequences longer than `maxSequenceLength` keep their first
    /// `maxSequenceLength − 1` ids and their last one, so a trailing [SEP] survives.
    /// - Throws: `EmbeddingsError.invalidInput` for an empty sequence or an id outside the vocabulary.
    public func embed(tokenIDs: [[Int32]]) throws -> EmbeddingResult {
        let vocabulary = Int32(model.config.vocabularySize)
        var sequences: [[Int32]] = []
        sequences.reserveCapacity(tokenIDs.count)
        for (n, ids) in tokenIDs.enumerated() {
            guard !ids.isEmpty else { throw EmbeddingsError.invalidInput("input \(n) has no tokens") }
            if let bad = ids.first(where: { $0 < 0 || $0 >= vocabulary }) {
                throw EmbeddingsError.invalidInput("input \(n): token id \(bad) is outside 0..<\(vocabulary)")
            }
            sequences.append(ids.count > maxSequenceLength ? Array(ids.prefix(maxSequenceLength - 1)) + [ids[ids.count - 1]] : ids)
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(sequences.count)
        lock.withLock { _ in
            var first = 0
            while first < sequences.count {
                var end = first, tokens = 0
                while end < sequences.count, end == first || tokens + sequences[end].count <= Self.tokensPerBatch {
                    tokens += sequences[end].count
                    end += 1
                }
                vectors += runBatch(Array(sequences[first..<end]))
                first = end
            }
        }
        return EmbeddingResult(vectors: vectors, tokenCounts: sequences.map(\.count))
    }

    private func runBatch(_ sequences: [[Int32]]) -> [[Float]] {
        let h = model.config.hiddenSize
        return model.forward(sequences, pool: pool) { states in
            var start = 0
            return sequences.map { sequence in
                var vector = pooling.pool(states + start * h, tokens: sequence.count, hidden: h)
                start += sequence.count
                if normalizes { Pooling.normalize(&vector) }
                return vector
            }
        }
    }
}

/// Vectors with the number of tokens each input used (after truncation, [CLS]/[SEP] included).
public struct EmbeddingResult: Sendable, Equatable {
    /// One vector per input, in input order.
    public var vectors: [[Float]]
    /// Tokens per input.
    public var tokenCounts: [Int]
    /// Σ tokenCounts: OpenAI's `usage.prompt_tokens`.
    public var totalTokens: Int { tokenCounts.reduce(0, +) }

    public init(vectors: [[Float]], tokenCounts: [Int]) {
        self.vectors = vectors
        self.tokenCounts = tokenCounts
    }
}
