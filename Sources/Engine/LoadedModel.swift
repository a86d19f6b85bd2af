import GGUF
import Kernels
import Models
import Synchronization
import Tokenizers

/// How to open a model.
public struct ModelLoadOptions: Sendable, Equatable {
    /// Compute threads.
    public var threads: Int
    /// Context size; nil uses the model's trained context, capped at `defaultContextCap`.
    public var contextLength: Int?
    public var cacheType: KVCacheType
    /// Prompt tokens per forward step.
    public var batchSize: Int

    /// The context used when none is asked for: large trained contexts (32k+) would reserve a large
    /// KV cache for every model that is loaded.
    public static let defaultContextCap = 4096

    public init(threads: Int = ThreadPool.processorCount(), contextLength: Int? = nil, cacheType: KVCacheType = .f16,
                batchSize: Int = 256) {
        self.threads = threads
        self.contextLength = contextLength
        self.cacheType = cacheType
        self.batchSize = batchSize
    }
}

/// A model ready to generate: the mmap'd file, its weights, tokenizer and chat template, plus the
/// sequence whose KV cache is reused across requests that share a prompt prefix.
public final class LoadedModel: Sendable {
    /// The id clients use (file name without `.gguf`).
    public let name: String
    public let path: String
    public let file: GGUFFile
    public let model: any LanguageModel
    public let tokenizer: Tokenizer
    /// `tokenizer.chat_template` from the file, if any.
    public let chatTemplate: String?
    /// Positions each sequence holds.
    public let contextLength: Int
    public let options: ModelLoadOptions

    /// The reusable sequence and the tokens its cache holds. Only the engine's worker touches it.
    let slot: Mutex<SequenceSlot>

    /// Opens and validates `path`; weights stay mmap'd.
    /// - Throws: `EngineError.loadFailed` with the reason (bad file, unsupported architecture, …).
    public init(path: String, name: String, options: ModelLoadOptions = ModelLoadOptions()) throws {
        do {
            file = try GGUFFile(path: path)
            model = try ModelRegistry.load(file, threads: options.threads)
            tokenizer = try Tokenizer.load(gguf: file)
        } catch {
            throw EngineError.loadFailed(path: path, reason: "\(error)")
        }
        let trained = model.hyperparameters.trainedContext
        let context = options.contextLength ?? min(trained, ModelLoadOptions.defaultContextCap)
        guard context >= 1 else { throw EngineError.invalidOption(name: "ctx_size", reason: "must be positive, got \(context)") }
        self.name = name
        self.path = path
        self.options = options
        contextLength = min(context, trained)
        chatTemplate = file["tokenizer.chat_template"]?.stringValue
        slot = Mutex(SequenceSlot())
    }

    /// A sequence for one generation, reusing the cached one (and the longest prefix of `prompt` it
    /// already holds) when it is free. Returns the sequence and how many prompt tokens it reused.
    func checkOutSequence(for prompt: [Int32], reuse: Bool) throws -> (ModelSequence, Int) {
        let cached = slot.withLock { slot -> (ModelSequence, [Int32])? in
            guard let sequence = slot.sequence else { return nil }
            slot.sequence = nil
            return (sequence, slot.tokens)
        }
        guard let (sequence, tokens) = cached else {
            let fresh = try model.makeSequence(contextLength: contextLength, cacheType: options.cacheType,
                                               batchSize: options.batchSize)
            return (fresh, 0)
        }
        var common = 0
        if reuse {
            while common < min(tokens.count, prompt.count - 1), tokens[common] == prompt[common] { common += 1 }
        }
        try sequence.rewind(to: common)
        return (sequence, common)
    }

    /// Returns a sequence for the next request, remembering which tokens its cache holds.
    func checkIn(_ sequence: ModelSequence, tokens: [Int32]) {
        slot.withLock { slot in
            slot.sequence = sequence
            slot.tokens = Array(tokens.prefix(sequence.count))
        }
    }
}

struct SequenceSlot: Sendable {
    var sequence: ModelSequence?
    var tokens: [Int32] = []
}
