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
        guard x.cols == cols else { throw KernelError.shapeMismatch(operation: "matvec input", expected: cols, actual: x.cols) }
        guard row >= 0, row < x.rows else { throw KernelError.invalidDimension(name: "activation row", value: row) }
        guard y.count == rows, let out = y.baseAddress else {
            throw KernelError.shapeMismatch(operation: "matvec output", expected: rows, actual: y.count)
        }
        let format = ActivationFormat(weight: type)
        x.prepare(format)
        let a = x.row(row, format)
        pool.parallelFor(rows, chunk: chunkRows(threads: pool.threadCount)) { range in
            dot(rows: range, a, out + range.lowerBound)
        }
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

    /// Rows per parallel chunk: large enough for long sequential reads, small enough that a thread
    /// slowed by another process can hand work to the others.
    private func chunkRows(threads: Int) -> Int {
        let perThread = rows / max(1, threads * 8)
        return max(DotKernels.rowsPerPass, perThread / DotKernels.rowsPerPass * DotKernels.rowsPerPass)
    }

    /// Dots of weight rows `range` with one activation row, written to `out[0..<range.count]`.
    @inline(__always)
    func dot(rows range: Range<Int>, _ a: ActivationRow, _ out: UnsafeMutablePointer<Float>) {
        let w = base + range.lowerBound * rowBytes
        let n = range.count
        let blocks = cols / type.blockSize
        switch type {
        case .q4_0: DotKernels.laneRows(LaneQ4_0.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q4_1: DotKernels.laneRows(LaneQ4_1.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q5_0: DotKernels.laneRows(LaneQ5_0.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q5_1: DotKernels.laneRows(LaneQ5_1.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q8_0: DotKernels.laneRows(LaneQ8_0.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q2_K: DotKernels.dotRows(DotQ2_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q3_K: DotKernels.dotRows(DotQ3_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q4_K: DotKernels.laneRows(LaneQ4_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q5_K: DotKernels.laneRows(LaneQ5_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        case .q6_K: DotKernels.dotRows(DotQ6_K.self, w, stride: rowBytes, rows: n, blocks: blocks, a, out)
        default: DotKernels.floatRows(type, w, stride: rowBytes, rows: n, cols: cols, a.f, out)
        }
    }
}
