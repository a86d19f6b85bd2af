import RealModule

/// How RoPE pairs the dimensions of a head it rotates.
public enum RoPEStyle: Sendable {
    /// Adjacent pairs (2i, 2i+1): llama, ggml's `rope` mode 0.
    case normal
    /// Halves (i, i + d/2): GPT-NeoX, Qwen2, Gemma; ggml's NEOX mode.
    case neox
}

/// How a model stretches RoPE past its training context (GGUF `rope.scaling.type`).
public enum RoPEScaling: Sendable, Equatable {
    case none
    /// Positions divided by `factor` (ggml's freq_scale = 1/factor).
    case linear(factor: Float)
    /// YaRN: interpolates the low frequencies, extrapolates the high ones, ramping between the
    /// dimensions whose wavelengths fit `betaFast` and `betaSlow` times in the original context, and
    /// scales cos/sin by `attnFactor · (1 + 0.1·ln factor)`.
    case yarn(factor: Float, originalContext: Int, betaFast: Float, betaSlow: Float, attnFactor: Float)
}

/// Rotary position embedding for one model: the per-pair frequencies are computed once; `apply`
/// rotates a batch of rows at consecutive positions.
///
/// Angles follow ggml's `rope` (including its YaRN ramp): pair i turns by
/// `p · base^(−2i/dims) / freqFactor[i]`, scaled or mixed as `scaling` says.
public struct Rotary: Sendable {
    /// Rotated dimensions per head (≤ headDim); later dimensions pass through.
    public let dims: Int
    public let style: RoPEStyle
    private let inverseFrequency: [Float]   // per pair, freq factors folded in
    private let freqScale: Float
    private let extFactor: Float
    private let rampLow: Float, rampHigh: Float
    private let magnitude: Float

    /// - Parameters: freqFactors: optional per-pair divisors (GGUF `rope_freqs.weight`, llama 3.1+ and
    ///   long-RoPE models), `dims / 2` values.
    /// - Throws: `KernelError.invalidDimension` for odd or non-positive dims, a bad base, or a factor
    ///   count that does not match.
    public init(dims: Int, base: Float, style: RoPEStyle, scaling: RoPEScaling = .none, freqFactors: [Float]? = nil) throws {
        guard dims > 0, dims % 2 == 0 else { throw KernelError.invalidDimension(name: "ropeDim", value: dims) }
        guard base.isFinite, base > 0 else { throw KernelError.invalidDimension(name: "rope base", value: Int(base)) }
        if let factors = freqFactors, factors.count != dims / 2 || factors.contains(where: { !($0 > 0) }) {
            throw KernelError.shapeMismatch(operation: "rope freq factors", expected: dims / 2, actual: factors.count)
        }
        self.dims = dims
        self.style = style
        let thetaScale = Float.pow(base, -2 / Float(dims))
        var frequency: Float = 1
        var table = [Float](repeating: 0, count: dims / 2)
        for i in 0..<dims / 2 {
            table[i] = frequency / (freqFactors?[i] ?? 1)
            frequency *= thetaScale
        }
        inverseFrequency = table
        switch scaling {
        case .none:
            (freqScale, extFactor, rampLow, rampHigh, magnitude) = (1, 0, 0, 0, 1)
        case .linear(let factor):
            guard factor > 0 else { throw KernelError.invalidDimension(name: "rope scaling factor", value: Int(factor)) }
            (freqScale, extFactor, rampLow, rampHigh, magnitude) = (1 / factor, 0, 0, 0, 1)
        case .yarn(let factor, let original, let betaFast, let betaSlow, let attnFactor):
            guard factor > 0, original > 0 else {
                throw KernelError.invalidDimension(name: "yarn original context", value: original)
            }
            // The dimension whose wavelength fits `rotations` times into the original context.
            func correctionDim(_ rotations: Float) -> Float {
                Float(dims) * Float.log(Float(original) / (rotations * 2 * .pi)) / (2 * Float.log(base))
            }
            freqScale = 1 / factor
            extFactor = 1
            rampLow = max(0, correctionDim(betaFast).rounded(.down))
            rampHigh = min(Float(dims - 1), correctionDim(betaSlow).rounded(.up))
            magnitude = attnFactor * (1 + 0.1 * Float.log(factor))
        }
    }

    /// Rotates `rows` rows of `heads × headDim` values in `x`, row r at position `position + r`.
    public func apply(_ x: inout [Float], rows: Int, heads: Int, headDim: Int, position: Int) throws {
        guard headDim >= dims else { throw KernelError.invalidDimension(name: "headDim", value: headDim) }
        guard rows >= 0, heads >= 0, x.count >= rows * heads * headDim else {
            throw KernelError.shapeMismatch(operation: "rope", expected: rows * heads * headDim, actual: x.count)
        }
        let half = dims / 2
        x.withUnsafeMutableBufferPointer { xp in
            guard let xb = xp.baseAddress else { return }
            for r in 0..<rows {
                let p = Float(position + r)
                let row = xb + r * heads * headDim
                for i in 0..<half {
                    let (c, s) = angle(p * inverseFrequency[i], pair: i)
                    let (a, b) = style == .normal ? (2 * i, 2 * i + 1) : (i, i + half)
                    for h in 0..<heads {
                        let v = row + h * headDim
                        let x0 = v[a], x1 = v[b]
                        v[a] = x0 * c - x1 * s
                        v[b] = x0 * s + x1 * c
                    }
                }
            }
        }
    }

    @inline(__always)
    private func angle(_ extrapolated: Float, pair i: Int) -> (Float, Float) {
        var theta = freqScale * extrapolated
        if extFactor != 0 {
            let y = (Float(i) - rampLow) / max(0.001, rampHigh - rampLow)
            let mix = (1 - min(1, max(0, y))) * extFactor
            theta = theta * (1 - mix) + extrapolated * mix
        }
        return (Float.cos(theta) * magnitude, Float.sin(theta) * magnitude)
    }
}
