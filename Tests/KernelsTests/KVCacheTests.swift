import Foundation
import Testing
@testable import Kernels

/// Attention over the cache against a two-pass softmax reference in Double.
@Suite struct KVCacheTests {
    /// out[r,h] = Σ_j softmax(scale·q·k_j) v_j over visible positions, from plain arrays.
    static func reference(q: [Float], keys: [Float], values: [Float], rows: Int, position: Int, shape s: AttentionShape) -> [Double] {
        var out = [Double](repeating: 0, count: rows * s.heads * s.valueDim)
        for r in 0..<rows {
            let p = position + r
            let first = s.window.map { max(0, p - $0 + 1) } ?? 0
            for h in 0..<s.heads {
                let kv = h / (s.heads / s.kvHeads)
                let scores = (first...p).map { j -> Double in
                    var dot = 0.0
                    for d in 0..<s.headDim {
                        dot += Double(q[(r * s.heads + h) * s.headDim + d]) * Double(keys[(j * s.kvHeads + kv) * s.headDim + d])
                    }
                    return dot * Double(s.scale)
                }
                let top = scores.max()!
                let weights = scores.map { Foundation.exp($0 - top) }
                let total = weights.reduce(0, +)
                for (w, j) in zip(weights, first...p) {
                    for d in 0..<s.valueDim {
                        out[(r * s.heads + h) * s.valueDim + d] += w / total * Double(values[(j * s.kvHeads + kv) * s.valueDim + d])
                    }
                }
            }
        }
        return out
    }

    @Test(arguments: [(KVCacheType.f32, 1e-5), (.f16, 2e-3)], [nil, 3] as [Int?])
    func attentionMatchesReference(_ config: (KVCacheType, Double), window: Int?) throws {
        let (type, tolerance) = config
        let shape = AttentionShape(heads: 4, kvHeads: 2, headDim: 8, valueDim: 6, scale: 0.35, window: window)
        let positions = 9, layers = 2
        let cache = try KVCache(type: type, layers: layers, capacity: 16, keyWidth: 2 * 8, valueWidth: 2 * 6)
        let keys = TestData.gaussian(positions * 16, seed: 11), values = TestData.gaussian(positions * 12, seed: 12)
        // Fill layer 1 in two chunks (5 then 4 positions); layer 0 holds other data that must not leak in.
        try cache.store(layer: 0, position: 0, rows: positions, keys: TestData.gaussian(positions * 16, seed: 13),
                        values: TestData.gaussian(positions * 12, seed: 14))
        try cache.store(layer: 1, position: 0, rows: 5, keys: Array(keys[0..<80]), values: Array(values[0..<60]))
        try cache.store(layer: 1, position: 5, rows: 4, keys: Array(keys[80...]), values: Array(values[60...]))
        let q = TestData.gaussian(4 * 4 * 8, seed: 15)
        var out = [Float](repeating: .nan, count: 4 * 4 * 6)
        let pool = try ThreadPool(threadCount: 2)
        try cache.attend(layer: 1, position: 5, rows: 4, queries: q, shape: shape, into: &out, pool: pool)
        let want = Self.reference(q: q, keys: keys, values: values, rows: 4, position: 5, shape: shape)
        let worst = zip(out, want).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(worst <= tolerance, "max error \(worst)")
        #expect(cache.byteCount == layers * 16 * (16 + 12) * (type == .f16 ? 2 : 4))
    }

    @Test func badCallsThrowInsteadOfTrapping() throws {
        #expect(throws: KernelError.invalidDimension(name: "capacity", value: 0)) {
            try KVCache(type: .f16, layers: 1, capacity: 0, keyWidth: 8, valueWidth: 8)
        }
        #expect(throws: KernelError.self) { try KVCache(type: .f32, layers: 1 << 20, capacity: 1 << 20, keyWidth: 1 << 20, valueWidth: 8) }
        let cache = try KVCache(type: .f32, layers: 1, capacity: 4, keyWidth: 8, valueWidth: 8)
        let row = [Float](repeating: 1, count: 8)
        #expect(throws: KernelError.self) { try cache.store(layer: 0, position: 4, rows: 1, keys: row, values: row) }
        #expect(throws: KernelError.self) { try cache.store(layer: 1, position: 0, rows: 1, keys: row, values: row) }
        #expect(throws: KernelError.self) { try cache.store(layer: 0, position: 0, rows: 2, keys: row, values: row) }
        var out = [Float](repeating: 0, count: 8)
        let pool = try ThreadPool(threadCount: 1)
        let bad = AttentionShape(heads: 3, kvHeads: 2, headDim: 4, valueDim: 4, scale: 1)
        #expect(throws: KernelError.self) { try cache.attend(layer: 0, position: 0, rows: 1, queries: row, shape: bad, into: &out, pool: pool) }
        let zeroWindow = AttentionShape(heads: 2, kvHeads: 2, headDim: 4, valueDim: 4, scale: 1, window: 0)
        #expect(throws: KernelError.self) {
            try cache.attend(layer: 0, position: 0, rows: 1, queries: row, shape: zeroWindow, into: &out, pool: pool)
        }
    }
}
