import RealModule

/// Element-wise and normalisation kernels over f32 vectors. All work in place or into caller-owned
/// buffers and allocate nothing; lengths are checked and mismatches throw `KernelError.shapeMismatch`.
public enum Ops {
    /// RMSNorm: `x[i] = x[i] / sqrt(mean(x²) + eps) · weight[i]`, applied to each of the
    /// `x.count / weight.count` consecutive rows of x.
    public static func rmsNorm(_ x: inout [Float], weight: [Float], eps: Float) throws {
        let n = weight.count
        guard n > 0, x.count % n == 0 else {
            throw KernelError.shapeMismatch(operation: "rmsNorm", expected: n, actual: x.count)
        }
        x.withUnsafeMutableBufferPointer { xp in
            weight.withUnsafeBufferPointer { wp in
                guard let xb = xp.baseAddress, let wb = wp.baseAddress else { return }
                for r in 0..<xp.count / n { rmsNormRow(xb + r * n, wb, n: n, eps: eps) }
            }
        }
    }

    @inline(__always)
    static func rmsNormRow(_ x: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, n: Int, eps: Float) {
        var sum: Float = 0
        for i in 0..<n { sum = Relaxed.multiplyAdd(x[i], x[i], sum) }
        let scale = 1 / (sum / Float(n) + eps).squareRoot()
        for i in 0..<n { x[i] = x[i] * scale * w[i] }
    }

    /// Softmax over each row of `rowLength` values: `x[i] = exp(x[i] − max) / Σ exp(x[j] − max)`.
    /// A row whose values are all −∞ (fully masked) becomes all zeros rather than NaN.
    public static func softmax(_ x: inout [Float], rowLength: Int) throws {
        guard rowLength > 0, x.count % rowLength == 0 else {
            throw KernelError.shapeMismatch(operation: "softmax", expected: rowLength, actual: x.count)
        }
        x.withUnsafeMutableBufferPointer { xp in
            guard let xb = xp.baseAddress else { return }
            for r in 0..<xp.count / rowLength { softmaxRow(xb + r * rowLength, n: rowLength) }
        }
    }

    @inline(__always)
    static func softmaxRow(_ x: UnsafeMutablePointer<Float>, n: Int) {
        var top = -Float.infinity
        for i in 0..<n { top = max(top, x[i]) }
        guard top > -.infinity else {
            for i in 0..<n { x[i] = 0 }
            return
        }
        var sum: Float = 0
        for i in 0..<n {
            let e = Float.exp(x[i] - top)
            x[i] = e
            sum = Relaxed.sum(sum, e)
        }
        let inv = 1 / sum
        for i in 0..<n { x[i] *= inv }
    }

    /// SwiGLU gating in place: `gate[i] = silu(gate[i]) · up[i]`.
    public static func siluMul(_ gate: inout [Float], _ up: [Float]) throws {
        try checkSame("siluMul", gate.count, up.count)
        for i in gate.indices { gate[i] = siluValue(gate[i]) * up[i] }
    }

    /// GeGLU gating in place: `gate[i] = gelu(gate[i]) · up[i]`, with GELU evaluated as ggml's CPU backend
    /// does (so results match llama.cpp): on the input rounded to f16, the output rounded to f16, and
    /// exactly 0 / the identity beyond ±10.
    public static func geluMul(_ gate: inout [Float], _ up: [Float]) throws {
        try checkSame("geluMul", gate.count, up.count)
        let table = geluHalfTable
        for i in gate.indices {
            let v = gate[i]
            if v <= -10 {
                gate[i] = 0
            } else if v >= 10 {
                gate[i] = v * up[i]
            } else {
                gate[i] = table[Int(floatToHalf(v))] * up[i]
            }
        }
    }

    /// GELU of every f16 value, rounded to f16: ggml's `ggml_table_gelu_f16`.
    static let geluHalfTable: [Float] = (0..<65_536).map { bits in
        halfToFloat(floatToHalf(geluValue(halfToFloat(UInt16(bits)))))
    }

    /// `x[i] += y[i]`.
    public static func add(_ x: inout [Float], _ y: [Float]) throws {
        try checkSame("add", x.count, y.count)
        for i in x.indices { x[i] += y[i] }
    }

    /// `x[i] *= y[i]`.
    public static func mul(_ x: inout [Float], _ y: [Float]) throws {
        try checkSame("mul", x.count, y.count)
        for i in x.indices { x[i] *= y[i] }
    }

    /// Adds `bias` to each of the `x.count / bias.count` consecutive rows of x.
    public static func addBias(_ x: inout [Float], _ bias: [Float]) throws {
        let n = bias.count
        guard n > 0, x.count % n == 0 else { throw KernelError.shapeMismatch(operation: "addBias", expected: n, actual: x.count) }
        for i in x.indices { x[i] += bias[i % n] }
    }

    /// Soft-capping: `x[i] = cap · tanh(x[i] / cap)`.
    public static func softcap(_ x: inout [Float], _ cap: Float) {
        for i in x.indices { x[i] = cap * Float.tanh(x[i] / cap) }
    }

    /// `x[i] *= s`.
    public static func scale(_ x: inout [Float], by s: Float) {
        for i in x.indices { x[i] *= s }
    }

    @inline(__always)
    static func siluValue(_ v: Float) -> Float {
        v / (1 + Float.exp(-v))
    }

    // √(2/π) and 0.044715 per the tanh approximation of GELU (Hendrycks & Gimpel).
    @inline(__always)
    static func geluValue(_ v: Float) -> Float {
        let inner: Float = 0.797_884_56 * (v + 0.044_715 * v * v * v)
        return 0.5 * v * (1 + Float.tanh(inner))
    }

    private static func checkSame(_ op: String, _ a: Int, _ b: Int) throws {
        guard a == b else { throw KernelError.shapeMismatch(operation: op, expected: a, actual: b) }
    }
}
