// Dequantization of ggml's 256-element "K" super-block formats. The f32 expressions mirror Python
// gguf's numpy code (sub-block scale first, then · q, then − min) so results are bit-identical.

extension Quantization {
    /// The 6-bit scale and min of sub-block `j` (0..<8) packed in the 12 scale bytes of Q4_K/Q5_K.
    /// Packing per ggml `get_scale_min_k4`: j < 4 take the low 6 bits of bytes j and j+4; j ≥ 4 take a
    /// nibble of byte j+4 plus the top 2 bits of bytes j−4 and j.
    @inline(__always)
    static func scaleMinK4(_ j: Int, _ scales: UnsafeRawPointer) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (scales.byte(at: j) & 63, scales.byte(at: j + 4) & 63)
        }
        let packed = scales.byte(at: j + 4)
        let scale = (packed & 0x0F) | ((scales.byte(at: j - 4) >> 6) << 4)
        let min = (packed >> 4) | ((scales.byte(at: j) >> 6) << 4)
        return (scale, min)
    }

    /// The signed 6-bit scale of sub-block `i` (0..<16) packed in Q3_K's 12 scale bytes: low nibble from
    /// byte i (i < 8) or the high nibble of byte i−8, top 2 bits from byte 8 + i%4 at bit 2·(i/4).
    @inline(__always)
    static func scaleQ3_K(_ i: Int, _ scales: UnsafeRawPointer) -> Int32 {
        let low = i < 8 ? scales.byte(at: i) & 0x0F : scales.byte(at: i - 8) >> 4
        let high = (scales.byte(at: 8 + i % 4) >> UInt8(2 * (i / 4))) & 3
        return Int32(low | high << 4) - 32
    }

    // Block layout per ggml Q2_K (84 bytes): 16 scale bytes (low nibble scale, high nibble min), 64
    // bytes of 2-bit values, f16 d, f16 dmin. Element 128·h + 32·s + l is bits 2s..2s+1 of
    // qs[32·h + l]; its sub-block is element/16. x = (d · scale) · q − dmin · min.
    static func dequantizeQ2_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 84
            let out = dst + b * 256
            let d = block.half(at: 80)
            let dmin = block.half(at: 82)
            for e in 0..<256 {
                let half = e / 128, shift = (e % 128) / 32, l = e % 32
                let q = (block.byte(at: 16 + 32 * half + l) >> UInt8(2 * shift)) & 3
                let sc = block.byte(at: e / 16)
                let dl = d * Float(sc & 0x0F)
                let ml = dmin * Float(sc >> 4)
                out[e] = dl * Float(q) - ml
            }
        }
    }

    // Block layout per ggml Q3_K (110 bytes): 32 bytes hmask, 64 bytes of 2-bit values, 12 bytes of
    // packed 6-bit scales, f16 d. Element 128·h + 32·s + l: low bits as in Q2_K, high bit is bit
    // 4h + s of hmask[l]; a clear high bit subtracts 4. x = (d · scale) · q.
    static func dequantizeQ3_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 110
            let out = dst + b * 256
            let d = block.half(at: 108)
            let scales = block + 96
            for e in 0..<256 {
                let half = e / 128, shift = (e % 128) / 32, l = e % 32
                let low = Int32((block.byte(at: 32 + 32 * half + l) >> UInt8(2 * shift)) & 3)
                let high = (block.byte(at: l) >> UInt8(4 * half + shift)) & 1
                let q = low - (high == 0 ? 4 : 0)
                let dl = d * Float(scaleQ3_K(e / 16, scales))
                out[e] = dl * Float(q)
            }
        }
    }

    // Block layout per ggml Q4_K (144 bytes): f16 d, f16 dmin, 12 bytes of packed 6-bit scales/mins,
    // 128 bytes of nibbles. Element 64·c + l (l < 32) is the low nibble of qs[32c + l], element
    // 64·c + 32 + l its high nibble; sub-block = element/32. x = (d · scale) · q − dmin · min.
    static func dequantizeQ4_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 144
            let out = dst + b * 256
            let d = block.half(at: 0)
            let dmin = block.half(at: 2)
            for sub in 0..<8 {
                let (sc, mn) = scaleMinK4(sub, block + 4)
                let dl = d * Float(sc)
                let ml = dmin * Float(mn)
                let shift = UInt8(4 * (sub % 2))
                for l in 0..<32 {
                    let q = (block.byte(at: 16 + 32 * (sub / 2) + l) >> shift) & 0x0F
                    out[32 * sub + l] = dl * Float(q) - ml
                }
            }
        }
    }

    // Block layout per ggml Q5_K (176 bytes): f16 d, f16 dmin, 12 scale bytes, 32 bytes qh, 128 bytes
    // of nibbles. Like Q4_K, plus bit `sub` of qh[l] as the 5th bit of element 32·sub + l.
    static func dequantizeQ5_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 176
            let out = dst + b * 256
            let d = block.half(at: 0)
            let dmin = block.half(at: 2)
            for sub in 0..<8 {
                let (sc, mn) = scaleMinK4(sub, block + 4)
                let dl = d * Float(sc)
                let ml = dmin * Float(mn)
                let shift = UInt8(4 * (sub % 2))
                for l in 0..<32 {
                    let low = (block.byte(at: 48 + 32 * (sub / 2) + l) >> shift) & 0x0F
                    let high = (block.byte(at: 16 + l) >> UInt8(sub)) & 1
                    out[32 * sub + l] = dl * Float(low | high << 4) - ml
                }
            }
        }
    }

    // Block layout per ggml Q6_K (210 bytes): 128 bytes ql (low nibbles), 64 bytes qh (2-bit highs),
    // 16 int8 scales, f16 d. Element 128·h + 32·s + l: low nibble of ql[64h + 32(s%2) + l] shifted by
    // 4·(s/2), high bits (qh[32h + l] >> 2s) & 3; q − 32 is signed. x = (d · scale) · (q − 32).
    static func dequantizeQ6_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 210
            let out = dst + b * 256
            let d = block.half(at: 208)
            for e in 0..<256 {
                let half = e / 128, s = (e % 128) / 32, l = e % 32
                let low = (block.byte(at: 64 * half + 32 * (s % 2) + l) >> UInt8(4 * (s / 2))) & 0x0F
                let high = (block.byte(at: 128 + 32 * half + l) >> UInt8(2 * s)) & 3
                let q = Int32(low | high << 4) - 32
                let scale = Float(block.load(fromByteOffset: 192 + e / 16, as: Int8.self))
                out[e] = (d * scale) * Float(q)
            }
        }
    }

    // Block layout per ggml Q8_K (292 bytes): f32 d, 256 × int8, 16 × int16 sums of 16; x = d · q.
    static func dequantizeQ8_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 292
            let out = dst + b * 256
            let d = block.loadUnaligned(fromByteOffset: 0, as: Float.self)
            for j in 0..<256 {
                out[j] = d * Float(block.load(fromByteOffset: 4 + j, as: Int8.self))
            }
        }
    }
}
