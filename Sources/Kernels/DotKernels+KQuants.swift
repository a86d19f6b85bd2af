// Dots of 256-element K super-blocks with Q8_K-style activations (int8 q, one f32 scale da per 256,
// integer sums of every 16). Integer sums run per sub-block and are scaled by the sub-block's integer
// scale before one float multiply per super-block; mins and offsets come out through the 16-sums.

/// Q2_K · Q8_K: d·da·Σ_g sc_g·Σ n·q − dmin·da·Σ_g m_g·Σq_g, over 16 groups of 16.
enum DotQ2_K: BlockDot {
    static var blockBytes: Int { 84 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let q = a.q + 256 * b, sums = a.sums + 16 * b
        var sumi: Int32 = 0, summ: Int32 = 0
        for g in 0..<16 {
            let half = g / 8, shift = UInt8(2 * ((g % 8) / 2)), base = 16 + 32 * half + 16 * (g % 2)
            var s: Int32 = 0
            for l in 0..<16 {
                s &+= Int32((block.load(fromByteOffset: base + l, as: UInt8.self) >> shift) & 3) &* Int32(q[16 * g + l])
            }
            let sc = block.load(fromByteOffset: g, as: UInt8.self)
            sumi &+= Int32(sc & 0x0F) &* s
            summ &+= Int32(sc >> 4) &* sums[g]
        }
        let da = a.d[b]
        return block.half(at: 80) * da * Float(sumi) - block.half(at: 82) * da * Float(summ)
    }
}

/// Q3_K · Q8_K: d·da·Σ_g sc_g·(Σ n·q − 4·Σ_{high bit clear} q).
enum DotQ3_K: BlockDot {
    static var blockBytes: Int { 110 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let q = a.q + 256 * b
        var sumi: Int32 = 0
        for g in 0..<16 {
            let half = g / 8, sub = (g % 8) / 2, base = 16 * (g % 2)
            let shift = UInt8(2 * sub), bit = UInt8(4 * half + sub)
            var s: Int32 = 0, missing: Int32 = 0
            for l in 0..<16 {
                let low = Int32((block.load(fromByteOffset: 32 + 32 * half + base + l, as: UInt8.self) >> shift) & 3)
                let high = Int32((block.load(fromByteOffset: base + l, as: UInt8.self) >> bit) & 1)
                let x = Int32(q[16 * g + l])
                s &+= low &* x
                missing &+= (1 &- high) &* x
            }
            sumi &+= Quantization.scaleQ3_K(g, block + 96) &* (s &- 4 &* missing)
        }
        return block.half(at: 108) * a.d[b] * Float(sumi)
    }
}
