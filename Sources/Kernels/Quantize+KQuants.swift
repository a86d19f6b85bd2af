// Quantizers for the K super-block formats. These are plain min/max quantizers written for this
// module (llama.cpp's tool searches scales to minimise error; these do not): per sub-block pick a
// scale (and min), quantize the scales to the format's 4/6/8-bit grid against an f16 super-scale,
// then quantize values against the dequantized scales so stored bytes decode consistently.

extension Quantization {
    /// The super-block scale for sub-scales whose largest value is `top`, on a grid of `steps`,
    /// rounded to f16 as it will be stored; returns (stored bits, f32 value).
    @inline(__always)
    static func superScale(_ top: Float, steps: Float) -> (bits: UInt16, value: Float) {
        let bits = floatToHalf(top / steps)
        return (bits, halfToFloat(bits))
    }

    // Q2_K: sub-blocks of 16 with a 4-bit scale and 4-bit min, q in 0...3; x ≈ d·sc·q − dmin·m.
    static func quantizeQ2_KBlock(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        var scales = (0..<16).map { _ in Float(0) }, mins = scales
        for s in 0..<16 {
            var lo: Float = 0, hi: Float = 0
            for j in 16 * s..<16 * s + 16 { lo = min(lo, x[j]); hi = max(hi, x[j]) }
            scales[s] = (hi - lo) / 3; mins[s] = -lo
        }
        let (dBits, d) = superScale(scales.max() ?? 0, steps: 15)
        let (mBits, dmin) = superScale(mins.max() ?? 0, steps: 15)
        block.storeBytes(of: dBits, toByteOffset: 80, as: UInt16.self)
        block.storeBytes(of: mBits, toByteOffset: 82, as: UInt16.self)
        for s in 0..<16 {
            let sc = d > 0 ? clampedRound(scales[s] / d, 0, 15) : 0
            let m = dmin > 0 ? clampedRound(mins[s] / dmin, 0, 15) : 0
            block.storeBytes(of: UInt8(sc | m << 4), toByteOffset: s, as: UInt8.self)
            let step = d * Float(sc), offset = dmin * Float(m)
            for j in 16 * s..<16 * s + 16 {
                let q = step > 0 ? clampedRound((x[j] + offset) / step, 0, 3) : 0
                let at = 16 + 32 * (j / 128) + j % 32
                let shift = 2 * ((j % 128) / 32)
                let old = block.load(fromByteOffset: at, as: UInt8.self)
                block.storeBytes(of: old | UInt8(q) << UInt8(shift), toByteOffset: at, as: UInt8.self)
            }
        }
    }

    // Q3_K: sub-blocks of 16 with a signed 6-bit scale, q in −4...3; x ≈ d·sc·q.
    static func quantizeQ3_KBlock(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        var scales = (0..<16).map { _ in Float(0) }
        for s in 0..<16 {
            var amax: Float = 0, maxValue: Float = 0
            for j in 16 * s..<16 * s + 16 where abs(x[j]) > amax { amax = abs(x[j]); maxValue = x[j] }
            scales[s] = maxValue / -4
        }
        var top: Float = 0, topValue: Float = 0
        for s in scales where abs(s) > top { top = abs(s); topValue = s }
        // The largest scale maps to −32 so the full signed 6-bit range is used.
        let (dBits, d) = superScale(topValue, steps: -32)
        block.storeBytes(of: dBits, toByteOffset: 108, as: UInt16.self)
        for s in 0..<16 {
            let sc = d != 0 ? clampedRound(scales[s] / d, -32, 31) : 0
            let stored = UInt8(sc + 32)
            let lowAt = 96 + s % 8, lowShift = UInt8(4 * (s / 8))
            let highAt = 96 + 8 + s % 4, highShift = UInt8(2 * (s / 4))
            block.storeBytes(of: block.load(fromByteOffset: lowAt, as: UInt8.self) | (stored & 0x0F) << lowShift,
                             toByteOffset: lowAt, as: UInt8.self)
            block.storeBytes(of: block.load(fromByteOffset: highAt, as: UInt8.self) | (stored >> 4) << highShift,
                             toByteOffset: highAt, as: UInt8.self)
            let step = d * Float(sc)
            for j in 16 * s..<16 * s + 16 {
                let q = step != 0 ? clampedRound(x[j] / step, -4, 3) : 0
                let u = UInt8(q + 4)
                let at = 32 + 32 * (j / 128) + j % 32
                let shift = UInt8(2 * ((j % 128) / 32))
                block.storeBytes(of: block.load(fromByteOffset: at, as: UInt8.self) | (u & 3) << shift,
                                 toByteOffset: at, as: UInt8.self)
                let maskAt = j % 32, maskBit = UInt8(4 * (j / 128) + (j % 128) / 32)
                block.storeBytes(of: block.load(fromByteOffset: maskAt, as: UInt8.self) | (u >> 2) << maskBit,
                                 toByteOffset: maskAt, as: UInt8.self)
            }
        }
    }

    // Q4_K / Q5_K: sub-blocks of 32 with 6-bit scale and min, q in 0...(2^bits − 1).
    static func quantizeQ45_KBlock(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer, bits: Int) {
        let top = Int32((1 << bits) - 1)
        var scales = (0..<8).map { _ in Float(0) }, mins = scales
        for s in 0..<8 {
            var lo: Float = 0, hi: Float = 0
            for j in 32 * s..<32 * s + 32 { lo = min(lo, x[j]); hi = max(hi, x[j]) }
            scales[s] = (hi - lo) / Float(top); mins[s] = -lo
        }
        let (dBits, d) = superScale(scales.max() ?? 0, steps: 63)
        let (mBits, dmin) = superScale(mins.max() ?? 0, steps: 63)
        block.storeBytes(of: dBits, toByteOffset: 0, as: UInt16.self)
        block.storeBytes(of: mBits, toByteOffset: 2, as: UInt16.self)
        let qsOffset = bits == 4 ? 16 : 48
        for s in 0..<8 {
            let sc = UInt8(d > 0 ? clampedRound(scales[s] / d, 0, 63) : 0)
            let m = UInt8(dmin > 0 ? clampedRound(mins[s] / dmin, 0, 63) : 0)
            packScaleMinK4(s, sc, m, block + 4)
            let step = d * Float(sc), offset = dmin * Float(m)
            for l in 0..<32 {
                let q = UInt8(step > 0 ? clampedRound((x[32 * s + l] + offset) / step, 0, top) : 0)
                let at = qsOffset + 32 * (s / 2) + l
                let shift = UInt8(4 * (s % 2))
                block.storeBytes(of: block.load(fromByteOffset: at, as: UInt8.self) | (q & 0x0F) << shift,
                                 toByteOffset: at, as: UInt8.self)
                if bits == 5 {
                    let hAt = 16 + l
                    block.storeBytes(of: block.load(fromByteOffset: hAt, as: UInt8.self) | (q >> 4) << UInt8(s),
                                     toByteOffset: hAt, as: UInt8.self)
                }
            }
        }
    }

    /// Inverse of `scaleMinK4`: ORs sub-block `j`'s 6-bit scale and min into zeroed scale bytes.
    static func packScaleMinK4(_ j: Int, _ scale: UInt8, _ min: UInt8, _ scales: UnsafeMutableRawPointer) {
        func or(_ value: UInt8, _ at: Int) {
            scales.storeBytes(of: scales.load(fromByteOffset: at, as: UInt8.self) | value, toByteOffset: at, as: UInt8.self)
        }
        if j < 4 {
            or(scale, j); or(min, j + 4)
        } else {
            or((scale & 0x0F) | (min & 0x0F) << 4, j + 4)
            or((scale >> 4) << 6, j - 4)
            or((min >> 4) << 6, j)
        }
    }

    // Q6_K: sub-blocks of 16 with a signed 8-bit scale, q in −32...31; x ≈ d·sc·q.
    static func quantizeQ6_KBlock(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
        var scales = (0..<16).map { _ in Float(0) }
        for s in 0..<16 {
            var amax: Float = 0, maxValue: Float = 0
            for j in 16 * s..<16 * s + 16 where abs(x[j]) > amax { amax = abs(x[j]); maxValue = x[j] }
            scales[s] = maxValue / -32
        }
        var top: Float = 0, topValue: Float = 0
        for s in scales where abs(s) > top { top = abs(s); topValue = s }
        let (dBits, d) = superScale(topValue, steps: -128)
        block.storeBytes(of: dBits, toByteOffset: 208, as: UInt16.self)
        for s in 0..<16 {
            let sc = d != 0 ? clampedRound(scales[s] / d, -128, 127) : 0
            block.storeBytes(of: Int8(sc), toByteOffset: 192 + s, as: Int8.self)
            let step = d * Float(sc)
            for j in 16 * s..<16 * s + 16 {
                let q = UInt8((step != 0 ? clampedRound(x[j] / step, -32, 31) : 0) + 32)
                let half = j / 128, sub = (j % 128) / 32, l = j % 32
                let lowAt = 64 * half + 32 * (sub % 2) + l, lowShift = UInt8(4 * (sub / 2))
                let highAt = 128 + 32 * half + l, highShift = UInt8(2 * sub)
                block.storeBytes(of: block.load(fromByteOffset: lowAt, as: UInt8.self) | (q & 0x0F) << lowShift,
                                 toByteOffset: lowAt, as: UInt8.self)
                block.storeBytes(of: block.load(fromByteOffset: highAt, as: UInt8.self) | (q >> 4) << highShift,
                                 toByteOffset: highAt, as: UInt8.self)
            }
        }
    }
}
