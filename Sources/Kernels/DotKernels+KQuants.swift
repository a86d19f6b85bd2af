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

/// Q6_K · Q8_K: d·da·Σ_g sc_g·(Σ n6·q − 32·Σq_g), over 16 groups of 16. Each loop keeps the four
/// groups that share a byte of qh.
enum DotQ6_K: BlockDot {
    static var blockBytes: Int { 210 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let q = a.q + 256 * b, sums = a.sums + 16 * b
        let ql = block.assumingMemoryBound(to: UInt8.self)
        let qh = (block + 128).assumingMemoryBound(to: UInt8.self)
        let sc = (block + 192).assumingMemoryBound(to: Int8.self)
        var sumi: Int32 = 0
        // Group 8h + 2s + k covers elements 128h + 32s + 16k ..< +16 (s = which 2 bits of qh).
        for h in 0..<2 {
            for k in 0..<2 {
                let l = ql + 64 * h + 16 * k, hb = qh + 32 * h + 16 * k, x = q + 128 * h + 16 * k
                var s0: Int32 = 0, s1: Int32 = 0, s2: Int32 = 0, s3: Int32 = 0
                for j in 0..<16 {
                    let hv = hb[j], lo = l[j], lo2 = l[j + 32]
                    s0 &+= Int32((lo & 0x0F) | (hv & 3) << 4) &* Int32(x[j])
                    s1 &+= Int32((lo2 & 0x0F) | ((hv >> 2) & 3) << 4) &* Int32(x[j + 32])
                    s2 &+= Int32((lo >> 4) | ((hv >> 4) & 3) << 4) &* Int32(x[j + 64])
                    s3 &+= Int32((lo2 >> 4) | ((hv >> 6) & 3) << 4) &* Int32(x[j + 96])
                }
                let g = 8 * h + k
                sumi &+= Int32(sc[g]) &* (s0 &- 32 &* sums[g]) &+ Int32(sc[g + 2]) &* (s1 &- 32 &* sums[g + 2])
                    &+ Int32(sc[g + 4]) &* (s2 &- 32 &* sums[g + 4]) &+ Int32(sc[g + 6]) &* (s3 &- 32 &* sums[g + 6])
            }
        }
        return block.half(at: 208) * a.d[b] * Float(sumi)
    }
}
