import GGUF
import Testing
@testable import Kernels

/// `WeightMatrix.matvec(_:_:into:_:into:_:into:pool:)`: several matrices over one input in one
/// dispatch give exactly what each matrix's own matvec gives (each output row is one row dot,
/// whichever chunk it lands in).
@Suite struct FusedMatvecTests {
    static let pool = try! ThreadPool(threadCount: 2)

    /// Same-format triples (one dispatch) and mixed formats (one after another), with row counts
    /// that are odd, smaller than a chunk and larger than one, at two input widths.
    @Test(arguments: [(GGMLType.q4_1, GGMLType.q4_1, GGMLType.q8_0), (.q5_0, .q5_0, .q8_0),
                      (.q4_K, .q6_K, .q5_K), (.q4_K, .q8_0, .q6_K), (.f32, .f16, .q4_0)])
    func matchesSeparateMatvecs(_ types: (GGMLType, GGMLType, GGMLType)) throws {
        for (cols, rows) in [(256, [37, 5, 130]), (512, [576, 192, 3])] {
            let ws = try [types.0, types.1, types.2].enumerated().map { i, type in
                try WeightMatrixTests.matrix(type, rows: rows[i], cols: cols, seed: UInt64(40 + i)).0
            }
            let x = try QuantizedActivations(maxRows: 2, maxCols: cols)
            try x.load(TestData.gaussian(2 * cols, seed: 44), rows: 2, cols: cols)
            for row in 0..<2 {
                let expected = try ws.map { w in
                    var y = [Float](repeating: .nan, count: w.rows)
                    try w.matvec(x, row: row, into: &y, pool: Self.pool)
                    return y
                }
                var y0 = [Float](repeating: .nan, count: rows[0]), y1 = [Float](repeating: .nan, count: rows[1])
                var y2 = [Float](repeating: .nan, count: rows[2])
                try y0.withUnsafeMutableBufferPointer { b0 in
                    try y1.withUnsafeMutableBufferPointer { b1 in
                        try y2.withUnsafeMutableBufferPointer { b2 in
                            try WeightMatrix.matvec(x, row: row, ws[0], into: b0, ws[1], into: b1, ws[2], into: b2, pool: Self.pool)
                        }
                    }
                }
                #expect(y0 == expected[0] && y1 == expected[1] && y2 == expected[2], "\(types) cols \(cols) row \(row)")
                var p0 = [Float](repeating: .nan, count: rows[0]), p1 = [Float](repeating: .nan, count: rows[1])
                try p0.withUnsafeMutableBufferPointer { b0 in
                    try p1.withUnsafeMutableBufferPointer { b1 in
                        try WeightMatrix.matvec(x, row: row, ws[0], into: b0, ws[1], into: b1, pool: Self.pool)
                    }
                }
                #expect(p0 == expected[0] && p1 == expected[1], "\(types) pair, cols \(cols) row \(row)")
            }
        }
    }

    @Test func wrongSizesThrow() throws {
        let (w, _) = try WeightMatrixTests.matrix(.q8_0, rows: 8, cols: 64, seed: 1)
        let x = try QuantizedActivations(maxRows: 1, maxCols: 64)
        try x.load(TestData.gaussian(64, seed: 2), rows: 1, cols: 64)
        var good = [Float](repeating: 0, count: 8), short = [Float](repeating: 0, count: 7)
        #expect(throws: KernelError.shapeMismatch(operation: "matvec output", expected: 8, actual: 7)) {
            try good.withUnsafeMutableBufferPointer { g in
                try short.withUnsafeMutableBufferPointer { s in try WeightMatrix.matvec(x, w, into: g, w, into: s, pool: Self.pool) }
            }
        }
        #expect(throws: KernelError.shapeMismatch(operation: "matvec output", expected: 8, actual: 0)) {
            try good.withUnsafeMutableBufferPointer { g in
                try WeightMatrix.matvec(x, w, into: g, w, into: g, w, pool: Self.pool)
            }
        }
    }
}
