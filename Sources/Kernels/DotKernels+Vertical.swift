import RealModule

// Row dots in f32 lanes, one 32-element block at a time: each block is decoded to integers,
// converted, multiplied by the activations as f32 (the int8 values times their block scale, so the
// result is the same Σ w·x̃ the int8 kernels compute, up to rounding) and added to 16 lane
// accumulators scaled by the block's d with one FMA. No horizontal sum per block. Q8_0 runs this
// way; Q4_0…Q5_1 run four blocks at a time in word lanes (DotKernels+NibbleQuads.swift) and use
// these for a row's last blocks; the K formats have their own lane kernels (DotKernels+KLanes.swift).
//
// Why not int8 dot products: LLVM emits vpdpbusd only for a complete horizontal reduction of
// zero-extended u8 × sign-extended s8, so every 32-element block pays ~6 shuffle/add ops for its
// sum, more than the dot itself. Measured here on one core (GB/s of weights, int8 → lanes):
// Q4_0 8.3 → 12–14, Q4_1 9.1 → 12.5–15, Q5_0 11 → 12, Q8_0 23 → 29–36.

/// A weight format's 32-element block decoded into f32 lanes.
protocol LaneDot {
    /// Stored bytes per block.
    static var blockBytes: Int { get }
    /// Adds the block's Σ d·n·x over its elements into the 16 floats at `acc` (offsets such as
    /// Q4_1's m · Σx are the caller's).
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ acc: UnsafeMutablePointer<Float>)
}

extension DotKernels {
    /// `out[r] = Σ_b Σ w·x` for `n` rows starting at `w` (`stride` bytes apart) against `a.x`, one row
    /// at a time with four blocks per step in separate SIMD16 accumulators. Rows are read one after another: measured here,
    /// four rows in parallel (sharing the activation loads) ran as fast from cache but 2–3× slower
    /// from DRAM (the hardware prefetchers follow one stream better).
    @inline(never)
    static func laneRows<K: LaneDot>(_: K.Type, _ w: UnsafeRawPointer, stride: Int, rows n: Int, blocks: Int,
                                     _ a: ActivationRow, _ out: UnsafeMutablePointer<Float>) {
        for r in 0..<n {
            let row = w + r * stride
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            var b = 0
            while b + 4 <= blocks {
                let x = a.x + 32 * b, o = b * K.blockBytes
                lanes(K.self, row + o, x, &a0)
                lanes(K.self, row + o + K.blockBytes, x + 32, &a1)
                lanes(K.self, row + o + 2 * K.blockBytes, x + 64, &a2)
                lanes(K.self, row + o + 3 * K.blockBytes, x + 96, &a3)
                b += 4
            }
            while b < blocks {
                lanes(K.self, row + b * K.blockBytes, a.x + 32 * b, &a0)
                b += 1
            }
            out[r] = horizontalSum((a0 + a1) + (a2 + a3))
        }
    }

    /// Σ of the 16 lanes as a tree of halves. `SIMD.sum()` adds them one after another: a 15-add
    /// dependency chain per row that, measured here, cut matvec from DRAM by 3× (the chains fill the
    /// out-of-order window that should be covering memory latency).
    @inline(__always)
    static func horizontalSum(_ v: SIMD16<Float>) -> Float {
        let h8 = unsafeBitCast(v, to: (SIMD8<Float>, SIMD8<Float>).self)
        let v8 = h8.0 + h8.1
        let h4 = unsafeBitCast(v8, to: (SIMD4<Float>, SIMD4<Float>).self)
        let v4 = h4.0 + h4.1
        return (v4[0] + v4[2]) + (v4[1] + v4[3])
    }

    /// `K.accumulate` into a register-held SIMD16 (the pointer view is only for the plain loop).
    @inline(__always)
    static func lanes<K: LaneDot>(_: K.Type, _ block: UnsafeRawPointer, _ x: UnsafePointer<Float>,
                                  _ acc: inout SIMD16<Float>) {
        withUnsafeMutableBytes(of: &acc) { raw in
            K.accumulate(block, x, raw.baseAddress!.assumingMemoryBound(to: Float.self))
        }
    }
}

/// Q4_0: d · (n − 8), element l < 16 the low nibble of byte l, element 16 + l its high nibble; the
/// −8 part is −8d · Σx, from the activation sums (converting n − 8 in the lanes measured 2× slower).
/// Runs four blocks at a time in word lanes (DotKernels+NibbleQuads.swift), a row's last few here.
enum LaneQ4_0: LaneDot {
    static var blockBytes: Int { 18 }
    @inline(__always)
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ acc: UnsafeMutablePointer<Float>) {
        let d = block.half(at: 0)
        let c = (block + 2).assumingMemoryBound(to: UInt8.self)
        for l in 0..<16 {
            let t = Float(c[l] & 0x0F) * x[l]
            acc[l] = Relaxed.multiplyAdd(d, Relaxed.multiplyAdd(Float(c[l] >> 4), x[16 + l], t), acc[l])
        }
    }

}

/// Q4_1: d · n + m; the m part is m · Σx, from the activation sums. Runs as Q4_0 does.
enum LaneQ4_1: LaneDot {
    static var blockBytes: Int { 20 }
    @inline(__always)
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ acc: UnsafeMutablePointer<Float>) {
        let d = block.half(at: 0)
        let c = (block + 4).assumingMemoryBound(to: UInt8.self)
        for l in 0..<16 {
            let t = Float(c[l] & 0x0F) * x[l]
            acc[l] = Relaxed.multiplyAdd(d, Relaxed.multiplyAdd(Float(c[l] >> 4), x[16 + l], t), acc[l])
        }
    }

}

/// Q5_0: d · (n5 − 16), the 5th bit of element j being bit j of the u32 qh; the −16 part is
/// −16d · Σx, as for Q4_0. Runs as Q4_0 does.
enum LaneQ5_0: LaneDot {
    static var blockBytes: Int { 22 }
    @inline(__always)
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ acc: UnsafeMutablePointer<Float>) {
        let d = block.half(at: 0)
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        let c = (block + 6).assumingMemoryBound(to: UInt8.self)
        for l in 0..<16 {
            let lo = Int32(c[l] & 0x0F) | Int32(truncatingIfNeeded: (qh &>> UInt32(l)) & 1) &<< 4
            let hi = Int32(c[l] >> 4) | Int32(truncatingIfNeeded: (qh &>> UInt32(l + 16)) & 1) &<< 4
            let t = Float(lo) * x[l]
            acc[l] = Relaxed.multiplyAdd(d, Relaxed.multiplyAdd(Float(hi), x[16 + l], t), acc[l])
        }
    }

}

/// Q5_1: d · n5 + m; the m part as for Q4_1. Runs as Q4_0 does.
enum LaneQ5_1: LaneDot {
    static var blockBytes: Int { 24 }
    @inline(__always)
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ acc: UnsafeMutablePointer<Float>) {
        let d = block.half(at: 0)
        let qh = block.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let c = (block + 8).assumingMemoryBound(to: UInt8.self)
        for l in 0..<16 {
            let lo = Int32(c[l] & 0x0F) | Int32(truncatingIfNeeded: (qh >> UInt32(l)) & 1) << 4
            let hi = Int32(c[l] >> 4) | Int32(truncatingIfNeeded: (qh >> UInt32(l + 16)) & 1) << 4
            let t = Float(lo) * x[l]
            acc[l] = Relaxed.multiplyAdd(d, Relaxed.multiplyAdd(Float(hi), x[16 + l], t), acc[l])
        }
    }

}

/// Q8_0: d · q.
enum LaneQ8_0: LaneDot {
    static var blockBytes: Int { 34 }
    @inline(__always)
    static func accumulate(_ block: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ acc: UnsafeMutablePointer<Float>) {
        let d = block.half(at: 0)
        let c = (block + 2).assumingMemoryBound(to: Int8.self)
        for l in 0..<16 {
            let t = Float(c[l]) * x[l]
            acc[l] = Relaxed.multiplyAdd(d, Relaxed.multiplyAdd(Float(c[16 + l]), x[16 + l], t), acc[l])
        }
    }
}
