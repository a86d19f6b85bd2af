// Dequantization of ggml's 32-element block formats. Element j < 16 of a block comes from the low
// nibble of byte j, element j + 16 from its high nibble. The f32 expressions mirror Python gguf's
// numpy code term by term so results are bit-identical.

extension Quantization {
    // Block layout per ggml Q4_0 (18 bytes): f16 d, 16 bytes of nibbles; x = d · (q − 8).
    static func dequantizeQ4_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 18
            let out = dst + b * 32
            let d = block.half(at: 0)
            for j in 0..<16 {
                let byte = block.byte(at: 2 + j)
                out[j] = d * Float(Int(byte & 0x0F) - 8)
                out[j + 16] = d * Float(Int(byte >> 4) - 8)
            }
        }
    }

    // Block layout per ggml Q4_1 (20 bytes): f16 d, f16 m, 16 bytes of nibbles; x = d · q + m.
    static func dequantizeQ4_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 20
            let out = dst + b * 32
            let d = block.half(at: 0)
            let m = block.half(at: 2)
            for j in 0..<16 {
                let byte = block.byte(at: 4 + j)
                out[j] = d * Float(byte & 0x0F) + m
                out[j + 16] = d * Float(byte >> 4) + m
            }
        }
    }

    // Block layout per ggml Q5_0 (22 bytes): f16 d, u32 qh (bit j = 5th bit of element j), 16 bytes
    // of nibbles; x = d · (q − 16).
    static func dequantizeQ5_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 22
            let out = dst + b * 32
            let d = block.half(at: 0)
            let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
            for j in 0..<16 {
                let byte = block.byte(at: 6 + j)
                let lo = Int(byte & 0x0F) | Int((qh >> UInt32(j)) & 1) << 4
                let hi = Int(byte >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
                out[j] = d * Float(lo - 16)
                out[j + 16] = d * Float(hi - 16)
            }
        }
    }

    // Block layout per ggml Q5_1 (24 bytes): f16 d, f16 m, u32 qh, 16 bytes of nibbles; x = d · q + m.
    static func dequantizeQ5_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 24
            let out = dst + b * 32
            let d = block.half(at: 0)
            let m = block.half(at: 2)
            let qh = block.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            for j in 0..<16 {
                let byte = block.byte(at: 8 + j)
                let lo = UInt32(byte & 0x0F) | ((qh >> UInt32(j)) & 1) << 4
                let hi = UInt32(byte >> 4) | ((qh >> UInt32(j + 16)) & 1) << 4
                out[j] = d * Float(lo) + m
                out[j + 16] = d * Float(hi) + m
            }
        }
    }

    // Block layout per ggml Q8_0 (34 bytes): f16 d, 32 × int8; x = q · d.
    static func dequantizeQ8_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
        for b in 0..<blocks {
            let block = src + b * 34
            let out = dst + b * 32
            let d = block.half(at: 0)
            for j in 0..<32 {
                out[j] = Float(block.load(fromByteOffset: 2 + j, as: Int8.self)) * d
            }
        }
    }
}
