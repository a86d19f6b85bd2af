import GGUF
import RealModule

/// A weight format's contribution to a dot product, one stored block at a time: `term` returns
/// Σ w·x over the block's elements, with w decoded from the block and x from the int8 activations.
protocol BlockDot {
    /// Stored bytes per block.
    static var blockBytes: Int { get }
    /// Σ w·x for block `b` (starting at `block`) against activation row `a`.
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float
    /// Σ w·x for the four blocks b..<b+4. Formats with small blocks override it with one loop that
    /// keeps four independent integer sums: measured here, that doubles throughput over four
    /// separate block reductions (the horizontal sums and scalar tails overlap).
    static func term4(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float
    /// Whether to run four rows per pass over each activation block. True for the 32-element
    /// formats; the K formats' per-block code is large enough that four interleaved rows spill and
    /// run slower than one row at a time (the 256-value activation block stays in L1 either way).
    static var sharesActivations: Bool { get }
}

extension BlockDot {
    static var sharesActivations: Bool { blockBytes < 64 }

    @inline(__always)
    static func term4(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        Relaxed.sum(Relaxed.sum(term(block, a, b), term(block + blockBytes, a, b + 1)),
                    Relaxed.sum(term(block + 2 * blockBytes, a, b + 2), term(block + 3 * blockBytes, a, b + 3)))
    }
}

/// Drivers that run a `BlockDot` over several weight rows at once.
enum DotKernels {
    /// Rows handled per pass: their blocks share each activation block while it is in registers.
    static let rowsPerPass = 4

    /// `out[r] = Σ_b term(row r, block b)` for `n` rows starting at `w`, `stride` bytes apart.
    /// Kept out of line: one specialised function per format (inlining all of them into the callers'
    /// type switch left some unspecialised and many times slower).
    @inline(never)
    static func dotRows<K: BlockDot>(_: K.Type, _ w: UnsafeRawPointer, stride: Int, rows n: Int,
                                     blocks: Int, _ a: ActivationRow, _ out: UnsafeMutablePointer<Float>) {
        var r = 0
        while K.sharesActivations, r + 4 <= n {
            let w0 = w + r * stride, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride
            var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
            var b = 0
            while b + 4 <= blocks {
                let o = b * K.blockBytes
                s0 = Relaxed.sum(s0, K.term4(w0 + o, a, b))
                s1 = Relaxed.sum(s1, K.term4(w1 + o, a, b))
                s2 = Relaxed.sum(s2, K.term4(w2 + o, a, b))
                s3 = Relaxed.sum(s3, K.term4(w3 + o, a, b))
                b += 4
            }
            while b < blocks {
                let o = b * K.blockBytes
                s0 = Relaxed.sum(s0, K.term(w0 + o, a, b))
                s1 = Relaxed.sum(s1, K.term(w1 + o, a, b))
                s2 = Relaxed.sum(s2, K.term(w2 + o, a, b))
                s3 = Relaxed.sum(s3, K.term(w3 + o, a, b))
                b += 1
            }
            out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3
            r += 4
        }
        while r < n {
            let w0 = w + r * stride
            var s0: Float = 0
            var b = 0
            while b + 4 <= blocks {
                s0 = Relaxed.sum(s0, K.term4(w0 + b * K.blockBytes, a, b))
                b += 4
            }
            while b < blocks {
                s0 = Relaxed.sum(s0, K.term(w0 + b * K.blockBytes, a, b))
                b += 1
            }
            out[r] = s0
            r += 1
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
