import Testing
@testable import Kernels

/// The vectorized activation quantizers against the scalar ggml rules they replace (Q8_0/Q8_1 per
/// 32, Q8_K per 256): same int8 values, sums and scales, bit for bit, and the f32 copy is q · d.
@Suite struct DotActivationQuantizationTests {
    /// ggml Q8_0 rule, written the plain way: d = amax/127, q = roundf(x/d) clamped to ±127.
    static func reference32(_ x: ArraySlice<Float>) -> (q: [Int8], d: Float, sum: Int32) {
        var amax: Float = 0
        for v in x { amax = max(amax, abs(v)) }
        let d = amax / 127
        let id: Float = d == 0 ? 0 : 1 / d
        let q = x.map { Int8(max(-127, min(127, ($0 * id).rounded(.toNearestOrAwayFromZero)))) }
        return (q, d, q.reduce(0) { $0 + Int32($1) })
    }

    /// ggml Q8_K rule: iscale = −127 / (first value of largest magnitude), q = nearest-even, ≤ 127.
    static func reference256(_ x: ArraySlice<Float>) -> (q: [Int8], d: Float, sums: [Int32]) {
        var amax: Float = 0, maxValue: Float = 0
        for v in x where abs(v) > amax { amax = abs(v); maxValue = v }
        let iscale: Float = amax > 0 ? -127 / maxValue : 0
        let q = x.map { Int8(max(-128, min(127, (iscale * $0).rounded(.toNearestOrEven)))) }
        let sums = (0..<16).map { g in q[16 * g..<16 * g + 16].reduce(0) { $0 + Int32($1) } }
        return (q, amax > 0 ? 1 / iscale : 0, sums)
    }

    /// Inputs with the awkward cases: an all-zero block, exact halves (ties), a largest magnitude
    /// that is negative and appears twice with both signs, tiny and huge scales.
    static func inputs(cols: Int) -> [Float] {
        var x = TestData.gaussian(4 * cols, seed: 31)
        for j in 0..<32 { x[j] = 0 }
        for j in 32..<64 { x[j] = Float(j - 48) * 0.5 }
        x[300] = -9; x[301] = 9
        for j in cols..<cols + 256 { x[j] *= 1e-30 }
        for j in 2 * cols..<2 * cols + 256 { x[j] *= 1e30 }
        return x
    }

    @Test func block32MatchesScalarRule() throws {
        let cols = 512, rows = 4
        let x = Self.inputs(cols: cols)
        let act = try QuantizedActivations(maxRows: rows, maxCols: cols)
        try act.load(x, rows: rows, cols: cols)
        act.prepare(.block32)
        for r in 0..<rows {
            let row = act.row(r, .block32)
            let q = act.quants + r * cols, d = act.scales + r * (cols / 32), sums = act.sums + r * (cols / 16)
            for b in 0..<cols / 32 {
                let want = Self.reference32(x[r * cols + 32 * b..<r * cols + 32 * b + 32])
                #expect(d[b] == want.d, "row \(r) block \(b)")
                #expect(sums[b] == want.sum, "row \(r) block \(b)")
                for j in 0..<32 {
                    #expect(q[32 * b + j] == want.q[j], "row \(r) block \(b) element \(j)")
                    #expect(row.x[32 * b + j] == Float(want.q[j]) * want.d)
                }
            }
        }
    }

    @Test func block256MatchesScalarRule() throws {
        let cols = 512, rows = 4
        let x = Self.inputs(cols: cols)
        let act = try QuantizedActivations(maxRows: rows, maxCols: cols)
        try act.load(x, rows: rows, cols: cols)
        act.prepare(.block256)
        for r in 0..<rows {
            let row = act.row(r, .block256)
            let q = act.quants + r * cols, d = act.scales + r * (cols / 256), sums = act.sums + r * (cols / 16)
            for b in 0..<cols / 256 {
                let want = Self.reference256(x[r * cols + 256 * b..<r * cols + 256 * b + 256])
                #expect(d[b] == want.d, "row \(r) block \(b)")
                for g in 0..<16 { #expect(sums[16 * b + g] == want.sums[g]) }
                for j in 0..<256 {
                    #expect(q[256 * b + j] == want.q[j], "row \(r) block \(b) element \(j)")
                    #expect(row.x[256 * b + j] == Float(want.q[j]) * want.d)
                }
            }
        }
    }

    /// NaN and infinite inputs give some values but never trap.
    @Test func nonFiniteInputsDoNotTrap() throws {
        var x = [Float](repeating: 1, count: 256)
        x[3] = .nan; x[40] = .infinity; x[41] = -.infinity
        let act = try QuantizedActivations(maxRows: 1, maxCols: 256)
        try act.load(x, rows: 1, cols: 256)
        act.prepare(.block32)
        act.prepare(.block256)
    }
}
