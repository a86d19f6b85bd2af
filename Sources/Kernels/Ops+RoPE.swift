import RealModule

/// How RoPE pairs the dimensions of a head it rotates.
public enum RoPEStyle: Sendable {
    /// Adjacent pairs (2i, 2i+1): llama, ggml's `rope` mode 0.
    case normal
    /// Halves (i, i + d/2): GPT-NeoX, Qwen2, Gemma; ggml's NEOX mode.
    case neox
}

extension Ops {
    /// Rotary position embedding in place over `x` holding `heads` heads of `headDim` values each.
    ///
    /// Pair i (0 ≤ i < ropeDim/2) of every head turns by angle `position · freqScale · base^(−2i/ropeDim)`;
    /// dimensions at and past `ropeDim` are left as they are (partial rotary).
    /// - Parameters: ropeDim: rotated dimensions per head (even, ≤ headDim; default headDim).
    public static func rope(_ x: inout [Float], heads: Int, headDim: Int, position: Int, base: Float,
                            style: RoPEStyle, ropeDim: Int? = nil, freqScale: Float = 1) throws {
        let dims = ropeDim ?? headDim
        guard headDim > 0, dims > 0, dims % 2 == 0, dims <= headDim else {
            throw KernelError.invalidDimension(name: "ropeDim", value: dims)
        }
        guard heads >= 0, x.count == heads * headDim else {
            throw KernelError.shapeMismatch(operation: "rope", expected: heads * headDim, actual: x.count)
        }
        let half = dims / 2
        let p = Float(position) * freqScale
        x.withUnsafeMutableBufferPointer { xp in
            guard let xb = xp.baseAddress else { return }
            for i in 0..<half {
                let theta = p * Float.pow(base, -2 * Float(i) / Float(dims))
                let c = Float.cos(theta), s = Float.sin(theta)
                let (a, b) = style == .normal ? (2 * i, 2 * i + 1) : (i, i + half)
                for h in 0..<heads {
                    let v = xb + h * headDim
                    let x0 = v[a], x1 = v[b]
                    v[a] = x0 * c - x1 * s
                    v[b] = x0 * s + x1 * c
                }
            }
        }
    }
}
