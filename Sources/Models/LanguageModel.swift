import GGUF
import Kernels

/// Which positions of a forward pass produce logits.
public enum LogitsRequest: Sendable, Equatable {
    /// None: the tokens only fill the cache (e.g. a prompt prefix).
    case none
    /// The last token's logits only (generation).
    case last
    /// Every token's logits, row by row (scoring, echo logprobs, perplexity).
    case all
    /// Every token's hidden state after the final norm instead of logits (`dim` floats per row), for
    /// embeddings.
    case hiddenStates
}

/// A loaded decoder-only model: weights over the mmap'd file plus the forward pass.
///
/// Models are immutable after loading and can be shared; all per-sequence state lives in a
/// `ModelSequence`. Calls on one model are serialised by its thread pool.
public protocol LanguageModel: AnyObject, Sendable {
    var hyperparameters: Hyperparameters { get }
    /// The threads forward passes run on.
    var pool: ThreadPool { get }

    /// Runs `tokens` at the sequence's next positions, storing their keys and values in its cache;
    /// afterwards `sequence.logits` holds the requested rows (vocabularySize floats each, or `dim` for
    /// hidden states).
    /// - Throws: `ModelError.contextFull` when the tokens do not fit, `.tokenOutOfRange` for a bad id.
    func forward(_ tokens: [Int32], in sequence: ModelSequence, logits: LogitsRequest) throws
}

extension LanguageModel {
    /// A fresh sequence with room for `contextLength` tokens (capped at the trained context unless
    /// `allowBeyondTraining`), prefilled `batchSize` tokens at a time.
    public func makeSequence(contextLength: Int? = nil, cacheType: KVCacheType = .f16, batchSize: Int = 256) throws -> ModelSequence {
        let hp = hyperparameters
        let context = min(contextLength ?? hp.trainedContext, hp.trainedContext)
        guard context > 0 else { throw ModelError.invalidRequest("context length must be positive, got \(context)") }
        guard batchSize > 0 else { throw ModelError.invalidRequest("batch size must be positive, got \(batchSize)") }
        return try ModelSequence(hyperparameters: hp, capacity: context, cacheType: cacheType, batchSize: min(batchSize, context))
    }
}

/// Opens a GGUF file's model by its `general.architecture`.
public enum ModelRegistry {
    /// Architecture name → loader. One line per architecture.
    static let loaders: [String: @Sendable (GGUFFile, ThreadPool) throws -> any LanguageModel] = [
        "llama": Llama.load,
        "qwen2": Qwen2.load,
        "qwen3": Qwen3.load,
        "gemma3": Gemma3.load,
        "phi3": Phi3.load,
    ]

    /// The architectures this build can run, sorted.
    public static var supportedArchitectures: [String] { loaders.keys.sorted() }

    /// Loads the model in `file`, running its forward passes on `threads` threads.
    /// - Throws: `ModelError.unsupportedArchitecture` naming the architecture and the supported list,
    ///   or any shape/metadata error.
    public static func load(_ file: GGUFFile, threads: Int) throws -> any LanguageModel {
        guard let name = file["general.architecture"]?.stringValue else { throw ModelError.missingKey("general.architecture") }
        guard let loader = loaders[name] else {
            throw ModelError.unsupportedArchitecture(name, supported: supportedArchitectures)
        }
        let pool: ThreadPool
        do { pool = try ThreadPool(threadCount: threads) } catch {
            throw ModelError.invalidRequest("invalid thread count \(threads)")
        }
        return try loader(file, pool)
    }
}
