import GGUF
import Kernels

/// llama: SmolLM2, TinyLlama, Llama 2/3.x, Mistral. RoPE rotates adjacent pairs (the GGUF converter
/// permuted q/k rows for it); Llama 3.1+ files carry `rope_freqs.weight`.
enum Llama {
    static func load(_ file: GGUFFile, pool: ThreadPool) throws -> any LanguageModel {
        try PreNormDecoder(file: file, pool: pool, variant: DecoderVariant(architecture: "llama", ropeStyle: .normal, requiredPerLayer: []))
    }
}
