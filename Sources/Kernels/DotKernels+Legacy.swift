import RealModule

// Dots of 32-element weight blocks with Q8_0/Q8_1-style activations (int8 q, f32 scale da, integer
// sum Σq per block). Unsigned nibbles are multiplied as-is (the u8×s8 shape that maps to
// vpmaddubsw/vpdpbusd) and the format's offset is taken out once per block via Σq:
// Σ (n − 8)·q = Σ n·q − 8·Σq.

/// Σ over 16 bytes of (low nibble · q[j] + high nibble · q[j+16]).
@inline(__always)
func nibbleDot(_ qs: UnsafeRawPointer, _ q: UnsafePointer<Int8>) -> Int32 {
    var s: Int32 = 0
    for j in 0..<16 {
        let byte = qs.load(fromByteOffset: j, as: UInt8.self)
        s &+= Int32(byte & 0x0F) &* Int32(q[j]) &+ Int32(byte >> 4) &* Int32(q[j + 16])
    }
    return s
}

/// Σ over 32 elements of the 5-bit value (nibble | bit j of qh << 4) · q[j].
@inline(__always)
func fiveBitDot(_ qs: UnsafeRawPointer, _ qh: UInt32, _ q: UnsafePointer<Int8>) -> Int32 {
    var s: Int32 = 0
    for j in 0..<16 {
        let byte = qs.load(fromByteOffset: j, as: UInt8.self)
        let lo = Int32(byte & 0x0F) | Int32((qh >> UInt32(j)) & 1) << 4
        let hi = Int32(byte >> 4) | Int32((qh >> UInt32(j + 16)) & 1) << 4
        s &+= lo &* Int32(q[j]) &+ hi &* Int32(q[j + 16])
    }
    return s
}

/// Four blocks of nibbles (`stride` bytes apart) against 128 activations, four sums in one loop.
@inline(__always)
func nibbleDot4(_ qs: UnsafeRawPointer, stride: Int, _ q: UnsafePointer<Int8>) -> (Int32, Int32, Int32, Int32) {
    var s0: Int32 = 0, s1: Int32 = 0, s2: Int32 = 0, s3: Int32 = 0
    for j in 0..<16 {
        let c0 = qs.load(fromByteOffset: j, as: UInt8.self)
        let c1 = qs.load(fromByteOffset: stride + j, as: UInt8.self)
        let c2 = qs.load(fromByteOffset: 2 * stride + j, as: UInt8.self)
        let c3 = qs.load(fromByteOffset: 3 * stride + j, as: UInt8.self)
        s0 &+= Int32(c0 & 0x0F) &* Int32(q[j]) &+ Int32(c0 >> 4) &* Int32(q[j + 16])
        s1 &+= Int32(c1 & 0x0F) &* Int32(q[j + 32]) &+ Int32(c1 >> 4) &* Int32(q[j + 48])
        s2 &+= Int32(c2 & 0x0F) &* Int32(q[j + 64]) &+ Int32(c2 >> 4) &* Int32(q[j + 80])
        s3 &+= Int32(c3 & 0x0F) &* Int32(q[j + 96]) &+ Int32(c3 >> 4) &* Int32(q[j + 112])
    }
    return (s0, s1, s2, s3)
}

/// Q4_0 · Q8_0: d·da·(Σ n·q − 8·Σq).
enum DotQ4_0: BlockDot {
    static var blockBytes: Int { 18 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let s = nibbleDot(block + 2, a.q + 32 * b) &- 8 &* a.sums[b]
        return block.half(at: 0) * a.d[b] * Float(s)
    }

    @inline(__always)
    static func term4(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let (s0, s1, s2, s3) = nibbleDot4(block + 2, stride: 18, a.q + 32 * b)
        let sums = a.sums + b, d = a.d + b
        let t0 = block.half(at: 0) * d[0] * Float(s0 &- 8 &* sums[0])
        let t1 = block.half(at: 18) * d[1] * Float(s1 &- 8 &* sums[1])
        let t2 = block.half(at: 36) * d[2] * Float(s2 &- 8 &* sums[2])
        let t3 = block.half(at: 54) * d[3] * Float(s3 &- 8 &* sums[3])
        return Relaxed.sum(Relaxed.sum(t0, t1), Relaxed.sum(t2, t3))
    }
}

/// Q4_1 · Q8_1: d·da·Σ n·q + m·(da·Σq).
enum DotQ4_1: BlockDot {
    static var blockBytes: Int { 20 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let s = nibbleDot(block + 4, a.q + 32 * b)
        let da = a.d[b]
        return block.half(at: 0) * da * Float(s) + block.half(at: 2) * da * Float(a.sums[b])
    }

    @inline(__always)
    static func term4(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let (s0, s1, s2, s3) = nibbleDot4(block + 4, stride: 20, a.q + 32 * b)
        let sums = a.sums + b, d = a.d + b
        let t0 = d[0] * (block.half(at: 0) * Float(s0) + block.half(at: 2) * Float(sums[0]))
        let t1 = d[1] * (block.half(at: 20) * Float(s1) + block.half(at: 22) * Float(sums[1]))
        let t2 = d[2] * (block.half(at: 40) * Float(s2) + block.half(at: 42) * Float(sums[2]))
        let t3 = d[3] * (block.half(at: 60) * Float(s3) + block.half(at: 62) * Float(sums[3]))
        return Relaxed.sum(Relaxed.sum(t0, t1), Relaxed.sum(t2, t3))
    }
}

/// Q5_0 · Q8_0: d·da·(Σ n5·q − 16·Σq).
enum DotQ5_0: BlockDot {
    static var blockBytes: Int { 22 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        let s = fiveBitDot(block + 6, qh, a.q + 32 * b) &- 16 &* a.sums[b]
        return block.half(at: 0) * a.d[b] * Float(s)
    }

    @inline(__always)
    static func term4(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let q = a.q + 32 * b
        let h0 = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        let h1 = block.loadUnaligned(fromByteOffset: 24, as: UInt32.self)
        let h2 = block.loadUnaligned(fromByteOffset: 46, as: UInt32.self)
        let h3 = block.loadUnaligned(fromByteOffset: 68, as: UInt32.self)
        var s0: Int32 = 0, s1: Int32 = 0, s2: Int32 = 0, s3: Int32 = 0
        @inline(__always) func pair(_ byte: UInt8, _ qh: UInt32, _ j: Int, _ x: UnsafePointer<Int8>) -> Int32 {
            let lo = Int32(byte & 0x0F) | Int32((qh >> UInt32(j)) & 1) << 4
            let hi = Int32(byte >> 4) | Int32((qh >> UInt32(j + 16)) & 1) << 4
            return lo &* Int32(x[j]) &+ hi &* Int32(x[j + 16])
        }
        for j in 0..<16 {
            s0 &+= pair(block.load(fromByteOffset: 6 + j, as: UInt8.self), h0, j, q)
            s1 &+= pair(block.load(fromByteOffset: 28 + j, as: UInt8.self), h1, j, q + 32)
            s2 &+= pair(block.load(fromByteOffset: 50 + j, as: UInt8.self), h2, j, q + 64)
            s3 &+= pair(block.load(fromByteOffset: 72 + j, as: UInt8.self), h3, j, q + 96)
        }
        let sums = a.sums + b, d = a.d + b
        let t0 = block.half(at: 0) * d[0] * Float(s0 &- 16 &* sums[0])
        let t1 = block.half(at: 22) * d[1] * Float(s1 &- 16 &* sums[1])
        let t2 = block.half(at: 44) * d[2] * Float(s2 &- 16 &* sums[2])
        let t3 = block.half(at: 66) * d[3] * Float(s3 &- 16 &* sums[3])
        return Relaxed.sum(Relaxed.sum(t0, t1), Relaxed.sum(t2, t3))
    }
}

/// Q5_1 · Q8_1: d·da·Σ n5·q + m·(da·Σq).
enum DotQ5_1: BlockDot {
    static var blockBytes: Int { 24 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let qh = block.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let s = fiveBitDot(block + 8, qh, a.q + 32 * b)
        let da = a.d[b]
        return block.half(at: 0) * da * Float(s) + block.half(at: 2) * da * Float(a.sums[b])
    }
}

/// Q8_0 · Q8_0: d·da·Σ w·q.
enum DotQ8_0: BlockDot {
    static var blockBytes: Int { 34 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let q = a.q + 32 * b
        var s: Int32 = 0
        for j in 0..<32 { s &+= Int32(block.load(fromByteOffset: 2 + j, as: Int8.self)) &* Int32(q[j]) }
        return block.half(at: 0) * a.d[b] * Float(s)
    }

    @inline(__always)
    static func term4(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let q = a.q + 32 * b
        var s0: Int32 = 0, s1: Int32 = 0, s2: Int32 = 0, s3: Int32 = 0
        for j in 0..<32 {
            s0 &+= Int32(block.load(fromByteOffset: 2 + j, as: Int8.self)) &* Int32(q[j])
            s1 &+= Int32(block.load(fromByteOffset: 36 + j, as: Int8.self)) &* Int32(q[j + 32])
            s2 &+= Int32(block.load(fromByteOffset: 70 + j, as: Int8.self)) &* Int32(q[j + 64])
            s3 &+= Int32(block.load(fromByteOffset: 104 + j, as: Int8.self)) &* Int32(q[j + 96])
        }
        let d = a.d + b
        let t0 = block.half(at: 0) * d[0] * Float(s0), t1 = block.half(at: 34) * d[1] * Float(s1)
        let t2 = block.half(at: 68) * d[2] * Float(s2), t3 = block.half(at: 102) * d[3] * Float(s3)
        return Relaxed.sum(Relaxed.sum(t0, t1), Relaxed.sum(t2, t3))
    }
}
