import GGUF
import Testing
@testable import Kernels

@Suite struct WeightMatrixTests {
    static let pool = try! ThreadPool(threadCount: 2)

    /// A random `rows × cols` matrix of `type` with its exact dequantized values.
    static func matrix(_ type: GGMLType, rows: Int, cols: Int, seed: UInt64) throws -> (WeightMatrix, [Float]) {
        let values = TestData.gaussian(rows * cols, seed: seed, scale: 0.5)
        let bytes = try Quantization.quantize(values, to: type)
        let w = try WeightMatrix(type: type, rows: rows, cols: cols, bytes: bytes)
        return (w, try Quantization.dequantize(bytes, type: type, count: rows * cols))
    }

    /// The f32 values the int8 kernels actually see for `x` (Q8_0/Q8_1 rule per 32, Q8_K rule per 256).
    static func quantizedActivations(_ x: [Float], for type: GGMLType) -> [Float] {
        switch ActivationFormat(weight: type).quantization {
        case .float: return x
        default:
            let block = ActivationFormat(weight: type).quantization == .block32 ? 32 : 256
            var out = x
            for start in stride(from: 0, to: x.count, by: block) {
                let slice = x[start..<start + block]
                let amax = slice.map { abs($0) }.max() ?? 0
                if block == 32 {
                    let d = amax / 127, id: Float = d == 0 ? 0 : 1 / d
                    for i in slice.indices { out[i] = d * (x[i] * id).rounded() }
                } else {
                    let big = slice.max { abs($0) < abs($1) } ?? 0
                    let iscale: Float = amax > 0 ? -127 / big : 0
                    for i in slice.indices {
                        out[i] = (amax > 0 ? 1 / iscale : 0) * min(127, (iscale * x[i]).rounded(.toNearestOrEven))
                    }
                }
            }
            return out
        }
    }

    /// Dot kernels against dequantize-then-dot in Double.
    /// 1. Against the activations the kernel really uses (int8 values times scale): integer sums are
    ///    exact, so only f32 rounding of per-block products and the sum remains — tolerance
    ///    1e-5 · Σ|w·x| + 1e-6.
    /// 2. Against the original f32 activations: additionally the activation rounding, at most half a
    ///    step (block amax/254) per element — tolerance Σ|w|·amax/254 (+1e-5 relative slack).
    /// 37 rows cover the four-row passes and a remainder; 1280 columns cover the four-block steps
    /// and, for K formats (5 super-blocks), a single-block remainder.
    @Test(arguments: Quantization.supportedTypes)
    func matvecMatchesDequantizedDot(_ type: GGMLType) throws {
        try Self.checkMatvec(type, rows: 37, cols: 1280)
    }

    /// Q4_0…Q5_1 run four blocks at a time in word lanes and the last cols/32 % 4 blocks one by
    /// one: every remainder, with no group, one, two (a pair step) and an odd count of groups.
    @Test(arguments: [GGMLType.q4_0, .q4_1, .q5_0, .q5_1], [32, 64, 96, 160, 224, 352, 576])
    func nibbleQuadsAndRemainders(_ type: GGMLType, cols: Int) throws {
        try Self.checkMatvec(type, rows: 5, cols: cols)
    }

    /// matvec of a random `rows × cols` matrix against the two references described above.
    static func checkMatvec(_ type: GGMLType, rows: Int, cols: Int) throws {
        let (w, dense) = try Self.matrix(type, rows: rows, cols: cols, seed: 11)
        let x = TestData.gaussian(cols, seed: 12)
        let xq = Self.quantizedActivations(x, for: type)
        let act = try QuantizedActivations(maxRows: 1, maxCols: cols)
        try act.load(x, rows: 1, cols: cols)
        var y = [Float](repeating: .nan, count: rows)
        try w.matvec(act, into: &y, pool: Self.pool)
        let block = ActivationFormat(weight: type).quantization == .block256 ? 256 : 32
        for r in 0..<rows {
            let row = dense[r * cols..<(r + 1) * cols]
            var exactQ = 0.0, absQ = 0.0, exact = 0.0, bound = 0.0
            for (i, wv) in zip(0..., row) {
                exactQ += Double(wv) * Double(xq[i]); absQ += abs(Double(wv) * Double(xq[i]))
                exact += Double(wv) * Double(x[i])
                let start = i / block * block
                let amax = x[start..<start + block].map { abs(Double($0)) }.max() ?? 0
                bound += abs(Double(wv)) * amax / 254
            }
            #expect(abs(Double(y[r]) - exactQ) <= 1e-5 * absQ + 1e-6, "\(type) \(cols) row \(r): \(y[r]) vs \(exactQ)")
            let floatBound = ActivationFormat(weight: type) == .float ? 1e-5 * absQ + 1e-6 : bound + 1e-5 * absQ
            #expect(abs(Double(y[r]) - exact) <= floatBound, "\(type) \(cols) row \(r): \(y[r]) vs \(exact)")
        }
    }

    /// The exact Σ w·x̃ (x̃ = the activations the kernels see) and Σ|w·x̃| of one output, in Double.
    static func reference(_ dense: [Float], row r: Int, cols: Int, _ xq: ArraySlice<Float>) -> (Double, Double) {
        var exact = 0.0, magnitude = 0.0
        let base = xq.startIndex
        for c in 0..<cols {
            let p = Double(dense[r * cols + c]) * Double(xq[base + c])
            exact += p
            magnitude += abs(p)
        }
        return (exact, magnitude)
    }

    /// matmul against dequantize-then-dot in Double for batches on both paths (below
    /// `Gemm.minimumBatch`, 12–16: the matvec kernels per row; from it on: the f32 GEMM), row counts
    /// that are not a multiple of the 6-row tile, batches that are not a multiple of the 32-lane tile
    /// (16, 33 and 130 end in a group of at most 16 rows: the half-width kernel), past 128 rows
    /// several lane chunks, and 1280 columns: five 256-column panels accumulated.
    /// Same tolerance as matvec: both paths compute Σ w·x̃ and differ only in float rounding.
    @Test(arguments: Quantization.supportedTypes)
    func matmulMatchesDequantizedDot(_ type: GGMLType) throws {
        for (rows, cols, batches) in [(45, 256, [1, 2, 3, 5, 12, 16, 17, 64]), (13, 1280, [3, 33, 130])] {
            let (w, dense) = try Self.matrix(type, rows: rows, cols: cols, seed: 21)
            let maxBatch = batches.max()!
            let act = try QuantizedActivations(maxRows: maxBatch, maxCols: cols)
            for batch in batches {
                let x = TestData.gaussian(batch * cols, seed: UInt64(22 + batch))
                try act.load(x, rows: batch, cols: cols)
                var y = [Float](repeating: .nan, count: batch * rows)
                try w.matmul(act, into: &y, pool: Self.pool)
                for b in 0..<batch {
                    let xq = Self.quantizedActivations(Array(x[b * cols..<(b + 1) * cols]), for: type)
                    for r in 0..<rows {
                        let (exact, magnitude) = Self.reference(dense, row: r, cols: cols, xq[...])
                        let got = Double(y[b * rows + r])
                        #expect(abs(got - exact) <= 1e-5 * magnitude + 1e-6,
                                "\(type) batch \(batch) row \(b), output \(r): \(got) vs \(exact)")
                    }
                }
            }
        }
    }

    /// Below the GEMM threshold matmul is matvec row by row, bit for bit; and matvec of row b of a
    /// batch equals matvec of that row loaded alone.
    @Test(arguments: Quantization.supportedTypes)
    func smallBatchMatmulEqualsMatvecPerRow(_ type: GGMLType) throws {
        let rows = 45, cols = 256, batch = Gemm.minimumBatch(type) - 1
        let (w, _) = try Self.matrix(type, rows: rows, cols: cols, seed: 21)
        let x = TestData.gaussian(batch * cols, seed: 22)
        let act = try QuantizedActivations(maxRows: batch, maxCols: cols)
        try act.load(x, rows: batch, cols: cols)
        var y = [Float](repeating: .nan, count: batch * rows)
        try w.matmul(act, into: &y, pool: Self.pool)
        let single = try QuantizedActivations(maxRows: 1, maxCols: cols)
        for b in 0..<batch {
            try single.load(Array(x[b * cols..<(b + 1) * cols]), rows: 1, cols: cols)
            var yb = [Float](repeating: .nan, count: rows)
            try w.matvec(single, into: &yb, pool: Self.pool)
            #expect(Array(y[b * rows..<(b + 1) * rows]) == yb, "batch row \(b)")
            var yr = [Float](repeating: .nan, count: rows)
            try w.matvec(act, row: b, into: &yr, pool: Self.pool)
            #expect(yr == yb)
        }
    }

    /// One input read by matrices of different K formats, in both orders, then reloaded: every
    /// lane order made from it (Q4_K/Q5_K, Q6_K) follows the input, so results equal those of a
    /// fresh input object, for every activation row of a batch.
    @Test func laneOrdersFollowTheInput() throws {
        let rows = 9, cols = 768, batch = 3
        let matrices = try [GGMLType.q4_K, .q6_K, .q2_K, .q5_K, .q6_K, .q4_K].enumerated().map { i, type in
            try Self.matrix(type, rows: rows, cols: cols, seed: UInt64(40 + i)).0
        }
        let shared = try QuantizedActivations(maxRows: batch, maxCols: cols)
        for seed: UInt64 in [50, 51] {
            let x = TestData.gaussian(batch * cols, seed: seed)
            try shared.load(x, rows: batch, cols: cols)
            for w in matrices {
                for b in 0..<batch {
                    var got = [Float](repeating: .nan, count: rows)
                    try w.matvec(shared, row: b, into: &got, pool: Self.pool)
                    let fresh = try QuantizedActivations(maxRows: 1, maxCols: cols)
                    try fresh.load(Array(x[b * cols..<(b + 1) * cols]), rows: 1, cols: cols)
                    var want = [Float](repeating: .nan, count: rows)
                    try w.matvec(fresh, into: &want, pool: Self.pool)
                    #expect(got == want, "\(w.type) input \(seed) row \(b)")
                }
            }
        }
    }

    /// Reloading an input invalidates the GEMM's packed copy, also when the shape stays the same.
    @Test func matmulSeesReloadedInput() throws {
        let rows = 7, cols = 64, batch = 20
        let (w, _) = try Self.matrix(.q8_0, rows: rows, cols: cols, seed: 5)
        let act = try QuantizedActivations(maxRows: batch, maxCols: cols)
        try act.load(TestData.gaussian(batch * cols, seed: 6), rows: batch, cols: cols)
        var first = [Float](repeating: 0, count: batch * rows)
        try w.matmul(act, into: &first, pool: Self.pool)
        let second = TestData.gaussian(batch * cols, seed: 7)
        try act.load(second, rows: batch, cols: cols)
        var y = [Float](repeating: 0, count: batch * rows)
        try w.matmul(act, into: &y, pool: Self.pool)
        let fresh = try QuantizedActivations(maxRows: batch, maxCols: cols)
        try fresh.load(second, rows: batch, cols: cols)
        var want = [Float](repeating: 0, count: batch * rows)
        try w.matmul(fresh, into: &want, pool: Self.pool)
        #expect(y == want)
        #expect(y != first)
    }

    /// A real tensor: SmolLM2's first-layer Q4_1 ffn_down rows from the golden fixture, as a matrix.
    @Test func realTensorRowsDequantizeThroughMatrix() throws {
        let golden = try #require(QuantGoldenCase.all.first { $0.source.hasPrefix("SmolLM2") && $0.type == "Q4_1" })
        let w = try WeightMatrix(type: .q4_1, rows: golden.count / 512, cols: 512, bytes: golden.rawBytes)
        let want = golden.floats
        for r in 0..<w.rows { #expect(try w.dequantizedRow(r) == Array(want[r * 512..<(r + 1) * 512])) }
    }

    @Test func validationThrows() throws {
        #expect(throws: KernelError.byteCountMismatch(type: .q4_0, rows: 2, cols: 64, expected: 72, actual: 71)) {
            try WeightMatrix(type: .q4_0, rows: 2, cols: 64, bytes: [UInt8](repeating: 0, count: 71))
        }
        #expect(throws: KernelError.notBlockAligned(type: .q6_K, elements: 100)) {
            try WeightMatrix(type: .q6_K, rows: 1, cols: 100, bytes: [])
        }
        #expect(throws: KernelError.unsupportedType(.iq4_NL, operation: "matvec")) {
            try WeightMatrix(type: .iq4_NL, rows: 1, cols: 32, bytes: [UInt8](repeating: 0, count: 18))
        }
        #expect(throws: KernelError.invalidDimension(name: "rows", value: -1)) {
            try WeightMatrix(type: .f32, rows: -1, cols: 4, bytes: [])
        }
        let (w, _) = try Self.matrix(.q8_0, rows: 4, cols: 64, seed: 1)
        let act = try QuantizedActivations(maxRows: 1, maxCols: 128)
        try act.load([Float](repeating: 1, count: 128), rows: 1, cols: 128)
        var y = [Float](repeating: 0, count: 4)
        #expect(throws: KernelError.shapeMismatch(operation: "matvec input", expected: 64, actual: 128)) {
            try w.matvec(act, into: &y, pool: Self.pool)
        }
        try act.load([Float](repeating: 1, count: 64), rows: 1, cols: 64)
        var short = [Float](repeating: 0, count: 3)
        #expect(throws: KernelError.shapeMismatch(operation: "matvec output", expected: 4, actual: 3)) {
            try w.matvec(act, into: &short, pool: Self.pool)
        }
        #expect(throws: KernelError.invalidDimension(name: "rows", value: 2)) {
            try act.load([Float](repeating: 1, count: 128), rows: 2, cols: 64)
        }
        #expect(throws: KernelError.invalidDimension(name: "row", value: 4)) { try w.dequantizedRow(4) }
    }
}
