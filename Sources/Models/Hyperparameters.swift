import GGUF
import Kernels

/// The numbers that shape a decoder-only transformer, read from `<arch>.*` GGUF keys.
public struct Hyperparameters: Sendable, Equatable {
    public var architecture: String
    /// Model width, layers, query heads, key/value heads, per-head key and value widths, FFN width.
    public var dim: Int, layers: Int, heads: Int, kvHeads: Int, headDim: Int, valueDim: Int, ffnDim: Int
    /// Vocabulary size (rows of the token embedding).
    public var vocabularySize: Int
    /// Context length the model was trained for.
    public var trainedContext: Int
    public var rmsEpsilon: Float
    /// RoPE: rotated dimensions per head, base frequency, scaling.
    public var ropeDim: Int, ropeBase: Float, ropeScaling: RoPEScaling
    /// Sliding-window size for layers that use one (nil: all layers are global).
    public var slidingWindow: Int?

    /// Reads the common keys. `vocabularySize` comes from the embedding tensor when the key is absent.
    init(file: GGUFFile, architecture arch: String, vocabularyFallback: Int) throws {
        architecture = arch
        let keys = MetadataReader(file: file, prefix: arch)
        dim = try keys.positive("embedding_length")
        layers = try keys.positive("block_count")
        heads = try keys.positive("attention.head_count")
        kvHeads = try keys.optionalPositive("attention.head_count_kv") ?? heads
        guard heads % kvHeads == 0 else {
            throw ModelError.invalidHyperparameter(key: "\(arch).attention.head_count_kv", value: "\(kvHeads)")
        }
        headDim = try keys.optionalPositive("attention.key_length") ?? dim / heads
        valueDim = try keys.optionalPositive("attention.value_length") ?? headDim
        guard headDim > 0, dim % heads == 0 || keys.has("attention.key_length") else {
            throw ModelError.invalidHyperparameter(key: "\(arch).attention.head_count", value: "\(heads)")
        }
        ffnDim = try keys.positive("feed_forward_length")
        vocabularySize = try keys.optionalPositive("vocab_size") ?? vocabularyFallback
        trainedContext = try keys.optionalPositive("context_length") ?? 2048
        rmsEpsilon = Float(try keys.double("attention.layer_norm_rms_epsilon") ?? 1e-5)
        guard rmsEpsilon >= 0, rmsEpsilon < 1 else {
            throw ModelError.invalidHyperparameter(key: "\(arch).attention.layer_norm_rms_epsilon", value: "\(rmsEpsilon)")
        }
        ropeDim = try keys.optionalPositive("rope.dimension_count") ?? headDim
        guard ropeDim % 2 == 0, ropeDim <= headDim else {
            throw ModelError.invalidHyperparameter(key: "\(arch).rope.dimension_count", value: "\(ropeDim)")
        }
        ropeBase = Float(try keys.double("rope.freq_base") ?? 10_000)
        guard ropeBase > 0, ropeBase.isFinite else {
            throw ModelError.invalidHyperparameter(key: "\(arch).rope.freq_base", value: "\(ropeBase)")
        }
        ropeScaling = try Self.scaling(keys, trainedContext: trainedContext)
        slidingWindow = try keys.optionalPositive("attention.sliding_window")
        for (key, value) in [("embedding_length", dim), ("block_count", layers), ("attention.head_count", heads),
                             ("feed_forward_length", ffnDim), ("attention.key_length", headDim),
                             ("attention.value_length", valueDim)] where value > 1 << 20 {
            throw ModelError.invalidHyperparameter(key: "\(arch).\(key)", value: "\(value)")
        }
    }

    private static func scaling(_ keys: MetadataReader, trainedContext: Int) throws -> RoPEScaling {
        let type = try keys.string("rope.scaling.type") ?? "none"
        let factor = Float(try keys.double("rope.scaling.factor") ?? 1)
        switch type {
        case "none": return .none
        case "linear":
            guard factor > 0 else { throw ModelError.invalidHyperparameter(key: "rope.scaling.factor", value: "\(factor)") }
            return factor == 1 ? .none : .linear(factor: factor)
        case "yarn":
            guard factor > 0 else { throw ModelError.invalidHyperparameter(key: "rope.scaling.factor", value: "\(factor)") }
            let original = try keys.optionalPositive("rope.scaling.original_context_length") ?? trainedContext
            return .yarn(factor: factor, originalContext: original,
                         betaFast: Float(try keys.double("rope.scaling.yarn_beta_fast") ?? 32),
                         betaSlow: Float(try keys.double("rope.scaling.yarn_beta_slow") ?? 1),
                         attnFactor: Float(try keys.double("rope.scaling.attn_factor") ?? 1))
        default:
            throw ModelError.invalidHyperparameter(key: "rope.scaling.type", value: type)
        }
    }
}

/// Typed reads of `<prefix>.<key>` metadata with errors that name the key.
struct MetadataReader {
    let file: GGUFFile
    let prefix: String

    func has(_ key: String) -> Bool { file["\(prefix).\(key)"] != nil }

    func positive(_ key: String) throws -> Int {
        guard let value = try optionalPositive(key) else { throw ModelError.missingKey("\(prefix).\(key)") }
        return value
    }

    func optionalPositive(_ key: String) throws -> Int? {
        guard let raw = file["\(prefix).\(key)"] else { return nil }
        guard let value = raw.intValue, value > 0 else {
            throw ModelError.invalidHyperparameter(key: "\(prefix).\(key)", value: "\(raw)")
        }
        return value
    }

    func double(_ key: String) throws -> Double? {
        guard let raw = file["\(prefix).\(key)"] else { return nil }
        guard let value = raw.doubleValue, value.isFinite else {
            throw ModelError.invalidHyperparameter(key: "\(prefix).\(key)", value: "\(raw)")
        }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let raw = file["\(prefix).\(key)"] else { return nil }
        guard let value = raw.stringValue else { throw ModelError.invalidHyperparameter(key: "\(prefix).\(key)", value: "\(raw)") }
        return value
    }
}
