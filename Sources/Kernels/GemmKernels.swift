import GGUF

// Batched products Y = X·Wᵀ (prefill) as an f32 register-tiled GEMM.
//
// Why f32 and not int8 here: Swift has no access to vpdpbusd other than LLVM recognising a complete
// horizontal reduction, which costs ~7 shuffle/add ops per 32-element block and (r, a) pair (measured
// here: 15 GMAC/s per core). A tile kernel needs the dot products to stay in vector lanes, and the
// only clean way to get that from Swift is f32 FMA: `SIMD16<Float>.addProduct` with a broadcast
// compiles to one vfmadd231ps zmm (measured here: 154 GFLOP/s on one core, this Zen 5 has two
// 512-bit FMA pipes). Weights are dequantized a small panel at a time (never whole matrices), and
// activations are the same int8·scale values the matvec kernels use, so matmul and matvec agree up
// to float rounding and summation order.
//
// Shapes: a micro-tile is `tileRows` weight rows × `lanes` activation rows. Activations are packed
// once per input ("XT": for each group of 32 activation rows, `cols` steps of 32 floats, zero-padded
// past the last row), weights are dequantized per tile into a `tileRows × kBlock` panel that stays in
// L1, and the kernel walks k: two 16-float loads of activations, six weight broadcasts, twelve FMAs.

enum Gemm {
    /// Activation rows per micro-tile (two SIMD16 vectors).
    static let lanes = 32
    /// Weight rows per micro-tile.
    static let tileRows = 6
    /// Columns dequantized per panel: a multiple of 256 (K super-blocks); 6 × 256 f32 = 6 KiB.
    static let kBlock = 256
    /// Activation-row groups swept together: each weight panel is dequantized once per chunk, and
    /// their packed slice for one column block (4 × 256 × 128 B = 128 KiB) stays in L2.
    static let groupsPerChunk = 4
    /// Most row groups per parallel work item. The column-block loop runs outside the row groups so
    /// the activation slice is reused from cache by all of them; their partial tiles (16 × 4 × 768 B)
    /// wait in a per-item buffer until the last column block. Small matrices get smaller items (at
    /// least 4 groups) so every thread has several.
    static let rowGroupsPerItem = 16
    /// Batches at least this large use the GEMM; smaller ones run the matvec kernels once per row
    /// (a 32-lane tile spends most of its work on padding). Measured crossover on one core: ~12 rows
    /// for the nibble and K formats, ~16 for Q8_0 and the float formats, whose matvec is faster.
    static func minimumBatch(_ type: GGMLType) -> Int {
        switch type {
        case .q8_0, .f32, .f16, .bf16: 16
        default: 12
        }
    }

    /// `out[a·rows + r] = Σ_k W[r][k]·X[a][k]` for every loaded activation row a.
    static func multiply(_ w: WeightMatrix, _ x: QuantizedActivations, _ out: UnsafeMutablePointer<Float>,
                         pool: ThreadPool) {
        let format = ActivationFormat(weight: w.type)
        let packed = x.preparePacked(format, pool: pool)
        let batch = x.rows, cols = w.cols, rows = w.rows
        let groups = (batch + lanes - 1) / lanes
        let rowGroups = (rows + tileRows - 1) / tileRows
        let perItem = min(rowGroupsPerItem, max(4, rowGroups / (3 * pool.threadCount)))
        let items = (rowGroups + perItem - 1) / perItem
        let tileFloats = tileRows * lanes
        var first = 0
        while first < groups {
            let count = min(groupsPerChunk, groups - first)
            pool.parallelFor(items, chunk: 1) { range in
                let capacity = tileRows * kBlock + rowGroupsPerItem * groupsPerChunk * tileFloats
                withUnsafeTemporaryAllocation(of: Float.self, capacity: capacity) { buffer in
                    let panel = buffer.baseAddress!
                    let tiles = panel + tileRows * kBlock
                    for item in range {
                        let g0 = item * perItem, g1 = min(rowGroups, g0 + perItem)
                        var k0 = 0
                        while k0 < cols {
                            let kn = min(kBlock, cols - k0)
                            for rowGroup in g0..<g1 {
                                let r0 = rowGroup * tileRows
                                dequantizePanel(w, rows: r0..<min(rows, r0 + tileRows), columns: k0..<k0 + kn, into: panel)
                                let tile = tiles + (rowGroup - g0) * groupsPerChunk * tileFloats
                                for g in 0..<count {
                                    let x = packed + ((first + g) * cols + k0) * lanes, c = tile + g * tileFloats
                                    if batch - (first + g) * lanes > lanes / 2 {
                                        kernel(panel, kn, x, c, accumulate: k0 > 0)
                                    } else {
                                        halfKernel(panel, kn, x, c, accumulate: k0 > 0)
                                    }
                                }
                            }
                            k0 += kn
                        }
                        for rowGroup in g0..<g1 {
                            let r0 = rowGroup * tileRows
                            let tile = tiles + (rowGroup - g0) * groupsPerChunk * tileFloats
                            for g in 0..<count {
                                let a0 = (first + g) * lanes
                                store(tile + g * tileFloats, rows: min(tileRows, rows - r0), lanes: min(lanes, batch - a0),
                                      out + a0 * rows + r0, stride: rows)
                            }
                        }
                    }
                }
            }
            first += count
        }
    }

    /// Rows `rows` (at most `tileRows`), columns `columns` of `w` as f32 into `panel` (row i at
    /// `panel + i·columns.count`); rows past the matrix are zero.
    static func dequantizePanel(_ w: WeightMatrix, rows: Range<Int>, columns: Range<Int>, into panel: UnsafeMutablePointer<Float>) {
        let kn = columns.count
        let blockSize = w.type.blockSize
        let offset = columns.lowerBound / blockSize * w.type.typeSize
        for i in 0..<tileRows {
            let dst = panel + i * kn
            if i < rows.count {
                GemmDequantize.row(w.type, w.base + (rows.lowerBound + i) * w.rowBytes + offset, dst, count: kn)
            } else {
                dst.initialize(repeating: 0, count: kn)
            }
        }
    }

    /// One micro-tile over `k` columns: `c[i][l] (+)= Σ_kk w[i][kk] · x[kk][l]` for 6 weight rows i
    /// (`w` rows `k` floats apart) and 32 activation lanes l (`x` steps of 32 floats).
    @inline(never)
    static func kernel(_ w: UnsafePointer<Float>, _ k: Int, _ x: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                       accumulate: Bool) {
        let cr = UnsafeMutableRawPointer(c)
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        if accumulate {
            c00 = cr.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self); c01 = cr.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            c10 = cr.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self); c11 = cr.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
            c20 = cr.loadUnaligned(fromByteOffset: 256, as: SIMD16<Float>.self); c21 = cr.loadUnaligned(fromByteOffset: 320, as: SIMD16<Float>.self)
            c30 = cr.loadUnaligned(fromByteOffset: 384, as: SIMD16<Float>.self); c31 = cr.loadUnaligned(fromByteOffset: 448, as: SIMD16<Float>.self)
            c40 = cr.loadUnaligned(fromByteOffset: 512, as: SIMD16<Float>.self); c41 = cr.loadUnaligned(fromByteOffset: 576, as: SIMD16<Float>.self)
            c50 = cr.loadUnaligned(fromByteOffset: 640, as: SIMD16<Float>.self); c51 = cr.loadUnaligned(fromByteOffset: 704, as: SIMD16<Float>.self)
        }
        let xr = UnsafeRawPointer(x)
        let w0 = w, w1 = w + k, w2 = w + 2 * k, w3 = w + 3 * k, w4 = w + 4 * k, w5 = w + 5 * k
        for kk in 0..<k {
            let x0 = xr.loadUnaligned(fromByteOffset: 128 * kk, as: SIMD16<Float>.self)
            let x1 = xr.loadUnaligned(fromByteOffset: 128 * kk + 64, as: SIMD16<Float>.self)
            var b = SIMD16<Float>(repeating: w0[kk])
            c00.addProduct(b, x0); c01.addProduct(b, x1)
            b = SIMD16<Float>(repeating: w1[kk]); c10.addProduct(b, x0); c11.addProduct(b, x1)
            b = SIMD16<Float>(repeating: w2[kk]); c20.addProduct(b, x0); c21.addProduct(b, x1)
            b = SIMD16<Float>(repeating: w3[kk]); c30.addProduct(b, x0); c31.addProduct(b, x1)
            b = SIMD16<Float>(repeating: w4[kk]); c40.addProduct(b, x0); c41.addProduct(b, x1)
            b = SIMD16<Float>(repeating: w5[kk]); c50.addProduct(b, x0); c51.addProduct(b, x1)
        }
        cr.storeBytes(of: c00, toByteOffset: 0, as: SIMD16<Float>.self); cr.storeBytes(of: c01, toByteOffset: 64, as: SIMD16<Float>.self)
        cr.storeBytes(of: c10, toByteOffset: 128, as: SIMD16<Float>.self); cr.storeBytes(of: c11, toByteOffset: 192, as: SIMD16<Float>.self)
        cr.storeBytes(of: c20, toByteOffset: 256, as: SIMD16<Float>.self); cr.storeBytes(of: c21, toByteOffset: 320, as: SIMD16<Float>.self)
        cr.storeBytes(of: c30, toByteOffset: 384, as: SIMD16<Float>.self); cr.storeBytes(of: c31, toByteOffset: 448, as: SIMD16<Float>.self)
        cr.storeBytes(of: c40, toByteOffset: 512, as: SIMD16<Float>.self); cr.storeBytes(of: c41, toByteOffset: 576, as: SIMD16<Float>.self)
        cr.storeBytes(of: c50, toByteOffset: 640, as: SIMD16<Float>.self); cr.storeBytes(of: c51, toByteOffset: 704, as: SIMD16<Float>.self)
    }

    /// `kernel` for the first 16 lanes only: the last group of a batch whose size leaves it at most
    /// 16 rows (e.g. 100 = 3 · 32 + 4) costs half a group instead of a whole one.
    @inline(never)
    static func halfKernel(_ w: UnsafePointer<Float>, _ k: Int, _ x: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                           accumulate: Bool) {
        let cr = UnsafeMutableRawPointer(c)
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>()
        var c3 = SIMD16<Float>(), c4 = SIMD16<Float>(), c5 = SIMD16<Float>()
        if accumulate {
            c0 = cr.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self); c1 = cr.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            c2 = cr.loadUnaligned(fromByteOffset: 256, as: SIMD16<Float>.self); c3 = cr.loadUnaligned(fromByteOffset: 384, as: SIMD16<Float>.self)
            c4 = cr.loadUnaligned(fromByteOffset: 512, as: SIMD16<Float>.self); c5 = cr.loadUnaligned(fromByteOffset: 640, as: SIMD16<Float>.self)
        }
        let xr = UnsafeRawPointer(x)
        let w0 = w, w1 = w + k, w2 = w + 2 * k, w3 = w + 3 * k, w4 = w + 4 * k, w5 = w + 5 * k
        for kk in 0..<k {
            let x0 = xr.loadUnaligned(fromByteOffset: 128 * kk, as: SIMD16<Float>.self)
            c0.addProduct(SIMD16<Float>(repeating: w0[kk]), x0); c1.addProduct(SIMD16<Float>(repeating: w1[kk]), x0)
            c2.addProduct(SIMD16<Float>(repeating: w2[kk]), x0); c3.addProduct(SIMD16<Float>(repeating: w3[kk]), x0)
            c4.addProduct(SIMD16<Float>(repeating: w4[kk]), x0); c5.addProduct(SIMD16<Float>(repeating: w5[kk]), x0)
        }
        cr.storeBytes(of: c0, toByteOffset: 0, as: SIMD16<Float>.self); cr.storeBytes(of: c1, toByteOffset: 128, as: SIMD16<Float>.self)
        cr.storeBytes(of: c2, toByteOffset: 256, as: SIMD16<Float>.self); cr.storeBytes(of: c3, toByteOffset: 384, as: SIMD16<Float>.self)
        cr.storeBytes(of: c4, toByteOffset: 512, as: SIMD16<Float>.self); cr.storeBytes(of: c5, toByteOffset: 640, as: SIMD16<Float>.self)
    }

    /// Writes the valid part of a tile (`c[i][l]`, i < rows, l < lanes) to `out[l·stride + i]`.
    @inline(__always)
    static func store(_ c: UnsafePointer<Float>, rows: Int, lanes valid: Int, _ out: UnsafeMutablePointer<Float>, stride: Int) {
        for l in 0..<valid {
            for i in 0..<rows { out[l * stride + i] = c[i * lanes + l] }
        }
    }
}
