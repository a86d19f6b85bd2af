import Kernels

/// Loading of the blocks most architectures share, by their llama.cpp tensor names.
extension TensorLoader {
    /// `blk.N.attn_{q,k,v,output}` with optional biases and per-head norms.
    func attention(layer i: Int, _ hp: Hyperparameters) throws -> AttentionWeights {
        let p = "blk.\(i)."
        let qWidth = hp.heads * hp.headDim, kWidth = hp.kvHeads * hp.headDim, vWidth = hp.kvHeads * hp.valueDim
        let projection: AttentionWeights.Projection
        if let qkv = try optionalMatrix(p + "attn_qkv.weight", rows: qWidth + kWidth + vWidth, cols: hp.dim) {
            projection = .fused(qkv)
        } else {
            projection = .separate(q: try matrix(p + "attn_q.weight", rows: qWidth, cols: hp.dim),
                                   k: try matrix(p + "attn_k.weight", rows: kWidth, cols: hp.dim),
                                   v: try matrix(p + "attn_v.weight", rows: vWidth, cols: hp.dim))
        }
        return AttentionWeights(
            projection: projection,
            output: try matrix(p + "attn_output.weight", rows: hp.dim, cols: hp.heads * hp.valueDim),
            qBias: try optionalVector(p + "attn_q.bias", count: qWidth),
            kBias: try optionalVector(p + "attn_k.bias", count: kWidth),
            vBias: try optionalVector(p + "attn_v.bias", count: vWidth),
            qNorm: try optionalVector(p + "attn_q_norm.weight", count: hp.headDim),
            kNorm: try optionalVector(p + "attn_k_norm.weight", count: hp.headDim))
    }

    /// `blk.N.ffn_{gate,up,down}`, or a fused gate+up in `ffn_up` (twice as many rows, no `ffn_gate`).
    func feedForward(layer i: Int, _ hp: Hyperparameters, activation: FeedForwardWeights.Activation) throws -> FeedForwardWeights {
        let p = "blk.\(i)."
        let projection: FeedForwardWeights.Projection
        if has(p + "ffn_gate.weight") {
            projection = .separate(gate: try matrix(p + "ffn_gate.weight", rows: hp.ffnDim, cols: hp.dim),
                                   up: try matrix(p + "ffn_up.weight", rows: hp.ffnDim, cols: hp.dim))
        } else {
            projection = .fused(try matrix(p + "ffn_up.weight", rows: 2 * hp.ffnDim, cols: hp.dim))
        }
        return FeedForwardWeights(projection: projection,
                                  down: try matrix(p + "ffn_down.weight", rows: hp.dim, cols: hp.ffnDim),
                                  activation: activation)
    }

    /// The token embedding (vocab × dim) and the output matrix, which is the embedding itself when the
    /// file has no `output.weight` (tied embeddings).
    func embeddings(_ hp: Hyperparameters) throws -> (embedding: WeightMatrix, output: WeightMatrix) {
        let embedding = try matrix("token_embd.weight", rows: hp.vocabularySize, cols: hp.dim)
        let output = try optionalMatrix("output.weight", rows: hp.vocabularySize, cols: hp.dim) ?? embedding
        return (embedding, output)
    }

    /// Rows of the token embedding: the vocabulary size when no `<arch>.vocab_size` key says it.
    func embeddingRows() throws -> Int {
        guard let info = file.tensor(named: "token_embd.weight") else { throw ModelError.missingTensor("token_embd.weight") }
        guard info.shape.count == 2, info.shape[1] > 0 else {
            throw ModelError.badTensor(name: info.name, reason: "shape \(info.shape) is not a matrix")
        }
        return info.shape[1]
    }

    /// The RoPE for `hp` with `style`, using `rope_freqs.weight` divisors when the file has them.
    func rotary(_ hp: Hyperparameters, style: RoPEStyle, base: Float? = nil) throws -> Rotary {
        let factors = try optionalVector("rope_freqs.weight", count: hp.ropeDim / 2)
        do {
            return try Rotary(dims: hp.ropeDim, base: base ?? hp.ropeBase, style: style, scaling: hp.ropeScaling,
                              freqFactors: factors)
        } catch let error as KernelError {
            throw ModelError.invalidHyperparameter(key: "rope", value: error.description)
        }
    }
}
