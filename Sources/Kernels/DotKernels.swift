import GGUF
import RealModule

/// A weight format's contribution to a dot product, one stored block at a time: `term` returns
/// Σ w·x over the block's elements, with w decoded from the block and x from the int8 activations.
protocol BlockDot {
    /// Stored bytes per block.
    static var blockBytes: Int { get }
    /// Σ w·x for block `b` (starting at `block`) against activation row `a`.
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float
}

/// Drivers that run a `BlockDot` over several weight rows at once.
enum DotKernels {
    /// Rows handled per pass: their blocks share each activation block while it is in registers.
    static let rowsPerPass = 4

    /// `out[r] = Σ_b term(row r, block b)` for `n` rows starting at `w`, `stride` bytes apart.
    @inline(__always)
    static func dotRows<K: BlockDot>(_: K.Type, _ w: UnsafeRawPointer, stride: Int, rows n: Int,
                                     blocks: Int, _ a: ActivationRow, _ out: UnsafeMutablePointer<Float>) {
        var r = 0
        while r + 4 <= n {
            let w0 = w + r * stride, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride
            var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
            for b in 0..<blocks {
                let o = b * K.blockBytes
                s0 = Relaxed.sum(s0, K.term(w0 + o, a, b))
                s1 = Relaxed.sum(s1, K.term(w1 + o, a, b))
                s2 = Relaxed.sum(s2, K.term(w2 + o, a, b))
                s3 = Relaxed.sum(s3, K.term(w3 + o, a, b))
            }
            out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3
            r += 4
        }
        while r < n {
            let w0 = w + r * stride
            var s0: Float = 0
            for b in 0..<blocks { s0 = Relaxed.sum(s0, K.term(w0 + b * K.blockBytes, a, b)) }
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
