/// One lane order of the activation rows: the int8 values times their scales rearranged within each
/// 128 (`lanes32`) or 256 (K) elements for the lane kernels, with float group sums.
struct LaneBuffers {
    let values: UnsafeMutablePointer<Float>   // maxRows × maxCols
    let sums: UnsafeMutablePointer<Float>     // maxRows × maxCols/16 (per 16) or /32 (per 32 or block)
    /// Whether they match the current block256 form.
    var current = false

    func deallocate() {
        values.deallocate()
        sums.deallocate()
    }
}

extension QuantizedActivations {
    /// Makes the lane order for `format` from the int8 form's values `xq` (rows × cols) unless it is
    /// current.
    ///
    /// `.lanes32` (Q4_0…Q5_1): position 16·(2i + p) + k of each 128
    /// elements (four blocks) holds 2^−8i · element 32·(k/4) + 4·(k%4) + i + 16p — what byte i of
    /// word lane k (word k%4 of block k/4) multiplies once its low (p = 0) or high (p = 1) nibbles
    /// are one per byte; a float sum per block. The last cols/32 % 4 blocks stay in order.
    /// `.lanesK2` (Q2_K, Q3_K): position 16·(4s + i) + k of a block holds 2^−(8i+2s) (2^−28 for
    /// i = s = 3) · element 128·(k/8) + 32s + 4·(k%8) + i — what the 2 bits at 8i + 2s of word lane k
    /// of the block's 64 bytes of low bits multiply; group sums per 16.
    /// `.lanesK4` (Q4_K, Q5_K): position 128h + 16j + k of a block holds 16^−min(j,6) · element
    /// 128h + 64·(k/8) + 32·(j%2) + 4·(k%8) + j/2 — what nibble j of word lane k of the block's
    /// nibble bytes 64h…64h+63 multiplies; group sums per 32.
    /// `.lanesK6` (Q6_K): position 128h + 64p + 16i + k holds 2^−8i · element 128h + 32·(k/8) + 64p
    /// + 4·(k%8) + i — what byte i, nibble p, of word lane k of ql's 64 bytes at 64h multiplies;
    /// group sums per 16.
    func prepareLanes(_ format: ActivationFormat, _ index: Int, from xq: UnsafeMutablePointer<Float>) {
        var buffers = lanes[index]
            ?? LaneBuffers(values: .allocate(capacity: maxRows * maxCols), sums: .allocate(capacity: maxRows * maxCols / 16 + maxRows))
        if buffers.current { return }
        switch format {
        case .lanes32: fillLanes32(buffers, from: xq)
        case .lanesK2: fillK(buffers, from: xq, groupsPerBlock: 16) { p in
            // p = 16·(4s + i) + k ← element 128·(k/8) + 32s + 4·(k%8) + i, 2^−(8i+2s) (2^−28 for i = s = 3)
            let k = p % 16, s = p / 64, i = (p / 16) % 4
            return (128 * (k / 8) + 32 * s + 4 * (k % 8) + i, i == 3 && s == 3 ? -28 : -(8 * i + 2 * s))
        }
        case .lanesK4: fillK(buffers, from: xq, groupsPerBlock: 8) { p in
            let h = p / 128, j = (p / 16) % 8, k = p % 16
            return (128 * h + 64 * (k / 8) + 32 * (j % 2) + 4 * (k % 8) + j / 2, -4 * min(j, 6))
        }
        default: fillK(buffers, from: xq, groupsPerBlock: 16) { p in
            let h = p / 128, q = (p / 64) % 2, i = (p / 16) % 4, k = p % 16
            return (128 * h + 32 * (k / 8) + 64 * q + 4 * (k % 8) + i, -8 * i)
        }
        }
        buffers.current = true
        lanes[index] = buffers
    }

    private func fillLanes32(_ buffers: LaneBuffers, from xq: UnsafeMutablePointer<Float>) {
        let blocks = cols / 32
        for r in 0..<rows {
            let src = xq + r * cols, dst = buffers.values + r * cols
            for g in 0..<blocks / 4 {
                for i in 0..<4 {
                    let factor = Float(sign: .plus, exponent: -8 * i, significand: 1)
                    for p in 0..<2 {
                        for k in 0..<16 {
                            dst[128 * g + 16 * (2 * i + p) + k] = factor * src[128 * g + 32 * (k / 4) + 4 * (k % 4) + i + 16 * p]
                        }
                    }
                }
            }
            for e in blocks / 4 * 128..<cols { dst[e] = src[e] }
            let groupSums = buffers.sums + r * blocks
            for b in 0..<blocks { groupSums[b] = scales[r * blocks + b] * Float(sums[r * (cols / 16) + b]) }
        }
    }

    /// A K lane order: position p of each 256-block holds element `source(p).element` of the block
    /// times 2^`source(p).exponent`; float group sums per 32 (8 per block) or per 16.
    private func fillK(_ buffers: LaneBuffers, from xq: UnsafeMutablePointer<Float>, groupsPerBlock: Int,
                       _ source: (Int) -> (element: Int, exponent: Int)) {
        let blocks = cols / 256
        for r in 0..<rows {
            for b in 0..<blocks {
                let src = xq + r * cols + 256 * b, dst = buffers.values + r * cols + 256 * b
                for p in 0..<256 {
                    let (e, exponent) = source(p)
                    dst[p] = Float(sign: .plus, exponent: exponent, significand: 1) * src[e]
                }
                let d = scales[r * blocks + b], intSums = sums + r * (cols / 16) + 16 * b
                let groupSums = buffers.sums + r * blocks * groupsPerBlock + groupsPerBlock * b
                let per = 16 / groupsPerBlock
                for g in 0..<groupsPerBlock { groupSums[g] = d * Float((0..<per).reduce(Int32(0)) { $0 + intSums[per * g + $1] }) }
            }
        }
    }
}
