import RealModule

// Q4_0, Q4_1, Q5_0 and Q5_1 dots four blocks at a time over 32-bit word lanes, as the K formats do
// (DotKernels+KLanes.swift): the 16 nibble bytes of four blocks are 16 UInt32 lanes (lane k: word
// k%4 of block k/4). A lane's low (then high) nibbles, with their 5th bits for Q5, sit one per
// byte; byte i masked in place is q·2^8i exactly as a float and multiplies its activation, which
// `QuantizedActivations` keeps in that order with 2^−8i divided out (`ActivationFormat.lanes32`).
// 16 values cost a mask, a conversion and an FMA, and the four blocks' d form one scale vector,
// where the per-block kernel widened bytes and broadcast d for every block. The 5th bits of a
// lane's four low nibbles are qh bits 4w…4w+3 (w = k%4), spread to bit 4 of each byte by one
// multiply (b·0x02040810 puts bit i at 8i + 4; the and drops the cross terms), the high ones the
// same from bit 16 + 4w. The remaining blocks of a row (fewer than four) run the per-block
// `LaneDot` kernel.

/// A 32-element format whose block is an f16 d, maybe an f16 m and a u32 of 5th bits, then 16
/// bytes of nibbles (element l < 16 the low nibble of byte l, 16 + l its high nibble).
protocol NibbleQuadDot: LaneDot {
    /// Where the nibble bytes start in a block.
    static var nibbleOffset: Int { get }
    /// Where the u32 of 5th bits is (bit l for element l), or nil for 4-bit formats.
    static var highBitsOffset: Int? { get }
    /// The block's per-block term per unit of the activations' block sum: m (Q4_1, Q5_1), −8d
    /// (Q4_0) or −16d (Q5_0).
    static func offsetScale(_ block: UnsafeRawPointer) -> Float
}

extension DotKernels {
    /// `out[r] = Σ_b Σ w·x` for `n` rows starting at `w` (`stride` bytes apart): groups of four
    /// blocks in word lanes (`a.lanes`, `a.groupSums`), then the rest per block (`a.x`).
    @inline(never)
    static func quadRows<K: NibbleQuadDot>(_: K.Type, _ w: UnsafeRawPointer, stride: Int, rows n: Int, blocks: Int,
                                           _ a: ActivationRow, _ out: UnsafeMutablePointer<Float>) {
        let quads = blocks / 4
        @inline(__always) func group(_ row: UnsafeRawPointer, _ g: Int, _ acc: inout SIMD16<Float>, _ offsets: inout SIMD4<Float>) {
            withPointers(&acc, &offsets) { quad(K.self, row + 4 * g * K.blockBytes, a.lanes + 128 * g, a.groupSums + 4 * g, $0, $1) }
        }
        for r in 0..<n {
            let row = w + r * stride
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), o0 = SIMD4<Float>(), o1 = SIMD4<Float>()
            var g = 0
            while g + 2 <= quads {
                group(row, g, &a0, &o0)
                group(row, g + 1, &a1, &o1)
                g += 2
            }
            if g < quads { group(row, g, &a0, &o0) }
            for b in 4 * quads..<blocks {
                let block = row + b * K.blockBytes
                withPointers(&a1, &o1) { acc, offsets in
                    K.accumulate(block, a.x + 32 * b, acc)
                    offsets[0] = Relaxed.multiplyAdd(K.offsetScale(block), a.groupSums[b], offsets[0])
                }
            }
            let o = o0 + o1
            out[r] = ((o[0] + o[2]) + (o[1] + o[3])) + horizontalSum(a0 + a1)
        }
    }

    /// Four blocks from `first`: their nibbles times `x` (the group's 128 reordered activations)
    /// into `acc`, their offset terms (with the blocks' activation sums `sums`) into `offsets`.
    @inline(__always)
    static func quad<K: NibbleQuadDot>(_: K.Type, _ first: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                                       _ acc: UnsafeMutablePointer<Float>, _ offsets: UnsafeMutablePointer<Float>) {
        @inline(__always) func block(_ i: Int) -> UnsafeRawPointer { first + i * K.blockBytes }
        @inline(__always) func nibbles(_ i: Int) -> SIMD4<UInt32> {
            block(i).loadUnaligned(fromByteOffset: K.nibbleOffset, as: SIMD4<UInt32>.self)
        }
        let words = SIMD16(lowHalf: SIMD8(lowHalf: nibbles(0), highHalf: nibbles(1)), highHalf: SIMD8(lowHalf: nibbles(2), highHalf: nibbles(3)))
        let d = SIMD4(block(0).half(at: 0), block(1).half(at: 0), block(2).half(at: 0), block(3).half(at: 0))
        let scales = SIMD16(d[0], d[0], d[0], d[0], d[1], d[1], d[1], d[1], d[2], d[2], d[2], d[2], d[3], d[3], d[3], d[3])
        let h = K.highBitsOffset.map { o in
            SIMD4(block(0).loadUnaligned(fromByteOffset: o, as: UInt32.self), block(1).loadUnaligned(fromByteOffset: o, as: UInt32.self),
                  block(2).loadUnaligned(fromByteOffset: o, as: UInt32.self), block(3).loadUnaligned(fromByteOffset: o, as: UInt32.self))
        } ?? SIMD4()
        let highBits = SIMD16(h[0], h[0], h[0], h[0], h[1], h[1], h[1], h[1], h[2], h[2], h[2], h[2], h[3], h[3], h[3], h[3])
        // The sums go to a local first: written straight into `acc`, which the compiler cannot
        // prove apart from `x`, the loop got a runtime overlap check and ran its scalar version.
        var blk = SIMD16<Float>()
        withUnsafeBytes(of: words) { words in
            withUnsafeBytes(of: highBits) { highBits in
                withUnsafeMutableBytes(of: &blk) { raw in
                    let q = words.baseAddress!.assumingMemoryBound(to: UInt32.self), p = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                    let qh = highBits.baseAddress!.assumingMemoryBound(to: UInt32.self)
                    quadLanes(q, qh, K.highBitsOffset != nil, x, p)
                    withUnsafeBytes(of: scales) { scales in
                        let s = scales.baseAddress!.assumingMemoryBound(to: Float.self)
                        for k in 0..<16 { acc[k] = Relaxed.multiplyAdd(s[k], p[k], acc[k]) }
                    }
                }
            }
        }
        for i in 0..<4 { offsets[i] = Relaxed.multiplyAdd(K.offsetScale(block(i)), sums[i], offsets[i]) }
    }
}

/// The nibbles of a quad's words (with their 5th bits from `qh` when `fiveBits`) times their
/// activations, into `blk`: the low nibbles of lane k, then its high ones, in one sum.
@inline(__always)
private func quadLanes(_ q: UnsafePointer<UInt32>, _ qh: UnsafePointer<UInt32>, _ fiveBits: Bool,
                       _ x: UnsafePointer<Float>, _ blk: UnsafeMutablePointer<Float>) {
    // Bits 0–4 of each byte: the nibble, then (5-bit formats) the spread 5th bit. The product's
    // parts sit at bits 4–7, 11–14, 18–21 and 25–28 (no carries); the rest of each byte is masked
    // off below.
    @inline(__always) func values(_ k: Int, high: Bool) -> UInt32 {
        let nibbles = high ? q[k] &>> 4 : q[k]
        return fiveBits
            ? (nibbles & 0x0F0F_0F0F) | (((qh[k] &>> UInt32(truncatingIfNeeded: (high ? 16 : 0) + 4 * (k % 4))) & 15) &* 0x0204_0810 & 0xF0F0_F0F0)
            : nibbles & 0x0F0F_0F0F
    }
    for k in 0..<16 {
        let low = values(k, high: false), high = values(k, high: true)
        blk[k] = DotKernels.dot4(low & 0x1F, low & 0x1F00, low & 0x1F_0000, low & 0x1F00_0000, x + k, stride: 32)
            + DotKernels.dot4(high & 0x1F, high & 0x1F00, high & 0x1F_0000, high & 0x1F00_0000, x + 16 + k, stride: 32)
    }
}

extension LaneQ4_0: NibbleQuadDot {
    static var nibbleOffset: Int { 2 }
    static var highBitsOffset: Int? { nil }
    @inline(__always)
    static func offsetScale(_ block: UnsafeRawPointer) -> Float { -8 * block.half(at: 0) }
}

extension LaneQ4_1: NibbleQuadDot {
    static var nibbleOffset: Int { 4 }
    static var highBitsOffset: Int? { nil }
    @inline(__always)
    static func offsetScale(_ block: UnsafeRawPointer) -> Float { block.half(at: 2) }
}

extension LaneQ5_0: NibbleQuadDot {
    static var nibbleOffset: Int { 6 }
    static var highBitsOffset: Int? { 2 }
    @inline(__always)
    static func offsetScale(_ block: UnsafeRawPointer) -> Float { -16 * block.half(at: 0) }
}

extension LaneQ5_1: NibbleQuadDot {
    static var nibbleOffset: Int { 8 }
    static var highBitsOffset: Int? { 4 }
    @inline(__always)
    static func offsetScale(_ block: UnsafeRawPointer) -> Float { block.half(at: 2) }
}
