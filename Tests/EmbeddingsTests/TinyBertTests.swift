import Foundation
import Testing
@testable import Embeddings

/// A tiny random BERT written as a sentence-transformers folder (f16 weights with HF's `bert.` prefix,
/// vocab.txt only, cls + max pooling, no Normalize), run by `SentenceEmbedder` and by a direct
/// double-precision forward pass written from the architecture.
@Suite struct TinyBertTests {
    static let hidden = 8, heads = 2, layers = 2, intermediate = 12, positions = 16
    static let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "the", "sea", "##s", ",", "!"]

    /// Tensor name → (shape, values), deterministic.
    static func weights() -> [(String, [Int], [Float])] {
        var random = TestRandom(state: 2024)
        var list: [(String, [Int], [Float])] = []
        func add(_ name: String, _ shape: [Int], scale: Float = 0.5, offset: Float = 0) {
            list.append(("bert." + name, shape, random.floats(shape.reduce(1, *)).map { $0 * scale + offset }))
        }
        add("embeddings.word_embeddings.weight", [vocab.count, hidden])
        add("embeddings.position_embeddings.weight", [positions, hidden])
        add("embeddings.token_type_embeddings.weight", [2, hidden])
        add("embeddings.LayerNorm.weight", [hidden], scale: 0.2, offset: 1)
        add("embeddings.LayerNorm.bias", [hidden], scale: 0.1)
        for l in 0..<layers {
            let p = "encoder.layer.\(l)."
            for part in ["query", "key", "value"] {
                add(p + "attention.self.\(part).weight", [hidden, hidden])
                add(p + "attention.self.\(part).bias", [hidden], scale: 0.1)
            }
            add(p + "attention.output.dense.weight", [hidden, hidden])
            add(p + "attention.output.dense.bias", [hidden], scale: 0.1)
            add(p + "attention.output.LayerNorm.weight", [hidden], scale: 0.2, offset: 1)
            add(p + "attention.output.LayerNorm.bias", [hidden], scale: 0.1)
            add(p + "intermediate.dense.weight", [intermediate, hidden])
            add(p + "intermediate.dense.bias", [intermediate], scale: 0.1)
            add(p + "output.dense.weight", [hidden, intermediate])
            add(p + "output.dense.bias", [hidden], scale: 0.1)
            add(p + "output.LayerNorm.weight", [hidden], scale: 0.2, offset: 1)
            add(p + "output.LayerNorm.bias", [hidden], scale: 0.1)
        }
        // Rounded to f16, the dtype the file stores, so both sides see the same values.
        return list.map { ($0.0, $0.1, $0.2.map { Float(Float16($0)) }) }
    }

    static func writeModel() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-bert-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: folder.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        var header: [String] = []
        var data: [UInt8] = []
        for (name, shape, values) in weights() {
            let bytes = values.flatMap { withUnsafeBytes(of: Float16($0).bitPattern.littleEndian, Array.init) }
            header.append(#""\#(name)":{"dtype":"F16","shape":\#(shape),"data_offsets":[\#(data.count),\#(data.count + bytes.count)]}"#)
            data += bytes
        }
        try Data(safetensorsBytes(header: "{" + header.joined(separator: ",") + "}", data: data))
            .write(to: folder.appendingPathComponent("model.safetensors"))
        let config = #"{"model_type":"bert","vocab_size":\#(vocab.count),"hidden_size":\#(hidden),"num_hidden_layers":\#(layers),"#
            + #""num_attention_heads":\#(heads),"intermediate_size":\#(intermediate),"max_position_embeddings":\#(positions),"#
            + #""type_vocab_size":2,"layer_norm_eps":1e-5,"hidden_act":"gelu"}"#
        try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
        try Data((vocab.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        try Data(#"{"do_lower_case": true}"#.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        try Data(#"[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},{"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]"#.utf8)
            .write(to: folder.appendingPathComponent("modules.json"))
        try Data(#"{"word_embedding_dimension":8,"pooling_mode_cls_token":true,"pooling_mode_max_tokens":true,"pooling_mode_mean_tokens":false}"#.utf8)
            .write(to: folder.appendingPathComponent("1_Pooling/config.json"))
        try Data(#"{"max_seq_length":10}"#.utf8).write(to: folder.appendingPathComponent("sentence_bert_config.json"))
        return folder
    }

    /// The encoder written directly from the architecture, in doubles, one sequence at a time.
    static func reference(_ ids: [Int32]) -> [Double] {
        var w: [String: [Double]] = [:]
        for (name, _, values) in weights() { w[String(name.dropFirst(5))] = values.map(Double.init) }
        let n = ids.count, h = hidden, d = hidden / heads
        func layerNorm(_ x: [Double], _ name: String) -> [Double] {
            let scale: [Double] = w[name + ".weight"]!, shift: [Double] = w[name + ".bias"]!
            let mean: Double = x.reduce(0, +) / Double(x.count)
            var variance: Double = 0
            for v in x { variance += (v - mean) * (v - mean) }
            variance /= Double(x.count)
            var out: [Double] = []
            for i in x.indices { out.append((x[i] - mean) / (variance + 1e-5).squareRoot() * scale[i] + shift[i]) }
            return out
        }
        func linear(_ x: [Double], _ name: String, out: Int) -> [Double] {
            let weight: [Double] = w[name + ".weight"]!, bias: [Double] = w[name + ".bias"]!
            var y: [Double] = []
            for o in 0..<out {
                var s: Double = bias[o]
                for i in x.indices { s += x[i] * weight[o * x.count + i] }
                y.append(s)
            }
            return y
        }
        let word: [Double] = w["embeddings.word_embeddings.weight"]!
        let position: [Double] = w["embeddings.position_embeddings.weight"]!
        let type: [Double] = w["embeddings.token_type_embeddings.weight"]!
        var states: [[Double]] = []
        for t in 0..<n {
            var summed: [Double] = []
            for i in 0..<h { summed.append(word[Int(ids[t]) * h + i] + position[t * h + i] + type[i]) }
            states.append(layerNorm(summed, "embeddings.LayerNorm"))
        }
        for l in 0..<layers {
            let p = "encoder.layer.\(l)."
            let q = states.map { linear($0, p + "attention.self.query", out: h) }
            let k = states.map { linear($0, p + "attention.self.key", out: h) }
            let v = states.map { linear($0, p + "attention.self.value", out: h) }
            var context = [[Double]](repeating: [Double](repeating: 0, count: h), count: n)
            for head in 0..<heads {
                for i in 0..<n {
                    var e: [Double] = []
                    for j in 0..<n {
                        var s: Double = 0
                        for c in 0..<d { s += q[i][head * d + c] * k[j][head * d + c] }
                        e.append(s / Double(d).squareRoot())
                    }
                    let top: Double = e.max()!
                    e = e.map { Foundation.exp($0 - top) }
                    let total: Double = e.reduce(0, +)
                    for c in 0..<d {
                        var s: Double = 0
                        for j in 0..<n { s += e[j] * v[j][head * d + c] }
                        context[i][head * d + c] = s / total
                    }
                }
            }
            var next: [[Double]] = []
            for t in 0..<n {
                let attended = linear(context[t], p + "attention.output.dense", out: h)
                let x = layerNorm(zip(attended, states[t]).map { $0 + $1 }, p + "attention.output.LayerNorm")
                var up = linear(x, p + "intermediate.dense", out: intermediate)
                for i in up.indices { up[i] = up[i] * 0.5 * (1 + Foundation.erf(up[i] / 2.0.squareRoot())) }
                let down = linear(up, p + "output.dense", out: h)
                next.append(layerNorm(zip(down, x).map { $0 + $1 }, p + "output.LayerNorm"))
            }
            states = next
        }
        // cls then max, not normalized.
        var pooled: [Double] = states[0]
        for i in 0..<h { pooled.append(states.map { $0[i] }.max()!) }
        return pooled
    }

    @Test func matchesDirectForwardPass() throws {
        let folder = try Self.writeModel()
        defer { try? FileManager.default.removeItem(at: folder) }
        let embedder = try SentenceEmbedder(folder: folder.path, threads: 2)
        #expect(embedder.dimensions == 16)
        #expect(!embedder.normalizes)
        #expect(embedder.pooling == Pooling(cls: true, mean: false, max: true))
        #expect(embedder.maxSequenceLength == 10)
        // "Hello, seas!" → [CLS] hello , sea ##s ! [SEP]; the long one is truncated to 10 tokens.
        let texts = ["Hello, seas!", "the", String(repeating: "world ", count: 20)]
        #expect(embedder.tokenize(texts[0]) == [2, 5, 10, 8, 9, 11, 3])
        let result = try embedder.embed(texts: texts)
        #expect(result.tokenCounts == [7, 3, 10])
        for (text, vector) in zip(texts, result.vectors) {
            let expected = Self.reference(embedder.tokenize(text))
            let worst = zip(vector, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(worst < 1e-4, "max error \(worst) for \(text)")
        }
    }
}
