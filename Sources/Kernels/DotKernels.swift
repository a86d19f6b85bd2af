import GGUF
import RealModule

/// Drivers that run a dot kernel over a range of weight rows: the 32-element formats as `LaneDot`s
/// (DotKernels+Vertical.swift, Q4_0…Q5_1 four blocks at a time in DotKernels+NibbleQuads.swift), the
/// K formats as `KLaneDot`s (DotKernels+KLanes.swift), the float formats here.
enum DotKernels {
    /// Weight rows per parallel chunk are rounded to a multiple of this.
    static let rowsPerPass = 4

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
