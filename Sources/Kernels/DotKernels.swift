import GGUF
import RealModule

/// A weight format's contribution to a dot product, one stored block at a time: `term` returns
/// Σ w·x over the block's elements, with w decoded from the block and x from the int8 activations.
/// The K formats without a lane kernel (Q2_K, Q3_K) use it; the 32-element formats run as
/// `LaneDot`s (DotKernels+Vertical.swift), Q4_K, Q5_K and Q6_K as `KLaneDot`s (DotKernels+KLanes.swift).
protocol BlockDot {
    /// Stored bytes per block.
    static var blockBytes: Int { get }
    /// Σ w·x for block `b` (starting at `block`) against activation row `a`.
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float
}

/// Drivers that run a dot kernel over a range of weight rows.
enum DotKernels {
    /// Weight rows per parallel chunk are rounded to a multiple of this.
    static let rowsPerPass = 4

    /// `out[r] = Σ_b term(row r, block b)` for `n` rows starting at `w`, `stride` bytes apart, one row
    /// at a time (the K formats' per-block code is large enough that interleaved rows spill; the
    /// 256-value activation block stays in L1 either way), four blocks per step in four sums.
    /// Kept out of line: one specialised function per format (inlining all of them into the callers'
    /// type switch left some unspecialised and many times slower).
    @inline(never)
    static func dotRows<K: BlockDot>(_: K.Type, _ w: UnsafeRawPointer, stride: Int, rows n: Int,
                                     blocks: Int, _ a: ActivationRow, _ out: UnsafeMutablePointer<Float>) {
        for r in 0..<n {
            let row = w + r * stride
            var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
            var b = 0
            while b + 4 <= blocks {
                let o = b * K.blockBytes
                s0 = Relaxed.sum(s0, K.term(row + o, a, b))
                s1 = Relaxed.sum(s1, K.term(row + o + K.blockBytes, a, b + 1))
                s2 = Relaxed.sum(s2, K.term(row + o + 2 * K.blockBytes, a, b + 2))
                s3 = Relaxed.sum(s3, K.term(row + o + 3 * K.blockBytes, a, b + 3))
                b += 4
            }
            while b < blocks {
                s0 = Relaxed.sum(s0, K.term(row + b * K.blockBytes, a, b))
                b += 1
            }
            out[r] = Relaxed.sum(Relaxed.sum(s0, s1), Relaxed.sum(s2, s3))
        }
    }

    /// Dot of f32/f16/bf16 rows with the f32 activations: `out[r] = Σ_i w[r][i]·x[i]`.
    static func floatRows(_ type: GGMLType, _ w: UnsafeRawPointer, stride: Int, rows n: Int, cols: Int,
                          _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        for r in 0..<n {
            let row = w + r * stride
            var s: Float = 0
            switch type {
            case .f16:
                let p = row.assumingMemoryBound(to: UInt16.self)
                for i in 0..<cols { s = Relaxed.multiplyAdd(halfToFloat(p[i]), x[i], s) }
            case .bf16:
                let p = row.assumingMemoryBound(to: UInt16.self)
                for i in 0..<cols { s = Relaxed.multiplyAdd(bf16ToFloat(p[i]), x[i], s) }
            default:
                let p = row.assumingMemoryBound(to: Float.self)
                for i in 0..<cols { s = Relaxed.multiplyAdd(p[i], x[i], s) }
            }
            out[r] = s
        }
    }
}
