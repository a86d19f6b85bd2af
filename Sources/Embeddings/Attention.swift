import Foundation
import Kernels

/// Multi-head self-attention over packed sequences: for each sequence and head,
/// softmax(q·kᵀ/√headDim)·v, each token attending to every token of its own sequence.
///
/// The loops are arranged so the inner one never reduces: scores are built as Σ_d q[d]·kᵀ[d][·] over a
/// transposed key block, and the output as Σ_j p[j]·v[j][·], so both vectorize without reassociating
/// a sum.
struct Attention {
    let heads: Int
    let headDim: Int
    let hidden: Int

    /// Floats of scratch `run` needs for `rows` packed rows: transposed keys (rows × hidden) and one
    /// score row per sequence and head (≤ rows × hidden).
    static func scratchCount(rows: Int, hidden: Int) -> Int { 2 * rows * hidden }

    /// - Parameters:
    ///   - qkv: `tokens × 3·hidden`: query, key and value of each token, heads side by side within each.
    ///   - starts, lengths: each sequence's first packed row and token count.
    ///   - context: `tokens × hidden` output, heads side by side.
    ///   - scratch: `scratchCount` floats.
    func run(qkv: UnsafePointer<Float>, starts: [Int], lengths: [Int], into context: UnsafeMutablePointer<Float>,
             scratch: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let rows = starts.last.map { $0 + lengths[lengths.count - 1] } ?? 0
        let stride = 3 * hidden
        let scale = 1 / Float(headDim).squareRoot()
        pool.parallelFor(starts.count * heads, chunk: 1) { items in
            for item in items {
                let s = item / heads, head = item % heads
                let start = starts[s], length = lengths[s]
                let keysT = scratch + start * hidden + head * headDim * length  // headDim × length
                let scores = scratch + rows * hidden + start * heads + head * length  // length
                let q0 = qkv + start * stride + head * headDim
                let k0 = q0 + hidden, v0 = q0 + 2 * hidden
                for j in 0..<length {
                    for d in 0..<headDim { keysT[d * length + j] = k0[j * stride + d] }
                }
                for i in 0..<length {
                    let q = q0 + i * stride
                    for j in 0..<length { scores[j] = 0 }
                    for d in 0..<headDim {
                        let qd = q[d] * scale
                        let row = keysT + d * length
                        for j in 0..<length { scores[j] += qd * row[j] }
                    }
                    var maximum = -Float.infinity
                    for j in 0..<length { maximum = max(maximum, scores[j]) }
                    var total: Float = 0
                    for j in 0..<length {
                        let e = Foundation.exp(scores[j] - maximum)
                        scores[j] = e
                        total += e
                    }
                    let out = context + (start + i) * hidden + head * headDim
                    for d in 0..<headDim { out[d] = 0 }
                    for j in 0..<length {
                        let p = scores[j], v = v0 + j * stride
                        for d in 0..<headDim { out[d] += p * v[d] }
                    }
                    let inverse = 1 / total
                    for d in 0..<headDim { out[d] *= inverse }
                }
            }
        }
    }
}

/// Reductions and activations over contiguous floats. Sums keep 16 independent partial sums (a fixed
/// order, so results are deterministic) that the compiler keeps in one vector register.
enum Vector {
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= n {
            acc += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var s = acc.sum()
        while i < n { s += x[i]; i += 1 }
        return s
    }

    static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i + 16 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            acc = acc.addingProduct(v, v)
            i += 16
        }
        var s = acc.sum()
        while i < n { s += x[i] * x[i]; i += 1 }
        return s
    }

    /// Exact GELU, x·½(1 + erf(x/√2)), in place.
    static func gelu(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        let invSqrt2: Float = 0.70710678118654752
        for i in 0..<n { x[i] = 0.5 * x[i] * (1 + erf(x[i] * invSqrt2)) }
    }

    /// erf as a rational function z·P(z²)/Q(z²) on [−4, 4] (beyond it erf is ±1 in f32). The
    /// coefficients were fitted for this function by weighted least squares against erf; the f32 result
    /// is within 4e-7 of erf everywhere. Unlike libm's erff it has no branches or calls, so the GELU
    /// loop vectorizes (libm's erff took ~15% of a batch).
    @inline(__always)
    static func erf(_ x: Float) -> Float {
        let z = x < -4 ? -4 : (x > 4 ? 4 : x)
        let t = z * z
        var p: Float = -1.3809665e-08
        p = p * t + 4.8082579e-06
        p = p * t + 3.8374942e-04
        p = p * t + 3.8431062e-03
        p = p * t + 5.4358084e-02
        p = p * t + 0.18472028
        p = p * t + 1.1283792
        var q: Float = 6.4273272e-05
        q = q * t + 1.3117345e-03
        q = q * t + 1.5464354e-02
        q = q * t + 0.11385180
        q = q * t + 0.49703765
        q = q * t + 1
        let r = z * p / q
        return r > 1 ? 1 : (r < -1 ? -1 : r)
    }

    /// GELU's tanh form, x·½(1 + tanh(√(2/π)(x + 0.044715x³))), in place.
    static func geluTanh(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        let c: Float = 0.79788456080286536
        for i in 0..<n {
            let v = x[i]
            x[i] = 0.5 * v * (1 + Foundation.tanh(c * (v + 0.044715 * v * v * v)))
        }
    }
}
