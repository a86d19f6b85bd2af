import Foundation
import Testing
@testable import Kernels

/// RoPE against a direct rotation reference in Double, for both pairings, several rows at consecutive
/// positions, partial rotary dims, frequency factors and scaling.
@Suite struct RotaryTests {
    /// Reference: pair i of each head at position p turns by p·scale·base^(−2i/dims)/factor[i].
    static func reference(_ x: [Float], rows: Int, heads: Int, headDim: Int, dims: Int, position: Int, base: Double,
                          style: RoPEStyle, positionScale: Double = 1, factors: [Double]? = nil) -> [Double] {
        var out = x.map(Double.init)
        for r in 0..<rows {
            for h in 0..<heads {
                let v = (r * heads + h) * headDim
                for i in 0..<dims / 2 {
                    let theta = Double(position + r) * positionScale * Foundation.pow(base, -2 * Double(i) / Double(dims))
                        / (factors?[i] ?? 1)
                    let (a, b) = style == .normal ? (2 * i, 2 * i + 1) : (i, i + dims / 2)
                    let x0 = out[v + a], x1 = out[v + b]
                    out[v + a] = x0 * Foundation.cos(theta) - x1 * Foundation.sin(theta)
                    out[v + b] = x0 * Foundation.sin(theta) + x1 * Foundation.cos(theta)
                }
            }
        }
        return out
    }

    static func close(_ a: [Float], _ b: [Double], tol: Double = 3e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tol * max(1, abs($1)) }
    }

    @Test(arguments: [RoPEStyle.normal, .neox])
    func rotatesEveryRowAtItsOwnPosition(_ style: RoPEStyle) throws {
        let rows = 3, heads = 3, headDim = 16, dims = 12
        let x = TestData.gaussian(rows * heads * headDim, seed: 6)
        var y = x
        let rotary = try Rotary(dims: dims, base: 10_000, style: style)
        try rotary.apply(&y, rows: rows, heads: heads, headDim: headDim, position: 17)
        #expect(Self.close(y, Self.reference(x, rows: rows, heads: heads, headDim: headDim, dims: dims, position: 17,
                                             base: 10_000, style: style)))
        // Dimensions past `dims` pass through; position 0 is the identity.
        #expect(y[12..<16] == x[12..<16])
        var z = Array(x[0..<heads * headDim])
        try rotary.apply(&z, rows: 1, heads: heads, headDim: headDim, position: 0)
        #expect(z == Array(x[0..<heads * headDim]))
    }

    @Test func frequencyFactorsDivideTheAngles() throws {
        let factors: [Float] = [1, 2, 4, 8]
        let x = TestData.gaussian(2 * 8, seed: 7)
        var y = x
        try Rotary(dims: 8, base: 500_000, style: .normal, freqFactors: factors)
            .apply(&y, rows: 2, heads: 1, headDim: 8, position: 1000)
        #expect(Self.close(y, Self.reference(x, rows: 2, heads: 1, headDim: 8, dims: 8, position: 1000, base: 500_000,
                                             style: .normal, factors: factors.map(Double.init)), tol: 2e-3))
    }

    @Test func linearScalingDividesPositions() throws {
        let x = TestData.gaussian(16, seed: 8)
        var y = x
        try Rotary(dims: 16, base: 10_000, style: .neox, scaling: .linear(factor: 4)).apply(&y, rows: 1, heads: 1, headDim: 16, position: 40)
        #expect(Self.close(y, Self.reference(x, rows: 1, heads: 1, headDim: 16, dims: 16, position: 40, base: 10_000,
                                             style: .neox, positionScale: 0.25)))
    }

    /// YaRN at factor 1 has nothing to interpolate and a magnitude of exactly attnFactor; at a larger
    /// factor the fastest pair (i = 0, wavelength ≪ original context) is extrapolated unchanged.
    @Test func yarnKeepsHighFrequenciesAndScalesMagnitude() throws {
        let x = TestData.gaussian(32, seed: 9)
        var plain = x, yarn = x
        try Rotary(dims: 32, base: 10_000, style: .neox).apply(&plain, rows: 1, heads: 1, headDim: 32, position: 300)
        try Rotary(dims: 32, base: 10_000, style: .neox,
                   scaling: .yarn(factor: 1, originalContext: 4096, betaFast: 32, betaSlow: 1, attnFactor: 1))
            .apply(&yarn, rows: 1, heads: 1, headDim: 32, position: 300)
        #expect(zip(plain, yarn).allSatisfy { abs($0 - $1) < 1e-5 })
        var stretched = x
        let factor: Float = 4
        try Rotary(dims: 32, base: 10_000, style: .neox,
                   scaling: .yarn(factor: factor, originalContext: 4096, betaFast: 32, betaSlow: 1, attnFactor: 1))
            .apply(&stretched, rows: 1, heads: 1, headDim: 32, position: 300)
        let magnitude = 1 + 0.1 * Foundation.log(Double(factor))
        let want = Self.reference(x, rows: 1, heads: 1, headDim: 32, dims: 32, position: 300, base: 10_000, style: .neox)
        #expect(abs(Double(stretched[0]) - want[0] * magnitude) < 1e-4)
        #expect(abs(Double(stretched[16]) - want[16] * magnitude) < 1e-4)
    }

    @Test func badShapesAreRefused() throws {
        #expect(throws: KernelError.invalidDimension(name: "ropeDim", value: 15)) { try Rotary(dims: 15, base: 10_000, style: .normal) }
        #expect(throws: KernelError.self) { try Rotary(dims: 8, base: 10_000, style: .normal, freqFactors: [1, 2]) }
        var x = [Float](repeating: 0, count: 8)
        #expect(throws: KernelError.self) {
            try Rotary(dims: 8, base: 10_000, style: .normal).apply(&x, rows: 2, heads: 1, headDim: 8, position: 0)
        }
    }
}
