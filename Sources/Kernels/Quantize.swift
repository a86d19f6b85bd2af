import GGUF

extension Quantization {
    /// Quantizes `values` to `type`'s stored byte layout.
    ///
    /// F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1 and Q8_0 follow ggml's reference rounding rules and give the
    /// same bytes as Python `gguf.quants.quantize`. The K formats (Q2_K…Q6_K) use a plain min/max
    /// quantizer (no error search as llama.cpp's quantize tool does): valid blocks, somewhat larger
    /// error. Q8_K follows ggml's `quantize_row_q8_K_ref`.
    /// - Returns: `type.byteCount(elements: values.count)` bytes.
    /// - Throws: `KernelError` for unsupported types or a count that is not block-aligned.
    public static func quantize(_ values: [Float], to type: GGMLType) throws -> [UInt8] {
        guard isSupported(type) || type == .q8_K else {
            throw KernelError.unsupportedType(type, operation: "quantize")
        }
        let size = try checkedByteCount(type: type, rows: 1, cols: values.count)
        return [UInt8](unsafeUninitializedCapacity: size) { out, initialized in
            out.initialize(repeating: 0)
            values.withUnsafeBufferPointer { src in
                if let s = src.baseAddress, let d = out.baseAddress {
                    quantizeRow(type, s, UnsafeMutableRawPointer(d), count: values.count)
                }
            }
            initialized = size
        }
    }

    /// Quantizes one row into zero-initialised `dst`; callers have checked type and alignment.
    static func quantizeRow(_ type: GGMLType, _ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer,
                            count: Int) {
        let blocks = count / type.blockSize
        switch type {
        case .f32:
            for i in 0..<count { dst.storeBytes(of: src[i], toByteOffset: 4 * i, as: Float.self) }
        case .f16:
            for i in 0..<count { dst.storeBytes(of: floatToHalf(src[i]), toByteOffset: 2 * i, as: UInt16.self) }
        case .bf16:
            for i in 0..<count { dst.storeBytes(of: floatToBF16(src[i]), toByteOffset: 2 * i, as: UInt16.self) }
        case .q4_0, .q5_0:
            for b in 0..<blocks { quantizeSymmetric(src + 32 * b, dst + type.typeSize * b, bits: type == .q4_0 ? 4 : 5) }
        case .q4_1, .q5_1:
            for b in 0..<blocks { quantizeMinMax(src + 32 * b, dst + type.typeSize * b, bits: type == .q4_1 ? 4 : 5) }
        case .q8_0:
            for b in 0..<blocks { quantizeQ8_0Block(src + 32 * b, dst + 34 * b) }
        case .q2_K: for b in 0..<blocks { quantizeQ2_KBlock(src + 256 * b, dst + 84 * b) }
        case .q3_K: for b in 0..<blocks { quantizeQ3_KBlock(src + 256 * b, dst + 110 * b) }
        case .q4_K: for b in 0..<blocks { quantizeQ45_KBlock(src + 256 * b, dst + 144 * b, bits: 4) }
        case .q5_K: for b in 0..<blocks { quantizeQ45_KBlock(src + 256 * b, dst + 176 * b, bits: 5) }
        case .q6_K: for b in 0..<blocks { quantizeQ6_KBlock(src + 256 * b, dst + 210 * b) }
        case .q8_K: for b in 0..<blocks { quantizeQ8_KBlock(src + 256 * b, dst + 292 * b) }
        default: break
        }
    }

    /// Truncates a non-negative float to an integer in 0...maxValue; NaN and negatives give 0, so no
    /// input can trap the conversion.
    @inline(__always)
    static func clampedTrunc(_ v: Float, max maxValue: UInt8) -> UInt8 {
        v >= Float(maxValue) ? maxValue : (v > 0 ? UInt8(v) : 0)
    }

    /// Rounds (half away from zero, C `roundf`, unless told otherwise) and clamps to `lo...hi`;
    /// NaN gives 0.
    @inline(__always)
    static func clampedRound(_ v: Float, _ lo: Int32, _ hi: Int32,
                             _ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Int32 {
        let r = v.rounded(rule)
        if r >= Float(hi) { return hi }
        if r <= Float(lo) { return lo }
        return r == r ? Int32(r) : 0
    }

    // Q4_0/Q5_0 per ggml's reference quantizer: d = (value of largest magnitude) / −2^(bits−1),
    // q = trunc(x/d + 2^(bits−1) + 0.5) clamped to the unsigned range. The 1/d is taken before d is
    // rounded to f16, as ggml does.
    static func quantizeSymmetric(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer, bits: Int) {
        var amax: Float = 0, maxValue: Float = 0
        for j in 0..<32 where abs(x[j]) > amax {
            amax = abs(x[j]); maxValue = x[j]
        }
        let half = Float(1 << (bits - 1))
        let d = maxValue / -half
        let id: Float = d == 0 ? 0 : 1 / d
        let top = UInt8((1 << bits) - 1)
        block.storeBytes(of: floatToHalf(d), toByteOffset: 0, as: UInt16.self)
        var qh: UInt32 = 0
        let qsOffset = bits == 4 ? 2 : 6
        for j in 0..<16 {
            let lo = clampedTrunc(x[j] * id + (half + 0.5), max: top)
            let hi = clampedTrunc(x[j + 16] * id + (half + 0.5), max: top)
            block.storeBytes(of: (lo & 0x0F) | (hi << 4), toByteOffset: qsOffset + j, as: UInt8.self)
            qh |= UInt32(lo >> 4) << UInt32(j) | UInt32(hi >> 4) << UInt32(j + 16)
        }
        if bits == 5 { block.storeBytes(of: qh, toByteOffset: 2, as: UInt32.self) }
    }

    // Q4_1/Q5_1 per ggml's reference quantizer: d = (max − min) / (2^bits − 1), m = min,
    // q = trunc((x − min)/d + 0.5) clamped.
    static func quantizeMinMax(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer, bits: Int) {
        var lo = x[0], hi = x[0]
        for j in 1..<32 {
            lo = min(lo, x[j]); hi = max(hi, x[j])
        }
        let top = UInt8((1 << bits) - 1)
        let d = (hi - lo) / Float(top)
        let id: Float = d == 0 ? 0 : 1 / d
        block.storeBytes(of: floatToHalf(d), toByteOffset: 0, as: UInt16.self)
        block.storeBytes(of: floatToHalf(lo), toByteOffset: 2, as: UInt16.self)
        var qh: UInt32 = 0
        let qsOffset = bits == 4 ? 4 : 8
        for j in 0..<16 {
            let a = clampedTrunc((x[j] - lo) * id + 0.5, max: top)
            let b = clampedTrunc((x[j + 16] - lo) * id + 0.5, max: top)
            block.storeBytes(of: (a & 0x0F) | (b << 4), toByteOffset: qsOffset + j, as: UInt8.self)
            qh |= UInt32(a >> 4) << UInt32(j) | UInt32(b >> 4) << UInt32(j + 16)
        }
        if bits == 5 { block.storeBytes(of: qh, toByteOffset: 4, as: UInt32.self) }
    }

    // Q8_0 per ggml's reference quantizer: d = amax/127, q = roundf(x/d).
    static func quantizeQ8_0Block(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d == 0 ? 0 : 1 / d
        block.storeBytes(of: floatToHalf(d), toByteOffset: 0, as: UInt16.self)
        for j in 0..<32 {
            block.storeBytes(of: Int8(clampedRound(x[j] * id, -127, 127)), toByteOffset: 2 + j, as: Int8.self)
        }
    }

    // Q8_K per ggml's `quantize_row_q8_K_ref`: scale from the value of largest magnitude
    // (iscale = −127/max), q = min(127, nearest-even(iscale·x)), d = 1/iscale, bsums = sums of 16.
    static func quantizeQ8_KBlock(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        var amax: Float = 0, maxValue: Float = 0
        for j in 0..<256 where abs(x[j]) > amax {
            amax = abs(x[j]); maxValue = x[j]
        }
        guard amax > 0 else { return }
        let iscale = -127 / maxValue
        for g in 0..<16 {
            var sum: Int32 = 0
            for j in 16 * g..<16 * g + 16 {
                let q = clampedRound(iscale * x[j], -128, 127, .toNearestOrEven)
                block.storeBytes(of: Int8(q), toByteOffset: 4 + j, as: Int8.self)
                sum &+= q
            }
            block.storeBytes(of: Int16(sum), toByteOffset: 260 + 2 * g, as: Int16.self)
        }
        block.storeBytes(of: 1 / iscale, toByteOffset: 0, as: Float.self)
    }
}
