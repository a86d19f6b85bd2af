import GGUF
import Testing
@testable import Kernels

@Suite struct QuantRoundTripTests {
    /// Relative RMS error bound of quantize → dequantize on bell-shaped data, per type. Plain
    /// quantizers: bits of mantissa for the float types, the grid step for the block types (the K
    /// quantizers here skip llama.cpp's scale search, so their bounds are a little looser).
    static let bounds: [(GGMLType, Double)] = [
        (.f32, 0), (.f16, 0.001), (.bf16, 0.005), (.q8_0, 0.01), (.q5_0, 0.05), (.q5_1, 0.05),
        (.q4_0, 0.1), (.q4_1, 0.1), (.q6_K, 0.03), (.q5_K, 0.06), (.q4_K, 0.12), (.q3_K, 0.25), (.q2_K, 0.5),
    ]

    @Test(arguments: bounds)
    func roundTripErrorIsSmall(_ type: GGMLType, _ bound: Double) throws {
        let x = TestData.gaussian(4096, seed: 7, scale: 0.3)
        let bytes = try Quantization.quantize(x, to: type)
        #expect(bytes.count == type.byteCount(elements: x.count))
        let y = try Quantization.dequantize(bytes, type: type, count: x.count)
        let err = zip(x, y).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let norm = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        let relative = (err / norm).squareRoot()
        #expect(relative <= bound, "relative RMS error \(relative)")
        // The bound is not vacuous: a coarser type must show some error.
        if bound > 0.01 { #expect(relative > bound / 50) }
    }

    /// Every block type quantizes zeros to zeros (the d == 0 paths) and a constant row sensibly.
    @Test(arguments: Quantization.supportedTypes + [.q8_K])
    func zerosAndConstants(_ type: GGMLType) throws {
        let zeros = [Float](repeating: 0, count: 512)
        let z = try Quantization.dequantize(try Quantization.quantize(zeros, to: type), type: type, count: 512)
        #expect(z.allSatisfy { $0 == 0 })
        let ones = [Float](repeating: 0.25, count: 512)
        let o = try Quantization.dequantize(try Quantization.quantize(ones, to: type), type: type, count: 512)
        #expect(o.allSatisfy { abs($0 - 0.25) <= 0.25 * 0.2 }, "\(o.prefix(4))")
    }

    /// Q8_K (the activation format of K dots) follows ggml's reference: q within 1/2 step, d = max/−127,
    /// stored 16-sums equal the sums of the stored values.
    @Test func q8KLayout() throws {
        let x = TestData.gaussian(512, seed: 3)
        let bytes = try Quantization.quantize(x, to: .q8_K)
        #expect(bytes.count == 2 * 292)
        for b in 0..<2 {
            let block = Array(bytes[292 * b..<292 * (b + 1)])
            let d = block.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: Float.self) }
            let q = block[4..<260].map { Int8(bitPattern: $0) }
            let xs = x[256 * b..<256 * (b + 1)]
            let big = xs.max { abs($0) < abs($1) }!
            #expect(abs(d - big / -127) <= abs(d) * 1e-6)
            for (v, qv) in zip(xs, q) { #expect(abs(v - d * Float(qv)) <= abs(d) * 0.5001) }
            for g in 0..<16 {
                let stored = block.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 260 + 2 * g, as: Int16.self) }
                #expect(Int(stored) == q[16 * g..<16 * g + 16].reduce(0) { $0 + Int($1) })
            }
        }
    }

    @Test func badInputsThrow() {
        #expect(throws: KernelError.notBlockAligned(type: .q4_0, elements: 33)) {
            try Quantization.quantize([Float](repeating: 1, count: 33), to: .q4_0)
        }
        #expect(throws: KernelError.unsupportedType(.iq2_XXS, operation: "quantize")) {
            try Quantization.quantize([Float](repeating: 1, count: 256), to: .iq2_XXS)
        }
        #expect(throws: KernelError.byteCountMismatch(type: .q4_K, rows: 1, cols: 256, expected: 144, actual: 143)) {
            try Quantization.dequantize([UInt8](repeating: 0, count: 143), type: .q4_K, count: 256)
        }
    }

    /// NaN and infinity in the input never trap the quantizers.
    @Test(arguments: Quantization.supportedTypes)
    func nonFiniteInputDoesNotTrap(_ type: GGMLType) throws {
        var x = TestData.gaussian(256, seed: 9)
        x[3] = .nan; x[100] = .infinity; x[200] = -.infinity
        _ = try Quantization.quantize(x, to: type)
    }
}
