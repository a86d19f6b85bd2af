import GGUF
import Kernels

/// qwen3: no projection biases; an RMSNorm over each query and key head before RoPE (NeoX); head
/// width set by `attention.key_length`, independent of dim / heads.
enum Qwen3 {
    static func load(_ file: GGUFFile, pool: ThreadPool) throws -> any LanguageModel {
        try PreNormDecoder(file: file, pool: pool, variant: DecoderVariant(
            architecture: "qwen3", ropeStyle: .neox, requiredPerLayer: ["attn_q_norm.weight", "attn_k_norm.weight"]))
    }
}
