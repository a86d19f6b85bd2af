import Foundation
import Kernels

/// A BERT encoder (HF `BertModel`) over f32 weights from a safetensors file.
///
/// Forward pass: word + position + token-type embeddings → LayerNorm → N × [self-attention (fused
/// q,k,v projection, softmax(q·kᵀ/√d)·v, output projection) + residual → LayerNorm → FFN (GELU) +
/// residual → LayerNorm]. A batch is run packed: the sequences' tokens are concatenated with no
/// padding, projections run over all of them at once, and attention stays within each sequence, which
/// is what an attention mask over a padded batch computes.
final class BertModel: @unchecked Sendable {
    let config: BertConfig

    struct Layer {
        let qkv: PackedLinear        // (3·hidden × hidden): query, key, value stacked
        let attentionOut: PackedLinear  // (hidden × hidden)
        let attentionNorm: Norm
        let up: PackedLinear         // (intermediate × hidden)
        let down: PackedLinear       // (hidden × intermediate)
        let outputNorm: Norm
    }

    /// LayerNorm's scale and shift (hidden values each).
    struct Norm {
        let weight: [Float]
        let bias: [Float]
    }

    let wordEmbeddings: [Float]      // (vocabularySize × hidden)
    let positionEmbeddings: [Float]  // (maxPositions × hidden)
    let tokenTypeEmbeddings: [Float] // (typeVocabularySize × hidden)
    let embeddingNorm: Norm
    let layers: [Layer]

    /// Loads the weights HF names `[bert.]embeddings.*` and `[bert.]encoder.layer.N.*`.
    /// - Throws: `EmbeddingsError` for a missing tensor, a shape that disagrees with `config`, or a
    ///   non-float dtype.
    convenience init(config: BertConfig, weights file: SafeTensorsFile) throws {
        let prefix = file.tensors["embeddings.word_embeddings.weight"] == nil
            && file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        try self.init(config: config) { name, shape in try file.floats(prefix + name, shape: shape) }
    }

    /// Loads the weights from `tensor`, which gives each by its Hugging Face name and shape.
    init(config: BertConfig, tensor: (_ name: String, _ shape: [Int]) throws -> [Float]) throws {
        self.config = config
        let h = config.hiddenSize, inter = config.intermediateSize
        func norm(_ name: String) throws -> Norm {
            Norm(weight: try tensor(name + ".weight", [h]), bias: try tensor(name + ".bias", [h]))
        }
        func linear(_ name: String, out: Int, in inFeatures: Int) throws -> PackedLinear {
            PackedLinear(weight: try tensor(name + ".weight", [out, inFeatures]), bias: try tensor(name + ".bias", [out]),
                         outFeatures: out, inFeatures: inFeatures)
        }
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [config.vocabularySize, h])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [config.maxPositions, h])
        tokenTypeEmbeddings = try tensor("embeddings.token_type_embeddings.weight", [config.typeVocabularySize, h])
        embeddingNorm = try norm("embeddings.LayerNorm")
        layers = try (0..<config.layerCount).map { i in
            let p = "encoder.layer.\(i)."
            let a = p + "attention.self."
            var qkvWeight: [Float] = [], qkvBias: [Float] = []
            for part in ["query", "key", "value"] {
                qkvWeight += try tensor(a + part + ".weight", [h, h])
                qkvBias += try tensor(a + part + ".bias", [h])
            }
            return Layer(qkv: PackedLinear(weight: qkvWeight, bias: qkvBias, outFeatures: 3 * h, inFeatures: h),
                         attentionOut: try linear(p + "attention.output.dense", out: h, in: h),
                         attentionNorm: try norm(p + "attention.output.LayerNorm"),
                         up: try linear(p + "intermediate.dense", out: inter, in: h),
                         down: try linear(p + "output.dense", out: h, in: inter),
                         outputNorm: try norm(p + "output.LayerNorm"))
        }
    }

    /// The final hidden states of a batch.
    /// - Parameters:
    ///   - sequences: token ids per sequence, each non-empty, ≤ `maxPositions` long, ids in the vocabulary
    ///     (checked by the caller); token type 0 throughout, as sentence-transformers uses for one text.
    ///   - body: called with the hidden states (`totalTokens × hidden`, sequences one after another)
    ///     while the batch's buffers are alive.
    func forward<R>(_ sequences: [[Int32]], pool: ThreadPool, _ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        let h = config.hiddenSize
        let tokens = sequences.reduce(0) { $0 + $1.count }
        // Projections run over blocks of rows; the extra rows are zeros that nothing reads.
        let block = PackedLinear.rowsPerBlock
        let rows = (tokens + block - 1) / block * block
        var starts: [Int] = []
        starts.reserveCapacity(sequences.count)
        var position = 0
        for s in sequences { starts.append(position); position += s.count }
        let lengths = sequences.map(\.count)

        let workspace = Workspace(rows: rows, hidden: h, intermediate: config.intermediateSize)
        let x = workspace.x.pointer
        embed(sequences, into: x)
        let attention = Attention(heads: config.headCount, headDim: config.headDim, hidden: h)
        for layer in layers {
            layer.qkv.apply(x, rows: rows, into: workspace.qkv.pointer, pool: pool)
            attention.run(qkv: workspace.qkv.pointer, starts: starts, lengths: lengths,
                          into: workspace.context.pointer, scratch: workspace.scores.pointer, pool: pool)
            layer.attentionOut.apply(workspace.context.pointer, rows: rows, into: workspace.projected.pointer, pool: pool)
            addNorm(workspace.projected.pointer, into: x, rows: rows, layer.attentionNorm, pool: pool)
            layer.up.apply(x, rows: rows, into: workspace.intermediate.pointer, pool: pool)
            activate(workspace.intermediate.pointer, count: rows * config.intermediateSize, pool: pool)
            layer.down.apply(workspace.intermediate.pointer, rows: rows, into: workspace.projected.pointer, pool: pool)
            addNorm(workspace.projected.pointer, into: x, rows: rows, layer.outputNorm, pool: pool)
        }
        return try body(x)
    }

    /// x[t] = LayerNorm(word[id] + position[p] + tokenType[0]) for every token; padding rows are zero.
    private func embed(_ sequences: [[Int32]], into x: UnsafeMutablePointer<Float>) {
        let h = config.hiddenSize
        var t = 0
        wordEmbeddings.withUnsafeBufferPointer { word in
            positionEmbeddings.withUnsafeBufferPointer { pos in
                tokenTypeEmbeddings.withUnsafeBufferPointer { type in
                    for sequence in sequences {
                        for (p, id) in sequence.enumerated() {
                            let row = x + t * h, w = word.baseAddress! + Int(id) * h, q = pos.baseAddress! + p * h
                            for i in 0..<h { row[i] = w[i] + q[i] + type[i] }
                            t += 1
                        }
                    }
                }
            }
        }
        layerNorm(x, rows: t, embeddingNorm)
    }

    /// x = LayerNorm(x + delta), row by row, in parallel.
    private func addNorm(_ delta: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, rows: Int, _ norm: Norm,
                         pool: ThreadPool) {
        let h = config.hiddenSize
        pool.parallelFor(rows, chunk: 16) { range in
            let xs = x + range.lowerBound * h, ds = delta + range.lowerBound * h
            for i in 0..<(range.count * h) { xs[i] += ds[i] }
            self.layerNorm(xs, rows: range.count, norm)
        }
    }

    /// In-place LayerNorm of `rows` rows: (x − mean)/√(var + eps)·weight + bias, biased variance.
    private func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, _ norm: Norm) {
        let h = config.hiddenSize
        let eps = config.layerNormEpsilon
        norm.weight.withUnsafeBufferPointer { weight in
            norm.bias.withUnsafeBufferPointer { bias in
                for r in 0..<rows {
                    let row = x + r * h
                    let mean = Vector.sum(row, h) / Float(h)
                    for i in 0..<h { row[i] -= mean }
                    let variance = Vector.sumOfSquares(row, h) / Float(h)
                    let scale = 1 / (variance + eps).squareRoot()
                    for i in 0..<h { row[i] = row[i] * scale * weight[i] + bias[i] }
                }
            }
        }
    }

    /// The FFN activation, in place over `count` values.
    private func activate(_ x: UnsafeMutablePointer<Float>, count: Int, pool: ThreadPool) {
        let activation = config.activation
        pool.parallelFor(count, chunk: 8192) { range in
            switch activation {
            case .gelu: Vector.gelu(x + range.lowerBound, range.count)
            case .geluTanh: Vector.geluTanh(x + range.lowerBound, range.count)
            }
        }
    }
}

/// The buffers of one batch, allocated together when the batch starts and freed when it ends.
private struct Workspace {
    let x: FloatStorage             // rows × hidden: the residual stream
    let qkv: FloatStorage           // rows × 3·hidden
    let context: FloatStorage       // rows × hidden: attention output before its projection
    let projected: FloatStorage     // rows × hidden
    let intermediate: FloatStorage  // rows × intermediate
    let scores: FloatStorage        // rows × heads-worth of attention scratch, see `Attention`

    init(rows: Int, hidden: Int, intermediate: Int) {
        x = FloatStorage(count: rows * hidden)
        qkv = FloatStorage(count: rows * 3 * hidden)
        context = FloatStorage(count: rows * hidden)
        projected = FloatStorage(count: rows * hidden)
        self.intermediate = FloatStorage(count: rows * intermediate)
        scores = FloatStorage(count: Attention.scratchCount(rows: rows, hidden: hidden))
    }
}
