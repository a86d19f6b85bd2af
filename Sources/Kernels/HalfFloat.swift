// Scalar conversions between f32 and the two 16-bit float encodings stored in GGUF files.
// With `-target-cpu native` on x86 the Float16 conversions lower to F16C instructions.

/// IEEE half (ggml's `ggml_fp16_t`) bits to f32; exact.
@inline(__always)
func halfToFloat(_ bits: UInt16) -> Float {
    Float(Float16(bitPattern: bits))
}

/// f32 to IEEE half bits, rounding to nearest even (what ggml and numpy's `astype(float16)` do).
@inline(__always)
func floatToHalf(_ value: Float) -> UInt16 {
    Float16(value).bitPattern
}

/// bfloat16 bits to f32; exact (bf16 is the top half of an f32).
@inline(__always)
func bf16ToFloat(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}

/// f32 to bfloat16 bits, rounding to nearest even; NaNs stay NaN (quiet bit forced), as ggml does.
@inline(__always)
func floatToBF16(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if bits & 0x7fff_ffff > 0x7f80_0000 {
        return UInt16(truncatingIfNeeded: (bits >> 16) | 0x40)
    }
    let rounded = (UInt64(bits) + 0x7fff + UInt64((bits >> 16) & 1)) >> 16
    return UInt16(truncatingIfNeeded: rounded)
}

/// Unaligned little-endian loads from raw block bytes (GGUF blocks are packed, so f16 and f32 fields
/// sit at odd offsets).
extension UnsafeRawPointer {
    @inline(__always)
    func half(at offset: Int) -> Float {
        halfToFloat(loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    func byte(at offset: Int) -> UInt8 {
        load(fromByteOffset: offset, as: UInt8.self)
    }
}
