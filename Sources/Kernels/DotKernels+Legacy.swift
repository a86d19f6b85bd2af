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

/// Q4_0 · Q8_0: d·da·(Σ n·q − 8·Σq).
enum DotQ4_0: BlockDot {
    static var blockBytes: Int { 18 }
    @inline(__always)
    static func term(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> Float {
        let s = nibbleDot(block + 2, a.q + 32 * b) &- 8 &* a.sums[b]
        return block.half(at: 0) * a.d[b] * Float(s)
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
}
