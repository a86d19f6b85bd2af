import Foundation
import GGUF
import Testing
import TestSupport
@testable import Kernels

/// Goldens made by scripts/goldens/kernels_quant_goldens.py with Python `gguf`.
struct QuantGoldenCase: Decodable, CustomStringConvertible {
    let kind: String
    let source: String
    let type: String
    let count: Int
    let bytes: String
    let values: String

    var ggmlType: GGMLType? { GGMLType.allCases.first { $0.description == type } }
    var rawBytes: [UInt8] { [UInt8](Data(base64Encoded: bytes) ?? Data()) }
    var floats: [Float] {
        let data = Data(base64Encoded: values) ?? Data()
        return data.withUnsafeBytes { raw in (0..<data.count / 4).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
    }
    var description: String { "\(kind) \(type) \(source)" }

    static let all: [QuantGoldenCase] = {
        struct File: Decodable { let cases: [QuantGoldenCase] }
        guard let data = try? Data(contentsOf: TestPaths.fixture("Kernels", "quant_goldens.json")),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.cases
    }()
}

@Suite struct QuantGoldenTests {
    @Test func fixtureCoversEveryTypeWithRealTensorsWhereModelsHaveThem() {
        let cases = QuantGoldenCase.all
        let synthetic = Set(cases.filter { $0.kind == "dequantize" && $0.source == "synthetic" }.compactMap(\.ggmlType))
        #expect(synthetic == Set(Quantization.supportedTypes))
        let real = Set(cases.filter { $0.source != "synthetic" }.compactMap(\.ggmlType))
        #expect(real.isSuperset(of: [.f32, .q4_1, .q5_0, .q8_0, .q4_K, .q6_K]))
        let quantized = Set(cases.filter { $0.kind == "quantize" }.compactMap(\.ggmlType))
        #expect(quantized == [.f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0])
    }

    /// Dequantization is bit-exact against gguf's numpy code: same f32 operations in the same order.
    @Test(arguments: QuantGoldenCase.all.filter { $0.kind == "dequantize" })
    func dequantizeMatchesPythonGGUFExactly(_ golden: QuantGoldenCase) throws {
        let type = try #require(golden.ggmlType)
        let got = try Quantization.dequantize(golden.rawBytes, type: type, count: golden.count)
        let want = golden.floats
        try #require(got.count == want.count)
        let mismatches = (0..<got.count).filter { got[$0].bitPattern != want[$0].bitPattern && !(got[$0].isNaN && want[$0].isNaN) }
        #expect(mismatches.isEmpty, "first mismatch at \(mismatches.first ?? -1): \(mismatches.first.map { "\(got[$0]) vs \(want[$0])" } ?? "")")
    }

    /// Quantizing gives the same bytes as gguf.quants.quantize (ggml's reference rounding rules).
    @Test(arguments: QuantGoldenCase.all.filter { $0.kind == "quantize" })
    func quantizeMatchesPythonGGUFBytes(_ golden: QuantGoldenCase) throws {
        let type = try #require(golden.ggmlType)
        let got = try Quantization.quantize(golden.floats, to: type)
        let want = golden.rawBytes
        try #require(got.count == want.count)
        let firstDiff = (0..<got.count).first { got[$0] != want[$0] }
        #expect(firstDiff == nil, "first differing byte \(firstDiff ?? -1) of \(got.count)")
    }
}
