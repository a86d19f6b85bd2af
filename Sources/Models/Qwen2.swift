import GGUF
import Kernels

/// qwen2: Qwen2 and Qwen2.5. Llama's block with biases on the q, k and v projections and NeoX RoPE
/// (rotating the two halves of each head).
enum Qwen2 {
    static func load(_ file: GGUFFile, pool: ThreadPool) throws -> any LanguageModel {
        try PreNormDecoder(file: file, pool: pool, variant: DecoderVariant(
            architecture: "qwen2", ropeStyle: .neox, requiredPerLayer: ["attn_q.bias", "attn_k.bias", "attn_v.bias"]))
    }
}
