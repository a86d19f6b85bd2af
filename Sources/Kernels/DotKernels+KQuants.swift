// Dots of 256-element K super-blocks with Q8_K-style activations (int8 q, one f32 scale da per 256,
// integer sums of every 16). Integer sums run per sub-block and are scaled by the sub-block's integer
// scale before one float multiply per super-block; mins and offsets come out through the 16-sums.

/// Σ over 32 elements of ((byte >> shift) & 0xF) · q.
@inline(__always)
func shiftedNibbleDot(_ qs: UnsafeRawPointer, _ shift: UInt8, _ q: UnsafePointer<Int8>) -> Int32 {
    var s: Int32 = 0
    for l in 0..<32 {
        s &+= Int32((qs.load(fromByteOffset: l, as: UInt8.self) >> shift) & 0x0F) &* Int32(q[l])
    }
    return s
}

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

/// Q4_K · Q8_K: d·da·Σ_j sc_j·Σ n·q − dmin·da·Σ_j m_j·Σq_j, over 8 sub-blocks of 32.
enum DotQ4_K: BlockDot {
    static var blockBytes: Int { 144 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let q = a.q + 256 * b, sums = a.sums + 16 * b
        var sumi: Int32 = 0, summ: Int32 = 0
        for j in 0..<8 {
            let (sc, m) = Quantization.scaleMinK4(j, block + 4)
            let s = shiftedNibbleDot(block + 16 + 32 * (j / 2), UInt8(4 * (j % 2)), q + 32 * j)
            sumi &+= Int32(sc) &* s
            summ &+= Int32(m) &* (sums[2 * j] &+ sums[2 * j + 1])
        }
        let da = a.d[b]
        return block.half(at: 0) * da * Float(sumi) - block.half(at: 2) * da * Float(summ)
    }
}

/// Q5_K · Q8_K: as Q4_K with the 5th bit from qh.
enum DotQ5_K: BlockDot {
    static var blockBytes: Int { 176 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let q = a.q + 256 * b, sums = a.sums + 16 * b
        var sumi: Int32 = 0, summ: Int32 = 0
        for j in 0..<8 {
            let (sc, m) = Quantization.scaleMinK4(j, block + 4)
            let shift = UInt8(4 * (j % 2)), qs = 48 + 32 * (j / 2)
            var s: Int32 = 0
            for l in 0..<32 {
                let low = (block.load(fromByteOffset: qs + l, as: UInt8.self) >> shift) & 0x0F
                let high = (block.load(fromByteOffset: 16 + l, as: UInt8.self) >> UInt8(j)) & 1
                s &+= Int32(low | high << 4) &* Int32(q[32 * j + l])
            }
            sumi &+= Int32(sc) &* s
            summ &+= Int32(m) &* (sums[2 * j] &+ sums[2 * j + 1])
        }
        let da = a.d[b]
        return block.half(at: 0) * da * Float(sumi) - block.half(at: 2) * da * Float(summ)
    }
}

/// Q6_K · Q8_K: d·da·Σ_g sc_g·(Σ n6·q − 32·Σq_g), over 16 groups of 16.
enum DotQ6_K: BlockDot {
    static var blockBytes: Int { 210 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let q = a.q + 256 * b, sums = a.sums + 16 * b
        var sumi: Int32 = 0
        for h in 0..<2 {
            for s in 0..<4 {
                let lowBase = 64 * h + 32 * (s % 2), lowShift = UInt8(4 * (s / 2))
                let highBase = 128 + 32 * h, highShift = UInt8(2 * s)
                let e = 128 * h + 32 * s
                var s0: Int32 = 0, s1: Int32 = 0
                for l in 0..<16 {
                    let lo = (block.load(fromByteOffset: lowBase + l, as: UInt8.self) >> lowShift) & 0x0F
                    let hi = (block.load(fromByteOffset: highBase + l, as: UInt8.self) >> highShift) & 3
                    s0 &+= Int32(lo | hi << 4) &* Int32(q[e + l])
                    let lo2 = (block.load(fromByteOffset: lowBase + 16 + l, as: UInt8.self) >> lowShift) & 0x0F
                    let hi2 = (block.load(fromByteOffset: highBase + 16 + l, as: UInt8.self) >> highShift) & 3
                    s1 &+= Int32(lo2 | hi2 << 4) &* Int32(q[e + 16 + l])
                }
                let g = e / 16
                let sc0 = Int32(block.load(fromByteOffset: 192 + g, as: Int8.self))
                let sc1 = Int32(block.load(fromByteOffset: 193 + g, as: Int8.self))
                sumi &+= sc0 &* (s0 &- 32 &* sums[g]) &+ sc1 &* (s1 &- 32 &* sums[g + 1])
            }
        }
        return block.half(at: 208) * a.d[b] * Float(sumi)
    }
}
