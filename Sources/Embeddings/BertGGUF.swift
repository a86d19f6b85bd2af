import GGUF
import Kernels

/// BERT embedding models in GGUF (the `bert` architecture, as llama.cpp's converter writes them):
/// hyperparameters from the `bert.*` keys and tensors under llama.cpp's names, dequantized to f32.
enum BertGGUF {
    /// The GGUF name of each tensor `BertModel` reads by its Hugging Face name.
    static func tensorName(_ hfName: String) -> String? {
        let fixed = [
            "embeddings.word_embeddings.weight": "token_embd.weight",
            "embeddings.position_embeddings.weight": "position_embd.weight",
            "embeddings.token_type_embeddings.weight": "token_types.weight",
            "embeddings.LayerNorm.weight": "token_embd_norm.weight",
            "embeddings.LayerNorm.bias": "token_embd_norm.bias",
        ]
        if let name = fixed[hfName] { return name }
        let parts = hfName.split(separator: ".")
        guard parts.count >= 5, parts[0] == "encoder", parts[1] == "layer", let layer = Int(parts[2]) else { return nil }
        let module = parts[3..<(parts.count - 1)].joined(separator: ".")
        let renamed = [
            "attention.self.query": "attn_q", "attention.self.key": "attn_k", "attention.self.value": "attn_v",
            "attention.output.dense": "attn_output", "attention.output.LayerNorm": "attn_output_norm",
            "intermediate.dense": "ffn_up", "output.dense": "ffn_down", "output.LayerNorm": "layer_output_norm",
        ]
        guard let short = renamed[module] else { return nil }
        return "blk.\(layer).\(short).\(parts[parts.count - 1])"
    }

    /// The hyperparameters in the file's `bert.*` keys and tensor shapes.
    static func config(_ file: GGUFFile) throws -> BertConfig {
        guard file["general.architecture"]?.stringValue == "bert" else {
            throw EmbeddingsError.badConfig(file: "GGUF", reason: "architecture '\(file["general.architecture"]?.stringValue ?? "?")' is not bert")
        }
        func int(_ key: String) throws -> Int {
            guard let n = file["bert." + key]?.intValue, n > 0, n <= 1 << 20 else {
                throw EmbeddingsError.badConfig(file: "GGUF", reason: "missing or invalid bert.\(key)")
            }
            return n
        }
        func rows(_ tensor: String) throws -> Int {
            guard let info = file.tensor(named: tensor), info.shape.count == 2, info.shape[1] > 0 else {
                throw EmbeddingsError.badConfig(file: "GGUF", reason: "missing or invalid \(tensor)")
            }
            return info.shape[1]
        }
        let config = BertConfig(
            vocabularySize: try rows("token_embd.weight"), hiddenSize: try int("embedding_length"),
            layerCount: try int("block_count"), headCount: try int("attention.head_count"),
            intermediateSize: try int("feed_forward_length"), maxPositions: try rows("position_embd.weight"),
            typeVocabularySize: file.tensor(named: "token_types.weight") == nil ? 1 : try rows("token_types.weight"),
            layerNormEpsilon: Float(file["bert.attention.layer_norm_epsilon"]?.doubleValue ?? 1e-12), activation: .gelu)
        guard config.hiddenSize % config.headCount == 0 else {
            throw EmbeddingsError.badConfig(file: "GGUF", reason: "embedding_length \(config.hiddenSize) is not a multiple of "
                                            + "\(config.headCount) heads")
        }
        return config
    }

    /// How the file says to pool (`bert.pooling_type`: 1 mean, 2 cls; absent means mean).
    static func pooling(_ file: GGUFFile) throws -> Pooling {
        switch file["bert.pooling_type"]?.intValue ?? 1 {
        case 1: return Pooling(mean: true)
        case 2: return Pooling(cls: true, mean: false)
        case let other: throw EmbeddingsError.badConfig(file: "GGUF", reason: "bert.pooling_type \(other) is not supported")
        }
    }

    /// The tensor BertModel asks for by Hugging Face name and shape `[rows, cols]` or `[n]`, as f32.
    static func floats(_ file: GGUFFile, hfName: String, shape: [Int]) throws -> [Float] {
        guard let name = tensorName(hfName), let info = file.tensor(named: name) else {
            throw EmbeddingsError.badConfig(file: "GGUF", reason: "missing tensor for \(hfName)")
        }
        let rows = shape.count == 2 ? shape[0] : 1, cols = shape.count == 2 ? shape[1] : shape[0]
        let expected = shape.count == 2 ? [cols, rows] : [cols]
        guard info.shape == expected else {
            throw EmbeddingsError.badShape(tensor: name, reason: "shape \(info.shape), expected \(expected)")
        }
        do {
            let matrix = try WeightMatrix(type: info.type, rows: rows, cols: cols, buffer: file.bytes(of: info), owner: file)
            var out = [Float](repeating: 0, count: rows * cols)
            for r in 0..<rows { try matrix.dequantizeRow(r, into: &out, at: r * cols) }
            return out
        } catch let error as KernelError {
            throw EmbeddingsError.badShape(tensor: name, reason: error.description)
        }
    }
}
