import GGUF

/// Which int8 activation format a weight type's dot kernel consumes.
enum ActivationFormat: Equatable {
    /// Plain f32 (F32/F16/BF16 weights).
    case float
    /// ggml Q8_0/Q8_1 semantics: blocks of 32 int8 with an f32 scale d and the block's integer sum
    /// (Q8_1's s = d · sum). Scales stay f32 here rather than ggml's f16: no precision is thrown away.
    case block32
    /// `block32`, with each four blocks' values (q · scale) also in the order the Q4_0…Q5_1 lane
    /// kernels read and a float sum per block (DotKernels+NibbleQuads.swift).
    case lanes32
    /// ggml Q8_K semantics: blocks of 256 int8 with an f32 scale and integer sums of every 16.
    case block256
    /// `block256`, with its values (q · scale) also in the order the Q2_K/Q3_K lane kernels read and
    /// float sums of every 16 (DotKernels+KLanes.swift).
    case lanesK2
    /// `block256`, with its values also in the Q4_K/Q5_K lane kernels' order and float sums of
    /// every 32.
    case lanesK4
    /// `block256`, with its values also in the Q6_K lane kernel's order and float sums of every 16.
    case lanesK6

    init(weight type: GGMLType) {
        switch type {
        case .q2_K, .q3_K: self = .lanesK2
        case .q4_K, .q5_K: self = .lanesK4
        case .q6_K: self = .lanesK6
        case .q4_0, .q4_1, .q5_0, .q5_1: self = .lanes32
        case .q8_0: self = .block32
        default: self = .float
        }
    }

    /// The int8 quantization underneath (the lane orders are derived from it).
    var quantization: ActivationFormat {
        switch self {
        case .lanes32: .block32
        case .lanesK2, .lanesK4, .lanesK6: .block256
        default: self
        }
    }

    /// Which of `QuantizedActivations.lanes` holds this lane order (nil: not a lane order).
    var laneIndex: Int? {
        switch self {
        case .lanes32: 0
        case .lanesK2: 1
        case .lanesK4: 2
        case .lanesK6: 3
        default: nil
        }
    }

    /// Float group sums per row of `cols` elements in this lane order: per 16 or per 32.
    func groupSumCount(cols: Int) -> Int { self == .lanesK2 || self == .lanesK6 ? cols / 16 : cols / 32 }
}

/// A batch of activation rows (batch × cols, f32) together with their int8 quantization, the input
/// of `WeightMatrix.matvec`/`matmul`.
///
/// Allocate one per call site with the largest batch and width it will see and reuse it: `load`
/// and the quantization it triggers allocate nothing once each derived form has been made (each is
/// a `maxRows × maxCols` f32 buffer allocated on first use: the int8 values times their scales, their
/// lane orders, and the GEMM's transposed copy for batches). The f32 rows are kept as given; the int8 form is made
/// lazily, once per format a weight type asks for, and reused by every matrix that reads the same
/// input (e.g. q, k and v projections).
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
    // rows × cols: q · scale of the current int8 form (what the lane kernels multiply), allocated on first use.
    private var dequantized: UnsafeMutablePointer<Float>?
    // The lane orders of the current int8 form, by `ActivationFormat.laneIndex`
    // (QuantizedActivations+Lanes.swift).
    var lanes = [LaneBuffers?](repeating: nil, count: 4)
    // The GEMM's transposed copy (see `preparePacked`), allocated on first use.
    private var packed: UnsafeMutablePointer<Float>?
    private var packedFormat: ActivationFormat?

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
        packed?.deallocate()
        dequantized?.deallocate()
        for buffers in lanes { buffers?.deallocate() }
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
        packedFormat = nil
    }

    /// Makes sure the int8 form for `format` (and its lane order, for the lane formats) is current;
    /// rows are split over `pool` when given.
    func prepare(_ format: ActivationFormat, pool: ThreadPool? = nil) {
        let quantization = format.quantization
        guard quantization != .float else { return }
        if quantization != quantized {
            let xq = dequantized ?? .allocate(capacity: maxRows * maxCols)
            dequantized = xq
            let work = { (range: Range<Int>) in
                for r in range { self.quantizeRow(r, quantization, xq) }
            }
            if let pool, rows > 1 { pool.parallelFor(rows, chunk: max(1, rows / (4 * pool.threadCount)), work) } else { work(0..<rows) }
            quantized = quantization
            for i in lanes.indices { lanes[i]?.current = false }
        }
        if let index = format.laneIndex, let xq = dequantized { prepareLanes(format, index, from: xq) }
    }

    /// Row `r` in the int8 form for `format` (q, scales, sums, and q · scale into `xq`).
    private func quantizeRow(_ r: Int, _ format: ActivationFormat, _ xq: UnsafeMutablePointer<Float>) {
        let x = values + r * cols
        if format == .block32 {
            for b in 0..<cols / 32 {
                let o = r * cols + 32 * b
                Self.quantizeBlock32(x + 32 * b, quants + o, xq + o, scale: scales + r * (cols / 32) + b,
                                     sum: sums + r * (cols / 16) + b)
            }
        } else {
            for b in 0..<cols / 256 {
                let o = r * cols + 256 * b
                Self.quantizeBlock256(x + 256 * b, quants + o, xq + o, scale: scales + r * (cols / 256) + b,
                                      sums: sums + r * (cols / 16) + 16 * b)
            }
        }
    }

    /// The rows as the GEMM reads them: for each group of `Gemm.lanes` rows, `cols` steps of
    /// `Gemm.lanes` floats (row a's element k at `[(a / 32 · cols + k) · 32 + a % 32]`), rows past the
    /// last zero. The values are what the int8 kernels multiply for `format` (q · scale), or the f32
    /// inputs for `.float`. Made once per format and reused by every matrix that reads this input;
    /// the quantization and the packing are split over `pool`.
    func preparePacked(_ format: ActivationFormat, pool: ThreadPool) -> UnsafePointer<Float> {
        let lanes = Gemm.lanes
        let buffer = packed ?? .allocate(capacity: (maxRows + lanes - 1) / lanes * lanes * maxCols)
        packed = buffer
        let format = format.quantization
        if packedFormat == format { return UnsafePointer(buffer) }
        prepare(format, pool: pool)
        let blockSize = format == .block256 ? 256 : 32
        // A transpose in tiles of 16 columns (within one quantization block): the 32 rows' reads are
        // sequential and the tile being written (16 × 128 bytes) stays in L1. Values are made from
        // the int8 form (a quarter of the bytes of its f32 copy).
        let tile = 16, tiles = (cols + tile - 1) / tile
        let groups = (rows + lanes - 1) / lanes
        let rows = rows, cols = cols
        pool.parallelFor(groups * tiles, chunk: max(1, tiles / 4)) { range in
            for item in range {
                let g = item / tiles, k0 = item % tiles * tile
                let kn = min(tile, cols - k0)
                let dst = buffer + (g * cols + k0) * lanes
                for l in 0..<lanes {
                    let r = g * lanes + l
                    if r >= rows {
                        for k in 0..<kn { dst[k * lanes + l] = 0 }
                    } else if format == .float {
                        let src = self.values + r * cols + k0
                        for k in 0..<kn { dst[k * lanes + l] = src[k] }
                    } else {
                        let q = self.quants + r * cols + k0, d = self.scales[r * (cols / blockSize) + k0 / blockSize]
                        for k in 0..<kn { dst[k * lanes + l] = Float(q[k]) * d }
                    }
                }
            }
        }
        packedFormat = format
        return UnsafePointer(buffer)
    }

    /// One row's pointers, as the dot kernels read them.
    @inline(__always)
    func row(_ r: Int, _ format: ActivationFormat) -> ActivationRow {
        let x = (format == .float ? values : dequantized ?? values) + r * cols
        let buffers = format.laneIndex.flatMap { lanes[$0] }
        return ActivationRow(f: values + r * cols, x: x, lanes: (buffers?.values ?? x) + r * cols,
                             groupSums: (buffers?.sums ?? values) + r * format.groupSumCount(cols: cols))
    }

    // The quantizers below run once per input row of every matvec and matmul, so they are written to
    // vectorize: the block maximum as an integer max over |x| bit patterns (orders like the floats;
    // a float max reduction does not vectorize without fast-math) and rounding to an integer-valued
    // float, clamping, then converting by the 1.5·2²³ trick (no trapping conversion in the loop).
    // The values are the ones the scalar ggml rules give (NaN inputs quantize to 0 instead of trapping).

    /// Largest |x[j]| of `n` values.
    @inline(__always)
    static func absMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m: UInt32 = 0
        for j in 0..<n { m = Swift.max(m, x[j].bitPattern & 0x7FFF_FFFF) }
        return Float(bitPattern: m)
    }

    /// An integer-valued float in −2²² … 2²² as Int32, without a trapping conversion.
    @inline(__always)
    static func integer(_ v: Float) -> Int32 {
        Int32(bitPattern: (v + 12_582_912).bitPattern) &- 0x4B40_0000
    }

    // ggml Q8_0/Q8_1 rule: d = amax/127, q = roundf(x/d); sum of q for the Q8_1 term; xq = q · d.
    @inline(__always)
    static func quantizeBlock32(_ x: UnsafePointer<Float>, _ q: UnsafeMutablePointer<Int8>, _ xq: UnsafeMutablePointer<Float>,
                                scale: UnsafeMutablePointer<Float>, sum: UnsafeMutablePointer<Int32>) {
        let amax = absMax(x, 32)
        let d = amax / 127
        let id: Float = d == 0 ? 0 : 1 / d
        var s: Int32 = 0
        for j in 0..<32 {
            let r = (x[j] * id).rounded(.toNearestOrAwayFromZero)
            let c: Float = r == r ? Swift.min(Swift.max(r, -127), 127) : 0
            let v = integer(c)
            q[j] = Int8(truncatingIfNeeded: v)
            xq[j] = c * d
            s &+= v
        }
        scale.pointee = d
        sum.pointee = s
    }

    // ggml Q8_K rule: iscale = −127/(value of largest magnitude, the first if several), q =
    // nearest-even(iscale·x) ≤ 127, d = 1/iscale, sums of every 16; xq = q · d.
    @inline(__always)
    static func quantizeBlock256(_ x: UnsafePointer<Float>, _ q: UnsafeMutablePointer<Int8>, _ xq: UnsafeMutablePointer<Float>,
                                 scale: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Int32>) {
        let amax = absMax(x, 256)
        var maxValue = amax
        for j in 0..<256 where abs(x[j]) == amax {
            maxValue = x[j]
            break
        }
        let iscale: Float = amax > 0 ? -127 / maxValue : 0
        let d: Float = amax > 0 ? 1 / iscale : 0
        for g in 0..<16 {
            var s: Int32 = 0
            for j in 16 * g..<16 * g + 16 {
                let r = (iscale * x[j]).rounded(.toNearestOrEven)
                let c: Float = r == r ? Swift.min(Swift.max(r, -128), 127) : 0
                let v = integer(c)
                q[j] = Int8(truncatingIfNeeded: v)
                xq[j] = c * d
                s &+= v
            }
            sums[g] = s
        }
        scale.pointee = d
    }
}

/// Raw pointers to one activation row: the f32 original, the int8 values times their scale as f32
/// (the f32 original for the float format), and for the lane formats those values in lane order
/// with their float group sums (per block of 32, per 32 or per 16).
struct ActivationRow {
    let f: UnsafePointer<Float>
    let x: UnsafePointer<Float>
    let lanes: UnsafePointer<Float>
    let groupSums: UnsafePointer<Float>

    init(f: UnsafeMutablePointer<Float>, x: UnsafeMutablePointer<Float>, lanes: UnsafeMutablePointer<Float>,
         groupSums: UnsafeMutablePointer<Float>) {
        self.f = UnsafePointer(f); self.x = UnsafePointer(x)
        self.lanes = UnsafePointer(lanes); self.groupSums = UnsafePointer(groupSums)
    }
}
