import Foundation
import Testing
@testable import Kernels

/// Each op against a scalar reference written independently in Double.
@Suite struct OpsTests {
    static func close(_ a: [Float], _ b: [Double], tol: Double) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tol * max(1, abs($1)) }
    }

    @Test func rmsNormMatchesReference() throws {
        let n = 96
        var x = TestData.gaussian(3 * n, seed: 1, scale: 2)
        let w = TestData.gaussian(n, seed: 2)
        var want: [Double] = []
        for r in 0..<3 {
            let row = x[r * n..<(r + 1) * n].map(Double.init)
            let rms = (row.reduce(0) { $0 + $1 * $1 } / Double(n) + 1e-5).squareRoot()
            want += row.enumerated().map { $1 / rms * Double(w[$0]) }
        }
        try Ops.rmsNorm(&x, weight: w, eps: 1e-5)
        #expect(Self.close(x, want, tol: 1e-5))
        #expect(throws: KernelError.shapeMismatch(operation: "rmsNorm", expected: 7, actual: 288)) {
            try Ops.rmsNorm(&x, weight: [Float](repeating: 1, count: 7), eps: 1e-5)
        }
    }

    @Test func softmaxMatchesReferenceAndHandlesMaskedRows() throws {
        var x = TestData.gaussian(40, seed: 3, scale: 5)
        x[3] = -.infinity
        let want = (0..<2).flatMap { r -> [Double] in
            let row = x[r * 20..<(r + 1) * 20].map(Double.init)
            let m = row.max()!
            let e = row.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
        try Ops.softmax(&x, rowLength: 20)
        #expect(Self.close(x, want, tol: 1e-6))
        #expect(x[3] == 0)
        var masked = [Float](repeating: -.infinity, count: 8)
        try Ops.softmax(&masked, rowLength: 8)
        #expect(masked == [Float](repeating: 0, count: 8))
    }

    @Test func gatedActivationsMatchReference() throws {
        let x = TestData.gaussian(200, seed: 4, scale: 4) + [-12, -10, 10, 25]
        let up = TestData.gaussian(204, seed: 5)
        let silu = x.map { Double($0) / (1 + Foundation.exp(-Double($0))) }
        let gelu = x.map { v -> Double in
            let d = Double(v)
            return 0.5 * d * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d)))
        }
        var sm = x, gm = x
        try Ops.siluMul(&sm, up)
        try Ops.geluMul(&gm, up)
        #expect(Self.close(sm, zip(silu, up).map { $0 * Double($1) }, tol: 1e-6))
        // GELU goes through f16 twice, as in ggml: about 3 significant digits.
        #expect(Self.close(gm, zip(gelu, up).map { $0 * Double($1) }, tol: 2e-3))
        #expect(gm[200] == 0 && gm[201] == 0)
        #expect(gm[202] == 10 * up[202] && gm[203] == 25 * up[203])
        #expect(throws: KernelError.shapeMismatch(operation: "geluMul", expected: 204, actual: 3)) { try Ops.geluMul(&gm, [1, 2, 3]) }
    }

    @Test func elementwiseOps() throws {
        var a: [Float] = [1, 2, 3], b: [Float] = [4, 5, 6]
        try Ops.add(&a, b)
        #expect(a == [5, 7, 9])
        try Ops.mul(&a, b)
        #expect(a == [20, 35, 54])
        Ops.scale(&a, by: 0.5)
        #expect(a == [10, 17.5, 27])
        #expect(throws: KernelError.shapeMismatch(operation: "add", expected: 3, actual: 2)) { try Ops.add(&a, [1, 2]) }
    }
}
