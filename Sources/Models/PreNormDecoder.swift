import GGUF
import Kernels

/// What distinguishes the architectures that share `PreNormDecoder`.
struct DecoderVariant {
    /// `general.architecture` and the prefix of its metadata keys.
    let architecture: String
    let ropeStyle: RoPEStyle
    /// Tensors every layer must have beyond the common ones (checked so a wrong file fails at load).
    let requiredPerLayer: [String]
}

/// The pre-norm decoder shared by llama, qwen2, qwen3 and phi3:
/// x += Wo·attn(RoPE(Wq·n(x)), RoPE(Wk·n(x)), Wv·n(x)); x += down(silu(gate·n(x)) ⊙ up·n(x)),
/// with whichever optional pieces the file has (q/k/v biases, per-head q/k norms, fused qkv and
/// gate+up projections, RoPE frequency factors).
final class PreNormDecoder: LanguageModel {
    let hyperparameters: Hyperparameters
    let pool: ThreadPool
    let tokenEmbedding: WeightMatrix          // (vocab × dim)
    let layers: [Layer]
    let outputNorm: [Float]                   // (dim)
    let output: WeightMatrix                  // (vocab × dim), the embedding when tied
    let rotary: Rotary
    let attentionShape: AttentionShape

    struct Layer {
        let attentionNorm: [Float]            // (dim)
        let attention: AttentionWeights
        let ffnNorm: [Float]                  // (dim)
        let ffn: FeedForwardWeights
    }

    init(file: GGUFFile, pool: ThreadPool, variant: DecoderVariant) throws {
        let tensors = TensorLoader(file: file)
        let hp = try Hyperparameters(file: file, architecture: variant.architecture, vocabularyFallback: try tensors.embeddingRows())
        for i in 0..<hp.layers {
            for name in variant.requiredPerLayer where !tensors.has("blk.\(i).\(name)") {
                throw ModelError.missingTensor("blk.\(i).\(name)")
            }
        }
        hyperparameters = hp
        self.pool = pool
        (tokenEmbedding, output) = try tensors.embeddings(hp)
        outputNorm = try tensors.vector("output_norm.weight", count: hp.dim)
        layers = try (0..<hp.layers).map { i in
            Layer(attentionNorm: try tensors.vector("blk.\(i).attn_norm.weight", count: hp.dim),
                  attention: try tensors.attention(layer: i, hp),
                  ffnNorm: try tensors.vector("blk.\(i).ffn_norm.weight", count: hp.dim),
                  ffn: try tensors.feedForward(layer: i, hp, activation: .silu))
        }
        rotary = try tensors.rotary(hp, style: variant.ropeStyle)
        let scale = Float(try MetadataReader(file: file, prefix: variant.architecture).double("attention.scale") ?? 0)
        attentionShape = AttentionShape(heads: hp.heads, kvHeads: hp.kvHeads, headDim: hp.headDim, valueDim: hp.valueDim,
                                        scale: scale != 0 ? scale : 1 / Float(hp.headDim).squareRoot())
    }

    func forward(_ tokens: [Int32], in sequence: ModelSequence, logits request: LogitsRequest) throws {
        try sequence.run(tokens, request: request, vocabularySize: hyperparameters.vocabularySize) { pass, chunk, wantLogits in
            try pass.embed(chunk, from: tokenEmbedding)
            for (i, layer) in layers.enumerated() {
                try pass.norm(layer.attentionNorm)
                try pass.attention(layer.attention, layer: i, rotary: rotary, shape: attentionShape, cache: sequence.cache, pool: pool)
                try pass.addOutput()
                try pass.norm(layer.ffnNorm)
                try pass.feedForward(layer.ffn, pool: pool)
                try pass.addOutput()
            }
            if wantLogits {
                try pass.logits(norm: outputNorm, output: output, rows: request, into: &sequence.logits, pool: pool)
            }
        }
    }
}
