import GGUF

/// Row dequantization for the GEMM's weight panels. The GEMM dequantizes every weight once per
/// 128 activation rows, so this has to run at several elements per cycle: the K formats get loops
/// here whose shifts and scales are constant per 16/32 elements (they vectorize); the general
/// `Quantization.dequantizeRow` computes them per element. Values are bit-identical to it (same
/// f32 expressions in the same order).
enum GemmDequantize {
    /// `count` elements of one row (`src` at a block boundary) as f32 into `dst`.
    @inline(__always)
    static func row(_ type: GGMLType, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        switch type {
        case .q4_K: q4K(src, dst, blocks: count / 256)
        case .q5_K: q5K(src, dst, blocks: count / 256)
        case .q6_K: q6K(src, dst, blocks: count / 256)
        default: Quantization.dequantizeRow(type, src, dst, count: count)
        }
    }

    // Block layout per ggml Q4_K (144 bytes): f16 d, f16 dmin, 12 bytes of 6-bit scales/mins, 128
    // bytes of nibbles; bytes 32c..<32c+32 hold sub-block 2c (low nibbles) and 2c+1 (high).
    static func q4K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 144
            let out = dst + b * 256
            let d = block.half(at: 0), dmin = block.half(at: 2)
            let qs = (block + 16).assumingMemoryBound(to: UInt8.self)
            for c in 0..<4 {
                let (s0, m0) = Quantization.scaleMinK4(2 * c, block + 4)
                let (s1, m1) = Quantization.scaleMinK4(2 * c + 1, block + 4)
                let d0 = d * Float(s0), n0 = dmin * Float(m0), d1 = d * Float(s1), n1 = dmin * Float(m1)
                let q = qs + 32 * c, o = out + 64 * c
                for l in 0..<32 {
                    o[l] = d0 * Float(q[l] & 0x0F) - n0
                    o[32 + l] = d1 * Float(q[l] >> 4) - n1
                }
            }
        }
    }

    // Block layout per ggml Q5_K (176 bytes): as Q4_K with 32 bytes qh at 16 (bit s of qh[l] is the
    // 5th bit of element 32s + l) and the nibbles at 48.
    static func q5K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 176
            let out = dst + b * 256
            let d = block.half(at: 0), dmin = block.half(at: 2)
            let qh = (block + 16).assumingMemoryBound(to: UInt8.self)
            let qs = (block + 48).assumingMemoryBound(to: UInt8.self)
            for c in 0..<4 {
                let (s0, m0) = Quantization.scaleMinK4(2 * c, block + 4)
                let (s1, m1) = Quantization.scaleMinK4(2 * c + 1, block + 4)
                let d0 = d * Float(s0), n0 = dmin * Float(m0), d1 = d * Float(s1), n1 = dmin * Float(m1)
                let q = qs + 32 * c, o = out + 64 * c
                let shift0 = UInt8(2 * c), shift1 = UInt8(2 * c + 1)
                for l in 0..<32 {
                    let h = qh[l]
                    o[l] = d0 * Float((q[l] & 0x0F) | ((h >> shift0) & 1) << 4) - n0
                    o[32 + l] = d1 * Float((q[l] >> 4) | ((h >> shift1) & 1) << 4) - n1
                }
            }
        }
    }

    // Block layout per ggml Q6_K (210 bytes): 128 bytes ql, 64 bytes qh, 16 int8 scales, f16 d.
    // Element 128h + 32s + l: nibble (ql[64h + 32(s%2) + l] >> 4(s/2)) & 15, high bits
    // (qh[32h + l] >> 2s) & 3; scale index = element / 16. x = (d · scale) · (q − 32).
    static func q6K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 210
            let out = dst + b * 256
            let d = block.half(at: 208)
            let ql = block.assumingMemoryBound(to: UInt8.self)
            let qh = ql + 128
            let scales = (block + 192).assumingMemoryBound(to: Int8.self)
            for h in 0..<2 {
                for s in 0..<4 {
                    let lo = ql + 64 * h + 32 * (s % 2), hi = qh + 32 * h
                    let shiftLow = UInt8(4 * (s / 2)), shiftHigh = UInt8(2 * s)
                    let o = out + 128 * h + 32 * s
                    let scale0 = d * Float(scales[8 * h + 2 * s]), scale1 = d * Float(scales[8 * h + 2 * s + 1])
                    for l in 0..<16 {
                        let q = Int32(((lo[l] >> shiftLow) & 0x0F) | ((hi[l] >> shiftHigh) & 3) << 4) - 32
                        o[l] = scale0 * Float(q)
                    }
                    for l in 16..<32 {
                        let q = Int32(((lo[l] >> shiftLow) & 0x0F) | ((hi[l] >> shiftHigh) & 3) << 4) - 32
                        o[l] = scale1 * Float(q)
                    }
                }
            }
        }
    }
}
