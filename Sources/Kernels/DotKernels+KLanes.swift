import RealModule

// Q4_K, Q5_K and Q6_K dots in f32 lanes over 32-bit words of the stored bits.
//
// A block's low 4 bits are read 64 bytes at a time as 16 little-endian UInt32 lanes. Lane k's
// nibble j (bits 4j…4j+3) is masked in place, which as a float is exactly n·16^j, and multiplied by
// the activation it belongs to; `QuantizedActivations` stores those activations in the matching
// order with that power of two divided out (`ActivationFormat.lanesK4`, `.lanesK6`). So 16 values cost a mask, a
// conversion and an FMA (plus an OR of the high bits for Q5_K and Q6_K): no byte widening. Lanes
// 0–7 and 8–15 of a word vector come from different sub-blocks, so the sub-block scales are one
// 16-lane vector per four nibble positions instead of a broadcast per sub-block. Sums run per block
// in f32 lanes and are scaled by the block's d once; mins and offsets come from the activations'
// float group sums. Byte widening and per-sub-block broadcasts (shuffles) bound the kernels this
// replaces; measured here on one core from L2, GB/s of weights: Q4_K 11.1 → 14.2, Q5_K 12.1 →
// 14.3, Q6_K 9.4 → 23.8 (its int8 kernel summed every 16 values horizontally).

/// A K format's block as lane products (see above).
protocol KLaneDot {
    /// Stored bytes per 256-element block.
    static var blockBytes: Int { get }
    /// Float group sums per block in the activation format (8 per 32 or 16 per 16).
    static var groupsPerBlock: Int { get }
    /// Adds Σ w·x over the block into the 16 floats at `acc`, and the block's min or offset terms
    /// into the 16 floats at `offsets` (`x`: the block's reordered activations, `sums`: its groups').
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                           _ acc: UnsafeMutablePointer<Float>, _ offsets: UnsafeMutablePointer<Float>)
}

extension DotKernels {
    /// `out[r] = Σ_b Σ w·x` for `n` rows starting at `w` (`stride` bytes apart), one row at a time,
    /// two blocks per step into separate accumulators.
    @inline(never)
    static func kLaneRows<K: KLaneDot>(_: K.Type, _ w: UnsafeRawPointer, stride: Int, rows n: Int, blocks: Int,
                                       _ a: ActivationRow, _ out: UnsafeMutablePointer<Float>) {
        let groups = K.groupsPerBlock
        @inline(__always) func block(_ row: UnsafeRawPointer, _ b: Int, _ acc: inout SIMD16<Float>, _ offsets: inout SIMD16<Float>) {
            withPointers(&acc, &offsets) { K.accumulate(row + b * K.blockBytes, a.lanes + 256 * b, a.groupSums + groups * b, $0, $1) }
        }
        for r in 0..<n {
            let row = w + r * stride
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), o0 = SIMD16<Float>(), o1 = SIMD16<Float>()
            var b = 0
            while b + 2 <= blocks {
                block(row, b, &a0, &o0)
                block(row, b + 1, &a1, &o1)
                b += 2
            }
            if b < blocks { block(row, b, &a0, &o0) }
            out[r] = horizontalSum((a0 + a1) + (o0 + o1))
        }
    }

    /// Pointer views of two register-held accumulators for one call of a plain loop (kept to the
    /// call: held across a row's blocks, they stayed in memory, a store-to-load chain per block).
    @inline(__always)
    static func withPointers<A, B>(_ a: inout A, _ b: inout B, _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        withUnsafeMutableBytes(of: &a) { a in
            withUnsafeMutableBytes(of: &b) { b in
                body(a.baseAddress!.assumingMemoryBound(to: Float.self), b.baseAddress!.assumingMemoryBound(to: Float.self))
            }
        }
    }

    /// `offsets[j] −= dmin · m_j · sums[j]` for the 8 sub-block mins of a Q4_K/Q5_K block (scale
    /// bytes 4…7 and 8…11 as words `w1`, `w2`), as SIMD8 operations: written as a loop, the two
    /// packings (mins 0–3, 4–7) did not vectorize. The small integers become floats exactly as
    /// 2²³ + m − 2²³ (a generic SIMD conversion would not compile to one instruction).
    @inline(__always)
    static func minsK4(_ dmin: Float, _ w1: UInt32, _ w2: UInt32, _ sums: UnsafePointer<Float>, _ offsets: UnsafeMutablePointer<Float>) {
        let shifts = SIMD4<UInt32>(0, 8, 16, 24), a = SIMD4(repeating: w1), b = SIMD4(repeating: w2)
        let low = (a &>> shifts) & 63
        let high = ((b &>> (shifts &+ 4)) & 15) | ((a &>> (shifts &+ 2)) & 48)
        let mins = unsafeBitCast(SIMD8(lowHalf: low, highHalf: high) | 0x4B00_0000, to: SIMD8<Float>.self) - 8_388_608
        let current = UnsafeRawPointer(offsets).loadUnaligned(as: SIMD8<Float>.self)
        let groupSums = UnsafeRawPointer(sums).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(offsets).storeBytes(of: current - (dmin * mins) * groupSums, as: SIMD8<Float>.self)
    }

    /// Σ Float(v_i) · x[i · stride] for four masked words (the values in place, exact as floats).
    @inline(__always)
    static func dot4(_ v0: UInt32, _ v1: UInt32, _ v2: UInt32, _ v3: UInt32, _ x: UnsafePointer<Float>, stride: Int) -> Float {
        var t = Float(v0) * x[0]
        t = Relaxed.multiplyAdd(Float(v1), x[stride], t)
        t = Relaxed.multiplyAdd(Float(v2), x[2 * stride], t)
        return Relaxed.multiplyAdd(Float(v3), x[3 * stride], t)
    }

    /// The 8 words at `p` twice over (lanes k and k + 8 read word k), as 16 loads for plain loops.
    @inline(__always)
    static func withRepeatedWords(_ p: UnsafeRawPointer, _ body: (UnsafePointer<UInt32>) -> Void) {
        let words = p.loadUnaligned(as: SIMD8<UInt32>.self)
        withUnsafeBytes(of: SIMD16(lowHalf: words, highHalf: words)) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: UInt32.self))
        }
    }

    /// `acc[k] += d · blk[k]` for a block's 16-lane sum made in `body`.
    @inline(__always)
    static func scaledBlock(_ d: Float, _ acc: UnsafeMutablePointer<Float>, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        var blk = SIMD16<Float>()
        withUnsafeMutableBytes(of: &blk) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            body(p)
            for k in 0..<16 { acc[k] = Relaxed.multiplyAdd(d, p[k], acc[k]) }
        }
    }
}

/// The 6-bit scale of sub-block j of a Q4_K/Q5_K block, with the first 4 and the last 4 of the 12
/// scale bytes as words `w0` and `w2` (packing per ggml `get_scale_min_k4`, as `Quantization.scaleMinK4`).
@inline(__always)
private func scaleK4(_ j: Int, _ w0: UInt32, _ w2: UInt32) -> Float {
    let i = UInt32(truncatingIfNeeded: 8 * (j % 4))
    return Float(Int32(bitPattern: j < 4 ? (w0 &>> i) & 63 : ((w2 &>> i) & 15) | ((w0 &>> (i + 2)) & 48)))
}

/// Q4_K and Q5_K: the same scales, mins and word lanes; they differ in where the nibbles are and
/// whether each has a 5th bit (`quarter`).
protocol K4LaneDot: KLaneDot {
    /// Adds the values at nibble position p (low/high) of the words at 64h of the nibble bytes,
    /// times their sub-block scales, into `blk` (`w0`, `w2`: scale bytes 0…3 and 8…11).
    static func quarter(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ h: Int, _ p: UInt32,
                        _ w0: UInt32, _ w2: UInt32, _ blk: UnsafeMutablePointer<Float>)
}

extension K4LaneDot {
    static var groupsPerBlock: Int { 8 }

    /// Σ d·sc_j·q·x − Σ dmin·m_j·X_j (f16 d and dmin, then the 12 scale bytes, at the block's start).
    @inline(__always)
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                           _ acc: UnsafeMutablePointer<Float>, _ offsets: UnsafeMutablePointer<Float>) {
        let w0 = block.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let w1 = block.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let w2 = block.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
        DotKernels.minsK4(block.half(at: 2), w1, w2, sums, offsets)
        DotKernels.scaledBlock(block.half(at: 0), acc) { blk in
            quarter(block, x, 0, 0, w0, w2, blk)
            quarter(block, x, 0, 1, w0, w2, blk)
            quarter(block, x, 1, 0, w0, w2, blk)
            quarter(block, x, 1, 1, w0, w2, blk)
        }
    }
}

/// Q4_K (144 bytes: f16 d, f16 dmin, 12 scale bytes, 128 nibble bytes; bytes 32c…32c+31 hold
/// sub-block 2c in their low and 2c+1 in their high nibbles). Word lane k of the 64 bytes at 64h
/// holds sub-blocks 4h + 2·(k/8) (low nibbles) and one more (high).
enum KLaneQ4_K: K4LaneDot {
    static var blockBytes: Int { 144 }

    @inline(__always)
    static func quarter(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ h: Int, _ p: UInt32,
                        _ w0: UInt32, _ w2: UInt32, _ blk: UnsafeMutablePointer<Float>) {
        let words = block + 16 + 64 * h, xs = x + 128 * h + 16 * Int(p), s = 4 * p
        for k in 0..<16 {
            let q = words.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)
            // Nibble 7 is taken one nibble down (n·16^6), the layout's factor for it, shared with
            // Q5_K, whose 5th bit would not fit above bit 31.
            let top = p == 0 ? q & (15 << 24) : (q &>> 4) & (15 << 24)
            let t = DotKernels.dot4(q & (15 << s), q & (15 << (s + 8)), q & (15 << (s + 16)), top, xs + k, stride: 32)
            blk[k] = Relaxed.multiplyAdd(scaleK4(4 * h + 2 * (k / 8) + Int(p), w0, w2), t, blk[k])
        }
    }
}

/// Q5_K (176 bytes: as Q4_K with 32 bytes qh at 16, the nibbles at 48; bit s of qh[l] is the 5th
/// bit of element 32s + l): the Q4_K lanes with each nibble's 5th bit moved next to it. Lane k's
/// qh word is word k%8; its bit for nibble position (i, p) is 8i + 4h + 2·(k/8) + p, moved to
/// 8i + 4p + 4 (bit 32 for nibble 7, which is taken one nibble down).
enum KLaneQ5_K: K4LaneDot {
    static var blockBytes: Int { 176 }

    @inline(__always)
    static func quarter(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ h: Int, _ p: UInt32,
                        _ w0: UInt32, _ w2: UInt32, _ blk: UnsafeMutablePointer<Float>) {
        let words = block + 48 + 64 * h, xs = x + 128 * h + 16 * Int(p), s = 4 * p
        DotKernels.withRepeatedWords(block + 16) { qhWords in
            for k in 0..<16 {
                let q = words.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)
                let qh = qhWords[k]
                let lane = UInt32(truncatingIfNeeded: 2 * (k / 8))
                let high = h == 1 && p == 0 ? qh &>> lane : qh &<< (4 + 3 * p - 4 * UInt32(truncatingIfNeeded: h) - lane)
                let top = p == 0 ? (q & (15 << 24)) | (high & (16 << 24))
                    : ((q &>> 4) & (15 << 24)) | ((h == 0 ? qh &<< (3 - lane) : qh &>> (1 + lane)) & (16 << 24))
                let t = DotKernels.dot4((q & (15 << s)) | (high & (16 << s)), (q & (15 << (s + 8))) | (high & (16 << (s + 8))),
                                        (q & (15 << (s + 16))) | (high & (16 << (s + 16))), top, xs + k, stride: 32)
                blk[k] = Relaxed.multiplyAdd(scaleK4(4 * h + 2 * (k / 8) + Int(p), w0, w2), t, blk[k])
            }
        }
    }
}

/// Q6_K (210 bytes: 128 bytes ql, 64 bytes qh, 16 int8 scales, f16 d; element 128h + 32s + l has
/// low nibble s/2 of ql[64h + 32·(s%2) + l] and bits 2s…2s+1 of qh[32h + l]): Σ d·sc_g·(q − 32)·x.
/// Word lane k of ql's 64 bytes at 64h holds, at nibble p of byte i, element 128h + 32·(k/8) + 64p
/// + 4·(k%8) + i, whose 2 high bits are bits 8i + 2·(k/8) + 4p of qh word k%8 of that half; both
/// parts are put together at bits 8i…8i+5 (q·2^8i), and the group scale of lane k at position p
/// is byte k/4 of scale word 2h + p. The −32 is −32·d·Σ sc_g·X_g over the 16 groups.
enum KLaneQ6_K: KLaneDot {
    static var blockBytes: Int { 210 }
    static var groupsPerBlock: Int { 16 }

    @inline(__always)
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                           _ acc: UnsafeMutablePointer<Float>, _ offsets: UnsafeMutablePointer<Float>) {
        let d = block.half(at: 208)
        let scales = (block + 192).assumingMemoryBound(to: Int8.self)
        for g in 0..<16 { offsets[g] = Relaxed.multiplyAdd(-32 * d * Float(scales[g]), sums[g], offsets[g]) }
        DotKernels.scaledBlock(d, acc) { blk in
            quarter(block, x, 0, 0, blk)
            quarter(block, x, 0, 1, blk)
            quarter(block, x, 1, 0, blk)
            quarter(block, x, 1, 1, blk)
        }
    }

    /// The values at nibble position p of the ql words at 64h, scaled by their groups.
    @inline(__always)
    static func quarter(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ h: Int, _ p: Int,
                        _ blk: UnsafeMutablePointer<Float>) {
        let words = block + 64 * h, xs = x + 128 * h + 64 * p
        let scaleWord = block.loadUnaligned(fromByteOffset: 192 + 4 * (2 * h + p), as: UInt32.self)
        DotKernels.withRepeatedWords(block + 128 + 32 * h) { qhWords in
            for k in 0..<16 {
                let ql = words.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)
                let qh = qhWords[k]
                let low = p == 0 ? ql & 0x0F0F_0F0F : (ql &>> 4) & 0x0F0F_0F0F
                let lane = UInt32(truncatingIfNeeded: 2 * (k / 8))
                let q = low | ((p == 0 ? qh &<< (4 - lane) : qh &>> lane) & 0x3030_3030)
                let t = DotKernels.dot4(q & 0x3F, q & (0x3F << 8), q & (0x3F << 16), q & (0x3F << 24), xs + k, stride: 16)
                let scale = Int32(bitPattern: scaleWord &<< UInt32(truncatingIfNeeded: 24 - 8 * (k / 4))) &>> 24
                blk[k] = Relaxed.multiplyAdd(Float(scale), t, blk[k])
            }
        }
    }
}

/// Q2_K (84 bytes: 16 scale bytes, low nibble the scale and high the min of group g; 64 bytes of
/// 2-bit values; f16 d, f16 dmin; element 128h + 32s + l is bits 2s…2s+1 of byte 32h + l of the
/// values): Σ d·sc_g·q·x − Σ dmin·m_g·X_g. Word lane k of the values holds, at bits 8i + 2s, element
/// 128·(k/8) + 32s + 4·(k%8) + i, of group 8·(k/8) + 2s + (k%8)/4.
enum KLaneQ2_K: KLaneDot {
    static var blockBytes: Int { 84 }
    static var groupsPerBlock: Int { 16 }

    @inline(__always)
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                           _ acc: UnsafeMutablePointer<Float>, _ offsets: UnsafeMutablePointer<Float>) {
        let dmin = block.half(at: 82)
        let scales = block.assumingMemoryBound(to: UInt8.self)
        for g in 0..<16 { offsets[g] = Relaxed.multiplyAdd(-dmin * Float(scales[g] >> 4), sums[g], offsets[g]) }
        DotKernels.scaledBlock(block.half(at: 80), acc) { blk in
            shift(block, x, 0, blk)
            shift(block, x, 1, blk)
            shift(block, x, 2, blk)
            shift(block, x, 3, blk)
        }
    }

    /// The values at bits 8i + 2s of each word lane, times their group scales, into `blk`.
    @inline(__always)
    static func shift(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ s: UInt32, _ blk: UnsafeMutablePointer<Float>) {
        // Lanes 0–7 read scale word s/2 (groups 2s, 2s + 1), lanes 8–15 word 2 + s/2.
        let low = block.loadUnaligned(fromByteOffset: 4 * Int(s / 2), as: UInt32.self)
        let high = block.loadUnaligned(fromByteOffset: 8 + 4 * Int(s / 2), as: UInt32.self)
        for k in 0..<16 {
            let q = (block + 16).loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)
            // The top pair of bits 30–31 is taken one pair down (v·2^28), the layout's factor for it.
            let top = s == 3 ? (q &>> 2) & (3 << 28) : q & (3 << (24 + 2 * s))
            let t = DotKernels.dot4(q & (3 << (2 * s)), q & (3 << (8 + 2 * s)), q & (3 << (16 + 2 * s)), top, x + 64 * Int(s) + k, stride: 16)
            let word = k < 8 ? low : high
            let scale = (word &>> UInt32(truncatingIfNeeded: 8 * ((2 * Int(s) + (k % 8) / 4) % 4))) & 15
            blk[k] = Relaxed.multiplyAdd(Float(Int32(bitPattern: scale)), t, blk[k])
        }
    }
}

/// Q3_K (110 bytes: 32 bytes hmask, 64 bytes of 2-bit values laid out as Q2_K's, 12 bytes of
/// 6-bit scales, f16 d; element 128h + 32s + l has high bit 4h + s of hmask[l], and a clear high
/// bit subtracts 4): Σ d·sc_g·(q + 4·high)·x − 4·d·Σ sc_g·X_g. The high bit of lane k's value at
/// 8i + 2s is bit 8i + 4·(k/8) + s of hmask word k%8, rotated up to 8i + 2s + 2.
enum KLaneQ3_K: KLaneDot {
    static var blockBytes: Int { 110 }
    static var groupsPerBlock: Int { 16 }

    @inline(__always)
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                           _ acc: UnsafeMutablePointer<Float>, _ offsets: UnsafeMutablePointer<Float>) {
        let d = block.half(at: 108)
        let w0 = block.loadUnaligned(fromByteOffset: 96, as: UInt32.self)
        let w1 = block.loadUnaligned(fromByteOffset: 100, as: UInt32.self)
        let w2 = block.loadUnaligned(fromByteOffset: 104, as: UInt32.self)
        for g in 0..<16 {
            offsets[g] = Relaxed.multiplyAdd(-4 * d * scaleK3(g, w0, w1, w2), sums[g], offsets[g])
        }
        DotKernels.scaledBlock(d, acc) { blk in
            shift(block, x, 0, w0, w1, w2, blk)
            shift(block, x, 1, w0, w1, w2, blk)
            shift(block, x, 2, w0, w1, w2, blk)
            shift(block, x, 3, w0, w1, w2, blk)
        }
    }

    /// The 3-bit values at bits 8i + 2s of each word lane, times their group scales, into `blk`.
    @inline(__always)
    static func shift(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ s: UInt32,
                      _ w0: UInt32, _ w1: UInt32, _ w2: UInt32, _ blk: UnsafeMutablePointer<Float>) {
        DotKernels.withRepeatedWords(block) { hmask in
            for k in 0..<16 {
                let q = (block + 32).loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)
                let lane = UInt32(truncatingIfNeeded: 4 * (k / 8))
                let high = rotate(hmask[k], s &+ 2 &- lane)
                // The top value (bits 30–32) is taken one pair down (v·2^28), its high bit with it.
                let top = s == 3 ? ((q &>> 2) & (3 << 28)) | (rotate(hmask[k], s &- lane) & (4 << 28))
                    : (q & (3 << (24 + 2 * s))) | (high & (4 << (24 + 2 * s)))
                let t = DotKernels.dot4((q & (3 << (2 * s))) | (high & (4 << (2 * s))),
                                        (q & (3 << (8 + 2 * s))) | (high & (4 << (8 + 2 * s))),
                                        (q & (3 << (16 + 2 * s))) | (high & (4 << (16 + 2 * s))), top,
                                        x + 64 * Int(s) + k, stride: 16)
                blk[k] = Relaxed.multiplyAdd(scaleK3(8 * (k / 8) + 2 * Int(s) + (k % 8) / 4, w0, w1, w2), t, blk[k])
            }
        }
    }

    /// x rotated left by r (mod 32).
    @inline(__always)
    static func rotate(_ x: UInt32, _ r: UInt32) -> UInt32 {
        (x &<< r) | (x &>> (32 &- r))
    }
}

/// The signed 6-bit scale of group g of a Q3_K block (scale bytes as words `w0`…`w2`; packing as
/// `Quantization.scaleQ3_K`: low 4 bits from byte g%8, its high nibble for g ≥ 8; top 2 bits from
/// byte 8 + g%4 at bit 2·(g/4)).
@inline(__always)
private func scaleK3(_ g: Int, _ w0: UInt32, _ w1: UInt32, _ w2: UInt32) -> Float {
    let low = ((g % 8 < 4 ? w0 : w1) &>> UInt32(truncatingIfNeeded: 8 * (g % 4) + 4 * (g / 8))) & 15
    let high = (w2 &>> UInt32(truncatingIfNeeded: 8 * (g % 4) + 2 * (g / 4))) & 3
    return Float(Int32(bitPattern: low | high << 4) - 32)
}
