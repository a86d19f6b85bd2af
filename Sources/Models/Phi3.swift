import GGUF
import Kernels

/// phi3: Phi-3 and Phi-3.5 mini. One fused `attn_qkv` projection (q rows, then k, then v) and one
/// fused `ffn_up` holding the gate rows then the up rows; NeoX RoPE.
enum Phi3 {
    static func load(_ file: GGUFFile, pool: ThreadPool) throws -> any LanguageModel {
        try PreNormDecoder(file: file, pool: pool, variant: DecoderVariant(
            architecture: "phi3", ropeStyle: .neox, requiredPerLayer: ["attn_qkv.weight"]))
    }
}
