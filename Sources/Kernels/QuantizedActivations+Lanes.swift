/// One K lane order of the activation rows: the block256 values (q · scale) rearranged within each
/// 256-block for the lane kernels of DotKernels+KLanes.swift, with their float group sums.
struct LaneBuffers {
    let values: UnsafeMutablePointer<Float>   // maxRows × maxCols
    let sums: UnsafeMutablePointer<Float>     // maxRows × maxCols/16 (per 16) or /32 (per 32)
    /// Whether they match the current block256 form.
    var current = false

    func deallocate() {
        values.deallocate()
        sums.deallocate()
    }
}

extension QuantizedActivations {
    /// Makes the lane order for `format` (`.lanesK4` or `.lanesK6`) from the block256 values `xq`
    /// (rows × cols) unless it is current.
    ///
    /// `.lanesK4` (Q4_K, Q5_K): position 128h + 16j + k of a block holds 16^−min(j,6) · element
    /// 128h + 64·(k/8) + 32·(j%2) + 4·(k%8) + j/2 — what nibble j of word lane k of the block's
    /// nibble bytes 64h…64h+63 multiplies; group sums per 32.
    /// `.lanesK6` (Q6_K): position 128h + 64p + 16i + k holds 2^−8i · element 128h + 32·(k/8) + 64p
    /// + 4·(k%8) + i — what byte i, nibble p, of word lane k of ql's 64 bytes at 64h multiplies;
    /// group sums per 16.
    func prepareLanes(_ format: ActivationFormat, from xq: UnsafeMutablePointer<Float>) {
        let k4 = format == .lanesK4
        var buffers = (k4 ? lanesK4 : lanesK6)
            ?? LaneBuffers(values: .allocate(capacity: maxRows * maxCols), sums: .allocate(capacity: maxRows * maxCols / 16 + maxRows))
        if buffers.current { return }
        let blocks = cols / 256
        for r in 0..<rows {
            for b in 0..<blocks {
                let src = xq + r * cols + 256 * b, dst = buffers.values + r * cols + 256 * b
                let d = scales[r * blocks + b], intSums = sums + r * (cols / 16) + 16 * b
                if k4 {
                    for h in 0..<2 {
                        for j in 0..<8 {
                            let factor = Float(sign: .plus, exponent: -4 * min(j, 6), significand: 1)
                            for k in 0..<16 {
                                dst[128 * h + 16 * j + k] = factor * src[128 * h + 64 * (k / 8) + 32 * (j % 2) + 4 * (k % 8) + j / 2]
                            }
                        }
                    }
                    let groupSums = buffers.sums + r * (cols / 32) + 8 * b
                    for j in 0..<8 { groupSums[j] = d * Float(intSums[2 * j] + intSums[2 * j + 1]) }
                } else {
                    for h in 0..<2 {
                        for p in 0..<2 {
                            for i in 0..<4 {
                                let factor = Float(sign: .plus, exponent: -8 * i, significand: 1)
                                for k in 0..<16 {
                                    dst[128 * h + 64 * p + 16 * i + k] = factor * src[128 * h + 32 * (k / 8) + 64 * p + 4 * (k % 8) + i]
                                }
                            }
                        }
                    }
                    let groupSums = buffers.sums + r * (cols / 16) + 16 * b
                    for g in 0..<16 { groupSums[g] = d * Float(intSums[g]) }
                }
            }
        }
        buffers.current = true
        if k4 { lanesK4 = buffers } else { lanesK6 = buffers }
    }
}
