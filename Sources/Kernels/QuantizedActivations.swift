import GGUF

/// Which int8 activation format a weight type's dot kernel consumes.
enum ActivationFormat: Equatable {
    /// Plain f32 (F32/F16/BF16 weights).
    case float
    /// ggml Q8_0/Q8_1 semantics: blocks of 32 int8 with an f32 scale d and the block's integer sum
    /// (Q8_1's s = d · sum). Scales stay f32 here rather than ggml's f16: no precision is thrown away.
    case block32
    /// ggml Q8_K semantics: blocks of 256 int8 with an f32 scale and integer sums of every 16.
    case block256

    init(weight type: GGMLType) {
        switch type {
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: self = .block256
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: self = .block32
        default: self = .float
        }
    }
}

/// A batch of activation rows (batch × cols, f32) together with their int8 quantization, the input
/// of `WeightMatrix.matvec`/`matmul`.
///
/// Allocate one per call site with the largest batch and width it will see and reuse it: `load`
/// and the quantization it triggers allocate nothing. The f32 rows are kept as given; the int8 form
/// is made lazily, once per format a weight type asks for, and reused by every matrix that reads the
/// same input (e.g. q, k and v projections).
public final class QuantizedActivations: @unchecked Sendable {
    /// Largest number of rows and columns this buffer holds.
    public let maxRows: Int, maxCols: Int
    /// Rows and columns currently loaded.
    public private(set) var rows: Int = 0, cols: Int = 0

    let values: UnsafeMutablePointer<Float>    // rows × cols f32
    let quants: UnsafeMutablePointer<Int8>     // rows × cols int8
    let scales: UnsafeMutablePointer<Float>    // rows × cols/32 (block32) or rows × cols/256 (block256)
    let sums: UnsafeMutablePointer<Int32>      // rows × cols/16: per-32 sums (block32) or per-16 (block256)
    private var quantized: ActivationFormat = .float

    /// - Parameters: maxRows: the largest batch; maxCols: the largest row width (any positive size;
    ///   widths that are not multiples of 32/256 only work with F32/F16/BF16 weights).
    public init(maxRows: Int, maxCols: Int) throws {
        guard maxRows > 0 else { throw KernelError.invalidDimension(name: "maxRows", value: maxRows) }
        guard maxCols > 0 else { throw KernelError.invalidDimension(name: "maxCols", value: maxCols) }
        let (n, overflow) = maxRows.multipliedReportingOverflow(by: maxCols)
        guard !overflow, n < 1 << 40 else { throw KernelError.invalidDimension(name: "maxRows×maxCols", value: maxRows) }
        self.maxRows = maxRows
        self.maxCols = maxCols
        values = .allocate(capacity: n)
        quants = .allocate(capacity: n)
        scales = .allocate(capacity: n / 32 + maxRows)
        sums = .allocate(capacity: n / 16 + maxRows)
    }

    deinit {
        values.deallocate(); quants.deallocate(); scales.deallocate(); sums.deallocate()
    }

    /// Loads `rows` rows of `cols` values from `x` (row-major, `x.count == rows · cols`).
    public func load(_ x: [Float], rows: Int, cols: Int) throws {
        try x.withUnsafeBufferPointer { try load(UnsafeBufferPointer(rebasing: $0[...]), rows: rows, cols: cols) }
    }

    /// Loads from a buffer; see `load(_:rows:cols:)`.
    public func load(_ x: UnsafeBufferPointer<Float>, rows: Int, cols: Int) throws {
        guard rows > 0, rows <= maxRows else { throw KernelError.invalidDimension(name: "rows", value: rows) }
        guard cols > 0, cols <= maxCols else { throw KernelError.invalidDimension(name: "cols", value: cols) }
        guard x.count == rows * cols, let base = x.baseAddress else {
            throw KernelError.shapeMismatch(operation: "activations", expected: rows * cols, actual: x.count)
        }
        values.update(from: base, count: rows * cols)
        self.rows = rows
        self.cols = cols
        quantized = .float
    }

    /// Makes sure the int8 form for `format` is current.
    func prepare(_ format: ActivationFormat) {
        guard format != .float, format != quantized else { return }
        for r in 0..<rows {
            let x = values + r * cols
            if format == .block32 {
                for b in 0..<cols / 32 {
                    Self.quantizeBlock32(x + 32 * b, quants + r * cols + 32 * b,
                                         scale: scales + r * (cols / 32) + b, sum: sums + r * (cols / 16) + b)
                }
            } else {
                for b in 0..<cols / 256 {
                    Self.quantizeBlock256(x + 256 * b, quants + r * cols + 256 * b,
                                          scale: scales + r * (cols / 256) + b, sums: sums + r * (cols / 16) + 16 * b)
                }
            }
        }
        quantized = format
    }

    /// One row's pointers, as the dot kernels read them.
    @inline(__always)
    func row(_ r: Int, _ format: ActivationFormat) -> ActivationRow {
        let perScale = format == .block256 ? 256 : 32
        return ActivationRow(q: quants + r * cols, d: scales + r * (cols / perScale), sums: sums + r * (cols / 16),
                             f: values + r * cols)
    }

    // ggml Q8_0/Q8_1 rule: d = amax/127, q = roundf(x/d); sum of q for the Q8_1 term.
    @inline(__always)
    static func quantizeBlock32(_ x: UnsafePointer<Float>, _ q: UnsafeMutablePointer<Int8>,
                                scale: UnsafeMutablePointer<Float>, sum: UnsafeMutablePointer<Int32>) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d == 0 ? 0 : 1 / d
        var s: Int32 = 0
        for j in 0..<32 {
            let v = Quantization.clampedRound(x[j] * id, -127, 127)
            q[j] = Int8(truncatingIfNeeded: v)
            s &+= v
        }
        scale.pointee = d
        sum.pointee = s
    }

    // ggml Q8_K rule: iscale = −127/(value of largest magnitude), q = nearest(iscale·x) ≤ 127,
    // d = 1/iscale, sums of every 16.
    @inline(__always)
    static func quantizeBlock256(_ x: UnsafePointer<Float>, _ q: UnsafeMutablePointer<Int8>,
                                 scale: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Int32>) {
        var amax: Float = 0, maxValue: Float = 0
        for j in 0..<256 where abs(x[j]) > amax {
            amax = abs(x[j]); maxValue = x[j]
        }
        let iscale: Float = amax > 0 ? -127 / maxValue : 0
        for g in 0..<16 {
            var s: Int32 = 0
            for j in 16 * g..<16 * g + 16 {
                let v = Quantization.clampedRound(iscale * x[j], -128, 127, .toNearestOrEven)
                q[j] = Int8(truncatingIfNeeded: v)
                s &+= v
            }
            sums[g] = s
        }
        scale.pointee = amax > 0 ? 1 / iscale : 0
    }
}

/// Raw pointers to one activation row: int8 values, their scales (per 32 or per 256), integer sums
/// (per 32 or per 16) and the f32 original.
struct ActivationRow {
    let q: UnsafePointer<Int8>
    let d: UnsafePointer<Float>
    let sums: UnsafePointer<Int32>
    let f: UnsafePointer<Float>

    init(q: UnsafeMutablePointer<Int8>, d: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Int32>,
         f: UnsafeMutablePointer<Float>) {
        self.q = UnsafePointer(q); self.d = UnsafePointer(d); self.sums = UnsafePointer(sums); self.f = UnsafePointer(f)
    }
}
