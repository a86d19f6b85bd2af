import GGUF
import Kernels

/// gemma3: Gemma 3 text models.
///
/// Differences from the pre-norm decoder: the embedding is scaled by √dim; every block norms its
/// attention and FFN outputs again before the residual add (post-attention and post-FFN norms);
/// queries and keys get a per-head RMSNorm; the FFN is GeGLU; queries are scaled by 1/√headDim; and
/// layers alternate between sliding-window attention with their own RoPE base (10,000 unless
/// `rope.freq_base_swa` says otherwise) and global attention — five local layers then one global by
/// default (`attention.sliding_window_pattern`). The GGUF converter already added 1 to the norm
/// weights, so every norm here is a plain RMSNorm. Output embeddings are tied unless `output.weight`
/// exists; an optional `final_logit_softcapping` caps logits with c·tanh(x/c).
final class Gemma3: LanguageModel {
    let hyperparameters: Hyperparameters
    let pool: ThreadPool
    let tokenEmbedding: WeightMatrix          // (vocab × dim)
    let layers: [Layer]
    let outputNorm: [Float]                   // (dim)
    let output: WeightMatrix                  // (vocab × dim)
    let globalRotary: Rotary, localRotary: Rotary
    let globalShape: AttentionShape, localShape: AttentionShape
    let logitSoftcap: Float?

    struct Layer {
        let isLocal: Bool                     // sliding-window layer
        let attentionNorm: [Float]            // (dim)
        let attention: AttentionWeights       // with q/k norms (headDim)
        let postAttentionNorm: [Float]        // (dim)
        let ffnNorm: [Float]                  // (dim)
        let ffn: FeedForwardWeights           // GeGLU
        let postFFNNorm: [Float]              // (dim)
    }

    static func load(_ file: GGUFFile, pool: ThreadPool) throws -> any LanguageModel {
        try Gemma3(file: file, pool: pool)
    }

    init(file: GGUFFile, pool: ThreadPool) throws {
        let tensors = TensorLoader(file: file)
        let hp = try Hyperparameters(file: file, architecture: "gemma3", vocabularyFallback: try tensors.embeddingRows())
        let keys = MetadataReader(file: file, prefix: "gemma3")
        hyperparameters = hp
        self.pool = pool
        (tokenEmbedding, output) = try tensors.embeddings(hp)
        outputNorm = try tensors.vector("output_norm.weight", count: hp.dim)
        let local = try Self.localLayers(file: file, keys: keys, layers: hp.layers, window: hp.slidingWindow)
        layers = try (0..<hp.layers).map { i in
            let p = "blk.\(i)."
            let attention = try tensors.attention(layer: i, hp)
            guard attention.qNorm != nil, attention.kNorm != nil else { throw ModelError.missingTensor(p + "attn_q_norm.weight") }
            return Layer(isLocal: local[i],
                         attentionNorm: try tensors.vector(p + "attn_norm.weight", count: hp.dim),
                         attention: attention,
                         postAttentionNorm: try tensors.vector(p + "post_attention_norm.weight", count: hp.dim),
                         ffnNorm: try tensors.vector(p + "ffn_norm.weight", count: hp.dim),
                         ffn: try tensors.feedForward(layer: i, hp, activation: .gelu),
                         postFFNNorm: try tensors.vector(p + "post_ffw_norm.weight", count: hp.dim))
        }
        globalRotary = try tensors.rotary(hp, style: .neox)
        localRotary = try tensors.rotary(hp, style: .neox, base: Float(try keys.double("rope.freq_base_swa") ?? 10_000))
        let scale = 1 / Float(hp.headDim).squareRoot()
        globalShape = AttentionShape(heads: hp.heads, kvHeads: hp.kvHeads, headDim: hp.headDim, valueDim: hp.valueDim, scale: scale)
        localShape = AttentionShape(heads: hp.heads, kvHeads: hp.kvHeads, headDim: hp.headDim, valueDim: hp.valueDim,
                                    scale: scale, window: hp.slidingWindow)
        let cap = Float(try keys.double("final_logit_softcapping") ?? 0)
        logitSoftcap = cap > 0 ? cap : nil
    }

    /// Which layers use the sliding window: a per-layer bool array, or a period n where the last layer of
    /// every n is global (default 6); none without a window.
    private static func localLayers(file: GGUFFile, keys: MetadataReader, layers: Int, window: Int?) throws -> [Bool] {
        guard window != nil else { return Array(repeating: false, count: layers) }
        let key = "gemma3.attention.sliding_window_pattern"
        if let array = file[key]?.arrayValue {
            let flags = try array.ints()
            guard flags.count == layers else { throw ModelError.invalidHyperparameter(key: key, value: "\(flags.count) entries") }
            return flags.map { $0 != 0 }
        }
        let period = try keys.optionalPositive("attention.sliding_window_pattern") ?? 6
        return (0..<layers).map { $0 % period < period - 1 }
    }

    func forward(_ tokens: [Int32], in sequence: ModelSequence, logits request: LogitsRequest) throws {
        let hp = hyperparameters
        try sequence.run(tokens, request: request, vocabularySize: hp.vocabularySize) { pass, chunk, wantLogits in
            try pass.embed(chunk, from: tokenEmbedding, scale: Float(hp.dim).squareRoot())
            for (i, layer) in layers.enumerated() {
                try pass.norm(layer.attentionNorm)
                try pass.attention(layer.attention, layer: i, rotary: layer.isLocal ? localRotary : globalRotary,
                                   shape: layer.isLocal ? localShape : globalShape, cache: sequence.cache, pool: pool)
                try pass.normOutput(layer.postAttentionNorm)
                try pass.addOutput()
                try pass.norm(layer.ffnNorm)
                try pass.feedForward(layer.ffn, pool: pool)
                try pass.normOutput(layer.postFFNNorm)
                try pass.addOutput()
            }
            if wantLogits {
                try pass.logits(norm: outputNorm, output: output, rows: request, softcap: logitSoftcap,
                                into: &sequence.logits, pool: pool)
            }
        }
    }
}
