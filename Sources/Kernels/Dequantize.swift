import GGUF

/// Conversions between ggml's stored formats and f32.
///
/// Every supported format dequantizes bit-exactly to what Python `gguf.quants.dequantize` returns
/// (both compute the same f32 products in the same order). Supported types: F32, F16, BF16, Q4_0,
/// Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K and the activation format Q8_K.
public enum Quantization {
    /// The weight types this module can dequantize, quantize and multiply.
    public static let supportedTypes: [GGMLType] = [
        .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K,
    ]

    /// Whether `type` has dequantize, quantize and dot kernels here.
    public static func isSupported(_ type: GGMLType) -> Bool {
        supportedTypes.contains(type)
    }

    /// Dequantizes `count` elements stored as `type` in `bytes`.
    /// - Returns: `count` f32 values.
    /// - Throws: `KernelError` when the type is unsupported, `count` is not block-aligned, or `bytes`
    ///   has the wrong size.
    public static func dequantize(_ bytes: [UInt8], type: GGMLType, count: Int) throws -> [Float] {
        let expected = try checkedByteCount(type: type, rows: 1, cols: count)
        guard bytes.count == expected else {
            throw KernelError.byteCountMismatch(type: type, rows: 1, cols: count, expected: expected,
                                                actual: bytes.count)
        }
        guard isSupported(type) || type == .q8_K else {
            throw KernelError.unsupportedType(type, operation: "dequantize")
        }
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress, let dst = out.baseAddress {
                    dequantizeRow(type, base, dst, count: count)
                }
            }
            initialized = count
        }
    }

    /// Bytes for a `rows × cols` matrix of `type`, or a `KernelError` naming what is wrong.
    static func checkedByteCount(type: GGMLType, rows: Int, cols: Int) throws -> Int {
        guard rows >= 0 else { throw KernelError.invalidDimension(name: "rows", value: rows) }
        guard cols >= 0 else { throw KernelError.invalidDimension(name: "cols", value: cols) }
        guard let rowBytes = type.byteCount(elements: cols) else {
            throw KernelError.notBlockAligned(type: type, elements: cols)
        }
        let (total, overflow) = rowBytes.multipliedReportingOverflow(by: rows)
        guard !overflow else { throw KernelError.invalidDimension(name: "rows×cols", value: rows) }
        return total
    }

    /// Dequantizes one row; `count` must be a multiple of the block size and `type` supported
    /// (callers check both).
    static func dequantizeRow(_ type: GGMLType, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>,
                              count: Int) {
        let blocks = count / type.blockSize
        switch type {
        case .f32:
            for i in 0..<count { dst[i] = src.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
        case .f16:
            for i in 0..<count { dst[i] = src.half(at: 2 * i) }
        case .bf16:
            for i in 0..<count { dst[i] = bf16ToFloat(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .q4_0: dequantizeQ4_0(src, dst, blocks: blocks)
        case .q4_1: dequantizeQ4_1(src, dst, blocks: blocks)
        case .q5_0: dequantizeQ5_0(src, dst, blocks: blocks)
        case .q5_1: dequantizeQ5_1(src, dst, blocks: blocks)
        case .q8_0: dequantizeQ8_0(src, dst, blocks: blocks)
        case .q2_K: dequantizeQ2_K(src, dst, blocks: blocks)
        case .q3_K: dequantizeQ3_K(src, dst, blocks: blocks)
        case .q4_K: dequantizeQ4_K(src, dst, blocks: blocks)
        case .q5_K: dequantizeQ5_K(src, dst, blocks: blocks)
        case .q6_K: dequantizeQ6_K(src, dst, blocks: blocks)
        case .q8_K: dequantizeQ8_K(src, dst, blocks: blocks)
        default: break
        }
    }
}
