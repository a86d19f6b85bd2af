import Foundation
import Kernels
import Testing
@testable import Embeddings

/// A fixed pseudo-random sequence in [-1, 1) so failures reproduce.
struct TestRandom {
    var state: UInt64
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 23) - 1
    }
    mutating func floats(_ n: Int) -> [Float] { (0..<n).map { _ in next() } }
}

@Suite struct KernelTests {
    static let pool = try! ThreadPool(threadCount: 2)

    /// The GEMM against a plain triple loop, with outputs that are and are not multiples of the panel
    /// width and row counts over several tiles.
    @Test(arguments: [(6, 8, 32), (12, 40, 50), (54, 384, 96), (102, 96, 1152), (6, 1, 3)])
    func packedLinearMatchesReference(rows: Int, inFeatures: Int, outFeatures: Int) {
        var random = TestRandom(state: UInt64(rows * 1000 + outFeatures))
        let w = random.floats(outFeatures * inFeatures), b = random.floats(outFeatures), x = random.floats(rows * inFeatures)
        let layer = PackedLinear(weight: w, bias: b, outFeatures: outFeatures, inFeatures: inFeatures)
        var y = [Float](repeating: .nan, count: rows * outFeatures)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in layer.apply(xs.baseAddress!, rows: rows, into: ys.baseAddress!, pool: Self.pool) }
        }
        var worst: Float = 0
        for r in 0..<rows {
            for o in 0..<outFeatures {
                var s = Double(b[o])
                for k in 0..<inFeatures { s += Double(x[r * inFeatures + k]) * Double(w[o * inFeatures + k]) }
                worst = max(worst, abs(Float(s) - y[r * outFeatures + o]))
            }
        }
        #expect(worst < 1e-4 * Float(inFeatures).squareRoot(), "max error \(worst)")
    }

    /// Packed attention against a direct softmax(q·kᵀ/√d)·v per sequence and head.
    @Test func attentionMatchesReference() {
        let heads = 3, headDim = 8, hidden = 24
        let lengths = [1, 5, 17, 2]
        let rows = lengths.reduce(0, +)
        var starts: [Int] = []
        var position = 0
        for l in lengths { starts.append(position); position += l }
        var random = TestRandom(state: 42)
        let qkv = random.floats(rows * 3 * hidden).map { $0 * 3 }
        var context = [Float](repeating: .nan, count: rows * hidden)
        var scratch = [Float](repeating: .nan, count: Attention.scratchCount(rows: rows, hidden: hidden))
        let attention = Attention(heads: heads, headDim: headDim, hidden: hidden)
        qkv.withUnsafeBufferPointer { q in
            context.withUnsafeMutableBufferPointer { c in
                scratch.withUnsafeMutableBufferPointer { s in
                    attention.run(qkv: q.baseAddress!, starts: starts, lengths: lengths, into: c.baseAddress!,
                                  scratch: s.baseAddress!, pool: Self.pool)
                }
            }
        }
        var worst: Double = 0
        for (start, length) in zip(starts, lengths) {
            for head in 0..<heads {
                for i in 0..<length {
                    func at(_ t: Int, _ part: Int, _ d: Int) -> Double {
                        Double(qkv[(start + t) * 3 * hidden + part * hidden + head * headDim + d])
                    }
                    let scores = (0..<length).map { j in
                        (0..<headDim).reduce(0.0) { $0 + at(i, 0, $1) * at(j, 1, $1) } / Double(headDim).squareRoot()
                    }
                    let top = scores.max()!
                    let weights = scores.map { Foundation.exp($0 - top) }
                    let total = weights.reduce(0, +)
                    for d in 0..<headDim {
                        let expected = (0..<length).reduce(0.0) { $0 + weights[$1] * at($1, 2, d) } / total
                        worst = max(worst, abs(expected - Double(context[(start + i) * hidden + head * headDim + d])))
                    }
                }
            }
        }
        #expect(worst < 1e-5, "max error \(worst)")
    }

    @Test func geluIsExactErfGELU() {
        var values: [Float] = stride(from: -8, through: 8, by: 0.125).map { Float($0) }
        let expected = values.map { x in Double(x) * 0.5 * (1 + Foundation.erf(Double(x) / 2.0.squareRoot())) }
        values.withUnsafeMutableBufferPointer { Vector.gelu($0.baseAddress!, $0.count) }
        for (got, want) in zip(values, expected) { #expect(abs(Double(got) - want) < 1e-6 * max(1, abs(want))) }
    }

    @Test func reductions() {
        var random = TestRandom(state: 7)
        for n in [1, 15, 16, 17, 384, 1000] {
            let x = random.floats(n)
            let sum = x.withUnsafeBufferPointer { Vector.sum($0.baseAddress!, n) }
            let squares = x.withUnsafeBufferPointer { Vector.sumOfSquares($0.baseAddress!, n) }
            #expect(abs(Double(sum) - x.reduce(0.0) { $0 + Double($1) }) < 1e-4)
            #expect(abs(Double(squares) - x.reduce(0.0) { $0 + Double($1) * Double($1) }) < 1e-4)
        }
    }

    @Test func poolingModes() {
        // Two tokens × three features.
        let states: [Float] = [1, -2, 3,
                               3, 4, -5]
        let all = Pooling(cls: true, mean: true, max: true, meanSqrtLength: true)
        let pooled = states.withUnsafeBufferPointer { all.pool($0.baseAddress!, tokens: 2, hidden: 3) }
        let root2 = Float(2).squareRoot()
        #expect(all.modeCount == 4)
        #expect(Array(pooled[0..<3]) == [1, -2, 3])
        #expect(Array(pooled[3..<6]) == [3, 4, 3])
        #expect(Array(pooled[6..<9]) == [2, 1, -1])
        #expect(zip(Array(pooled[9..<12]), [4 / root2, 2 / root2, -2 / root2]).allSatisfy { abs($0 - $1) < 1e-6 })
        var v: [Float] = [3, 4]
        Pooling.normalize(&v)
        #expect(v == [0.6, 0.8])
        var zero: [Float] = [0, 0]
        Pooling.normalize(&zero)
        #expect(zero == [0, 0])
    }
}

@Suite struct ErfTests {
    @Test func erfApproximationMatchesLibm() {
        var worst: Double = 0
        for i in -80_000...80_000 {
            let x = Float(i) / 10_000
            worst = max(worst, abs(Double(Vector.erf(x)) - Foundation.erf(Double(x))))
        }
        #expect(worst < 6e-7, "max error \(worst)")
    }
}
