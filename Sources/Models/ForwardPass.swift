import Kernels

/// The projections of one attention block. Each architecture fills what it has: separate or fused
/// q/k/v, optional biases, optional per-head q/k RMSNorm.
struct AttentionWeights: Sendable {
    enum Projection: Sendable {
        case separate(q: WeightMatrix, k: WeightMatrix, v: WeightMatrix)
        /// One matrix whose output rows are q, then k, then v (phi3's `attn_qkv`).
        case fused(WeightMatrix)
    }
    var projection: Projection
    var output: WeightMatrix                     // (dim × heads·valueDim)
    var qBias: [Float]? = nil, kBias: [Float]? = nil, vBias: [Float]? = nil
    var qNorm: [Float]? = nil, kNorm: [Float]? = nil  // (headDim), applied per head before RoPE
}

/// The gated feed-forward block: `down(act(gate·x) ⊙ up·x)`.
struct FeedForwardWeights: Sendable {
    enum Activation: Sendable { case silu, gelu }
    enum Projection: Sendable {
        case separate(gate: WeightMatrix, up: WeightMatrix)
        /// One matrix whose first ffnDim output rows are the gate and the rest the up projection.
        case fused(WeightMatrix)
    }
    var projection: Projection
    var down: WeightMatrix                       // (dim × ffnDim)
    var activation: Activation
}

/// Scratch buffers and the steps of a decoder forward pass over a chunk of `rows` tokens.
///
/// Row-major activations: `x` is the residual stream (rows × dim), `h` its normalised copy, `o` a
/// block's output. Buffers are sized once for the batch size; each step sets their length to
/// `rows × width` within that capacity, so nothing is allocated per token.
final class ForwardPass: @unchecked Sendable {
    let hp: Hyperparameters
    private(set) var rows = 0
    private(set) var position = 0

    var x: [Float] = [], h: [Float] = [], o: [Float] = []
    var q: [Float] = [], k: [Float] = [], v: [Float] = [], attention: [Float] = []
    var gate: [Float] = [], up: [Float] = [], fused: [Float] = []
    let modelInput: QuantizedActivations      // rows × dim
    let attentionInput: QuantizedActivations  // rows × heads·valueDim
    let ffnInput: QuantizedActivations        // rows × ffnDim

    init(hyperparameters hp: Hyperparameters, batchSize: Int) throws {
        self.hp = hp
        modelInput = try QuantizedActivations(maxRows: batchSize, maxCols: hp.dim)
        attentionInput = try QuantizedActivations(maxRows: batchSize, maxCols: hp.heads * hp.valueDim)
        ffnInput = try QuantizedActivations(maxRows: batchSize, maxCols: hp.ffnDim)
        let qkvWidth = (hp.heads + 2 * hp.kvHeads) * max(hp.headDim, hp.valueDim)
        for (buffer, width) in [(\ForwardPass.x, hp.dim), (\.h, hp.dim), (\.o, hp.dim),
                                (\.q, hp.heads * hp.headDim), (\.k, hp.kvHeads * hp.headDim),
                                (\.v, hp.kvHeads * hp.valueDim), (\.attention, hp.heads * hp.valueDim),
                                (\.gate, hp.ffnDim), (\.up, hp.ffnDim), (\.fused, max(2 * hp.ffnDim, qkvWidth))] {
            self[keyPath: buffer].reserveCapacity(batchSize * width)
        }
    }

    /// Starts a chunk of `rows` tokens at `position`.
    func begin(rows: Int, position: Int) {
        self.rows = rows
        self.position = position
    }

    // MARK: - Steps

    /// x = the tokens' embedding rows, times `scale` (Gemma multiplies by √dim).
    func embed(_ tokens: ArraySlice<Int32>, from table: WeightMatrix, scale: Float = 1) throws {
        resize(&x, rows * hp.dim)
        for (r, token) in tokens.enumerated() {
            try table.dequantizeRow(Int(token), into: &x, at: r * hp.dim)
        }
        if scale != 1 { Ops.scale(&x, by: scale) }
    }

    /// h = RMSNorm(x) · weight.
    func norm(_ weight: [Float]) throws {
        resize(&h, rows * hp.dim)
        for i in 0..<rows * hp.dim { h[i] = x[i] }
        try Ops.rmsNorm(&h, weight: weight, eps: hp.rmsEpsilon)
    }

    /// o = RMSNorm(o) · weight (Gemma's post-attention and post-FFN norms).
    func normOutput(_ weight: [Float]) throws {
        try Ops.rmsNorm(&o, weight: weight, eps: hp.rmsEpsilon)
    }

    /// x += o.
    func addOutput() throws { try Ops.add(&x, o) }

    /// o = attention block over h for layer `layer`: projections, optional biases and q/k norms, RoPE,
    /// cache store, causal attention, output projection.
    func attention(_ w: AttentionWeights, layer: Int, rotary: Rotary, shape: AttentionShape,
                   cache: KVCache, pool: ThreadPool) throws {
        let qWidth = hp.heads * hp.headDim, kWidth = hp.kvHeads * hp.headDim, vWidth = hp.kvHeads * hp.valueDim
        try modelInput.load(h, rows: rows, cols: hp.dim)
        switch w.projection {
        case let .separate(wq, wk, wv) where rows == 1:
            resize(&q, wq.rows); resize(&k, wk.rows); resize(&v, wv.rows)
            try q.withUnsafeMutableBufferPointer { q in
                try k.withUnsafeMutableBufferPointer { k in
                    try v.withUnsafeMutableBufferPointer { v in
                        try WeightMatrix.matvec(modelInput, wq, into: q, wk, into: k, wv, into: v, pool: pool)
                    }
                }
            }
        case let .separate(wq, wk, wv):
            try project(wq, modelInput, into: &q, pool: pool)
            try project(wk, modelInput, into: &k, pool: pool)
            try project(wv, modelInput, into: &v, pool: pool)
        case let .fused(wqkv):
            try project(wqkv, modelInput, into: &fused, pool: pool)
            split(fused, width: qWidth + kWidth + vWidth, [(\.q, 0, qWidth), (\.k, qWidth, kWidth), (\.v, qWidth + kWidth, vWidth)])
        }
        if let b = w.qBias { try Ops.addBias(&q, b) }
        if let b = w.kBias { try Ops.addBias(&k, b) }
        if let b = w.vBias { try Ops.addBias(&v, b) }
        if let n = w.qNorm { try Ops.rmsNorm(&q, weight: n, eps: hp.rmsEpsilon) }
        if let n = w.kNorm { try Ops.rmsNorm(&k, weight: n, eps: hp.rmsEpsilon) }
        try rotary.apply(&q, rows: rows, heads: hp.heads, headDim: hp.headDim, position: position)
        try rotary.apply(&k, rows: rows, heads: hp.kvHeads, headDim: hp.headDim, position: position)
        try cache.store(layer: layer, position: position, rows: rows, keys: k, values: v)
        resize(&attention, rows * hp.heads * hp.valueDim)
        try cache.attend(layer: layer, position: position, rows: rows, queries: q, shape: shape, into: &attention, pool: pool)
        try attentionInput.load(attention, rows: rows, cols: hp.heads * hp.valueDim)
        try project(w.output, attentionInput, into: &o, pool: pool)
    }

    /// o = feed-forward block over h.
    func feedForward(_ w: FeedForwardWeights, pool: ThreadPool) throws {
        try modelInput.load(h, rows: rows, cols: hp.dim)
        switch w.projection {
        case let .separate(wg, wu) where rows == 1:
            resize(&gate, wg.rows); resize(&up, wu.rows)
            try gate.withUnsafeMutableBufferPointer { g in
                try up.withUnsafeMutableBufferPointer { u in try WeightMatrix.matvec(modelInput, wg, into: g, wu, into: u, pool: pool) }
            }
        case let .separate(wg, wu):
            try project(wg, modelInput, into: &gate, pool: pool)
            try project(wu, modelInput, into: &up, pool: pool)
        case let .fused(wgu):
            try project(wgu, modelInput, into: &fused, pool: pool)
            split(fused, width: 2 * hp.ffnDim, [(\.gate, 0, hp.ffnDim), (\.up, hp.ffnDim, hp.ffnDim)])
        }
        switch w.activation {
        case .silu: try Ops.siluMul(&gate, up)
        case .gelu: try Ops.geluMul(&gate, up)
        }
        try ffnInput.load(gate, rows: rows, cols: hp.ffnDim)
        try project(w.down, ffnInput, into: &o, pool: pool)
    }

    /// The logits of the chunk's last row (`.last`) or of every row (`.all`), appended to `out`: final
    /// RMSNorm, then the output matrix. `.hiddenStates` appends the normed rows themselves.
    /// - Parameter softcap: when set, logits become `softcap · tanh(logit / softcap)`.
    func logits(norm weight: [Float], output: WeightMatrix, rows request: LogitsRequest, softcap: Float? = nil,
                into out: inout [Float], pool: ThreadPool) throws {
        let first = request == .last ? rows - 1 : 0
        let n = rows - first
        resize(&h, n * hp.dim)
        for i in 0..<n * hp.dim { h[i] = x[first * hp.dim + i] }
        try Ops.rmsNorm(&h, weight: weight, eps: hp.rmsEpsilon)
        if request == .hiddenStates {
            out.append(contentsOf: h[0..<n * hp.dim])
            return
        }
        try modelInput.load(h, rows: n, cols: hp.dim)
        if out.isEmpty {
            try project(output, modelInput, into: &out, pool: pool)
            if let cap = softcap { Ops.softcap(&out, cap) }
        } else {
            try project(output, modelInput, into: &fused, pool: pool)
            if let cap = softcap { Ops.softcap(&fused, cap) }
            out.append(contentsOf: fused)
        }
    }

    // MARK: - Helpers

    /// y = W·input for every loaded row (matvec for one row, batched matmul otherwise).
    private func project(_ w: WeightMatrix, _ input: QuantizedActivations, into y: inout [Float], pool: ThreadPool) throws {
        resize(&y, input.rows * w.rows)
        if input.rows == 1 {
            try w.matvec(input, row: 0, into: &y, pool: pool)
        } else {
            try w.matmul(input, into: &y, pool: pool)
        }
    }

    /// Copies column slices of each `width`-wide row of `source` into other buffers.
    private func split(_ source: [Float], width: Int, _ parts: [(ReferenceWritableKeyPath<ForwardPass, [Float]>, Int, Int)]) {
        for (buffer, offset, count) in parts {
            // Take the buffer out of the object so writes to it do not copy it.
            var target: [Float] = []
            swap(&target, &self[keyPath: buffer])
            resize(&target, rows * count)
            for r in 0..<rows {
                for c in 0..<count { target[r * count + c] = source[r * width + offset + c] }
            }
            swap(&target, &self[keyPath: buffer])
        }
    }
}

/// Sets an array's length, keeping its capacity (no allocation once it has grown to its largest).
@inline(__always)
func resize(_ a: inout [Float], _ n: Int) {
    if a.count > n {
        a.removeLast(a.count - n)
    } else if a.count < n {
        a.append(contentsOf: repeatElement(0, count: n - a.count))
    }
}
