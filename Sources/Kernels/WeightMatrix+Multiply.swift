import GGUF

extension WeightMatrix {
    /// y = W·x for activation row `row` of `x`: `y[r] = Σ_c W[r][c]·x[c]`.
    /// - Parameters: x: activations with `x.cols == cols`; y: `rows` outputs, overwritten.
    /// - Throws: `KernelError.shapeMismatch` on any size disagreement.
    public func matvec(_ x: QuantizedActivations, row: Int = 0, into y: inout [Float], pool: ThreadPool) throws {
        try y.withUnsafeMutableBufferPointer { try matvec(x, row: row, into: $0, pool: pool) }
    }

    /// As `matvec(_:row:into:pool:)`, writing into a buffer of `rows` floats.
    public func matvec(_ x: QuantizedActivations, row: Int = 0, into y: UnsafeMutableBufferPointer<Float>,
                       pool: ThreadPool) throws {
        let out = try checkMatvec(x, row: row, y)
        let format = ActivationFormat(weight: type)
        x.prepare(format)
        let a = x.row(row, format)
        pool.parallelFor(rows, chunk: chunkRows(threads: pool.threadCount)) { range in
            dot(rows: range, a, out + range.lowerBound)
        }
    }

    /// `y0 = w0·x`, `y1 = w1·x` and (when given) `y2 = w2·x` for activation row `row` of `x`, as one
    /// parallel dispatch (e.g. the q, k and v projections of one input): decode runs hundreds of small
    /// matvecs per token, and each dispatch costs a wake-up and a tail where one thread waits.
    /// Matrices whose types quantize `x` differently run one after another.
    /// - Throws: `KernelError.shapeMismatch` on any size disagreement.
    public static func matvec(_ x: QuantizedActivations, row: Int = 0,
                              _ w0: WeightMatrix, into y0: UnsafeMutableBufferPointer<Float>,
                              _ w1: WeightMatrix, into y1: UnsafeMutableBufferPointer<Float>,
                              _ w2: WeightMatrix? = nil, into y2: UnsafeMutableBufferPointer<Float>? = nil,
                              pool: ThreadPool) throws {
        let format = ActivationFormat(weight: w0.type)
        guard ActivationFormat(weight: w1.type) == format, w2.map({ ActivationFormat(weight: $0.type) == format }) ?? true else {
            try w0.matvec(x, row: row, into: y0, pool: pool)
            try w1.matvec(x, row: row, into: y1, pool: pool)
            if let w2, let y2 { try w2.matvec(x, row: row, into: y2, pool: pool) }
            return
        }
        let out0 = try w0.checkMatvec(x, row: row, y0), out1 = try w1.checkMatvec(x, row: row, y1)
        var out2: UnsafeMutablePointer<Float>?
        if let w2 {
            guard let y2 else { throw KernelError.shapeMismatch(operation: "matvec output", expected: w2.rows, actual: 0) }
            out2 = try w2.checkMatvec(x, row: row, y2)
        }
        x.prepare(format)
        let a = x.row(row, format)
        let c0 = w0.chunkRows(threads: pool.threadCount), c1 = w1.chunkRows(threads: pool.threadCount)
        let c2 = w2?.chunkRows(threads: pool.threadCount) ?? 1
        let n0 = (w0.rows + c0 - 1) / c0, n1 = (w1.rows + c1 - 1) / c1, n2 = out2 == nil ? 0 : (w2!.rows + c2 - 1) / c2
        pool.parallelFor(n0 + n1 + n2, chunk: 1) { chunks in
            for i in chunks {
                if i < n0 {
                    let r = i * c0..<min((i + 1) * c0, w0.rows)
                    w0.dot(rows: r, a, out0 + r.lowerBound)
                } else if i < n0 + n1 {
                    let r = (i - n0) * c1..<min((i - n0 + 1) * c1, w1.rows)
                    w1.dot(rows: r, a, out1 + r.lowerBound)
                } else if let w2, let out2 {
                    let r = (i - n0 - n1) * c2..<min((i - n0 - n1 + 1) * c2, w2.rows)
                    w2.dot(rows: r, a, out2 + r.lowerBound)
                }
            }
        }
    }

    /// The output pointer after checking `x`, `row` and `y` against this matrix's shape.
    private func checkMatvec(_ x: QuantizedActivations, row: Int, _ y: UnsafeMutableBufferPointer<Float>) throws
        -> UnsafeMutablePointer<Float> {
        guard x.cols == cols else { throw KernelError.shapeMismatch(operation: "matvec input", expected: cols, actual: x.cols) }
        guard row >= 0, row < x.rows else { throw KernelError.invalidDimension(name: "activation row", value: row) }
        guard y.count == rows, let out = y.baseAddress else {
            throw KernelError.shapeMismatch(operation: "matvec output", expected: rows, actual: y.count)
        }
        return out
    }

    /// Y = X·Wᵀ for a batch: `y[b·rows + r] = Σ_c W[r][c]·x[b][c]` for every loaded activation row b.
    /// Batches of `Gemm.minimumBatch(type)` rows or more run the f32 register-tiled GEMM (weights
    /// dequantized a small panel at a time, activations as the int8 kernels see them); smaller ones
    /// run the matvec kernels for each row. Results agree with `matvec` up to float rounding.
    /// - Parameters: x: `x.rows` activation rows with `x.cols == cols`; y: `x.rows × rows` outputs.
    public func matmul(_ x: QuantizedActivations, into y: inout [Float], pool: ThreadPool) throws {
        try y.withUnsafeMutableBufferPointer { try matmul(x, into: $0, pool: pool) }
    }

    /// As `matmul(_:into:pool:)`, writing into a buffer of `x.rows × rows` floats.
    public func matmul(_ x: QuantizedActivations, into y: UnsafeMutableBufferPointer<Float>, pool: ThreadPool) throws {
        guard x.cols == cols else { throw KernelError.shapeMismatch(operation: "matmul input", expected: cols, actual: x.cols) }
        let batch = x.rows
        guard y.count == batch * rows, let out = y.baseAddress else {
            throw KernelError.shapeMismatch(operation: "matmul output", expected: batch * rows, actual: y.count)
        }
        if batch >= Gemm.minimumBatch(type) {
            Gemm.multiply(self, x, out, pool: pool)
            return
        }
        let format = ActivationFormat(weight: type)
        x.prepare(format)
        pool.parallelFor(rows, chunk: chunkRows(threads: pool.threadCount)) { range in
            for b in 0..<batch {
                dot(rows: range, x.row(b, format), out + b * rows + range.lowerBound)
            }
        }
    }

    /// Rows per parallel chunk: eight chunks per thread, so a thread slowed by another process can
    /// hand work to the others, but at least `minimumChunkBytes` of weights, so a small decode matrix
    /// is a few long sequential reads rather than many claims passed between cores.
    private func chunkRows(threads: Int) -> Int {
        let perThread = max(rows / max(1, threads * 8), Self.minimumChunkBytes / max(1, rowBytes))
        return max(DotKernels.rowsPerPass, perThread / DotKernels.rowsPerPass * DotKernels.rowsPerPass)
    }

    static let minimumChunkBytes = 32 << 10

    /// Dots of weight rows `range` with one activation row, written to `out[0..<range.count]`.
    @inline(__always)
    func dot(rows range: Range<Int>, _ a: ActivationRow, _ out: UnsafeMutablePointer<Float>) {
        let w = base + range.lowerBound * rowBytes
        let n = range.count
        let blocks = cols / type.blockSize
        switch type {
        case .q4_0: DotKernels.quadRows(LaneQ4_0.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q4_1: DotKernels.quadRows(LaneQ4_1.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q5_0: DotKernels.quadRows(LaneQ5_0.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q5_1: DotKernels.quadRows(LaneQ5_1.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q8_0: DotKernels.laneRows(LaneQ8_0.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q2_K: DotKernels.kLaneRows(KLaneQ2_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q3_K: DotKernels.kLaneRows(KLaneQ3_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q4_K: DotKernels.kLaneRows(KLaneQ4_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q5_K: DotKernels.kLaneRows(KLaneQ5_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q6_K: DotKernels.kLaneRows(KLaneQ6_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        default: DotKernels.floatRows(type, w, stride: rowBytes, rows: n, cols: cols, a.f, out)
        }
    }
}
