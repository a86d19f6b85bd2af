import Kernels

/// An f32 linear layer, y = x·Wᵀ + b, with W repacked at load time for a register-blocked GEMM.
///
/// BERT in sentence-transformers runs in f32 end to end, so the layer is f32×f32. W (PyTorch's
/// `out × in`) is stored as panels of `panelWidth` output features: panel p holds, for every input
/// feature k, the weights of outputs `p·16·2 ..< +32` contiguously, so the micro-kernel reads one
/// 32-wide weight row per k and multiplies it with `rowsPerBlock` broadcast activations, keeping
/// `rowsPerBlock × 2` SIMD16 accumulators in registers. Outputs past `outFeatures` in the last panel are
/// zero weights and are never stored.
struct PackedLinear: @unchecked Sendable {
    static let panelWidth = 32
    /// Activation rows per micro-kernel call; callers pad their row count to a multiple of this.
    static let rowsPerBlock = 6
    /// Activation rows per parallel work item: small enough that the rows stay in L2 while a panel
    /// streams through them.
    static let rowsPerTile = 48

    let inFeatures: Int
    let outFeatures: Int
    private let panelCount: Int
    private let panels: FloatStorage  // panelCount × inFeatures × panelWidth
    private let bias: FloatStorage    // panelCount × panelWidth (zero past outFeatures)

    /// - Parameters: weight: `outFeatures × inFeatures`, row-major; bias: `outFeatures` values.
    init(weight: [Float], bias: [Float], outFeatures: Int, inFeatures: Int) {
        precondition(weight.count == outFeatures * inFeatures && bias.count == outFeatures, "checked by the loader")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let width = Self.panelWidth
        panelCount = (outFeatures + width - 1) / width
        panels = FloatStorage(count: panelCount * inFeatures * width)
        self.bias = FloatStorage(count: panelCount * width)
        for o in 0..<outFeatures {
            let panel = o / width, lane = o % width
            let dst = panels.pointer + panel * inFeatures * width + lane
            for k in 0..<inFeatures { dst[k * width] = weight[o * inFeatures + k] }
            self.bias.pointer[o] = bias[o]
        }
    }

    /// y[r] = x[r]·Wᵀ + b for `rows` rows (a multiple of `rowsPerBlock`).
    /// - Parameters: x: `rows × inFeatures`; y: `rows × outFeatures`, overwritten.
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let tiles = (rows + Self.rowsPerTile - 1) / Self.rowsPerTile
        let panelCount = panelCount
        pool.parallelFor(tiles * panelCount, chunk: 1) { items in
            for item in items {
                let tile = item / panelCount, panel = item % panelCount
                let end = min(rows, (tile + 1) * Self.rowsPerTile)
                var r = tile * Self.rowsPerTile
                while r < end {
                    block(x + r * inFeatures, panel: panel, y + r * outFeatures)
                    r += Self.rowsPerBlock
                }
            }
        }
    }

    /// Six activation rows against one 32-wide panel.
    @inline(__always)
    private func block(_ x: UnsafePointer<Float>, panel: Int, _ y: UnsafeMutablePointer<Float>) {
        typealias V = SIMD16<Float>
        let k = inFeatures
        let w = UnsafeRawPointer(panels.pointer + panel * k * Self.panelWidth)
        let b = UnsafeRawPointer(bias.pointer + panel * Self.panelWidth)
        let bias0 = b.loadUnaligned(as: V.self), bias1 = b.loadUnaligned(fromByteOffset: 64, as: V.self)
        var a00 = bias0, a01 = bias1, a10 = bias0, a11 = bias1, a20 = bias0, a21 = bias1
        var a30 = bias0, a31 = bias1, a40 = bias0, a41 = bias1, a50 = bias0, a51 = bias1
        let x0 = x, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k, x5 = x4 + k
        for i in 0..<k {
            let w0 = w.loadUnaligned(fromByteOffset: i * 128, as: V.self)
            let w1 = w.loadUnaligned(fromByteOffset: i * 128 + 64, as: V.self)
            a00 = a00.addingProduct(x0[i], w0); a01 = a01.addingProduct(x0[i], w1)
            a10 = a10.addingProduct(x1[i], w0); a11 = a11.addingProduct(x1[i], w1)
            a20 = a20.addingProduct(x2[i], w0); a21 = a21.addingProduct(x2[i], w1)
            a30 = a30.addingProduct(x3[i], w0); a31 = a31.addingProduct(x3[i], w1)
            a40 = a40.addingProduct(x4[i], w0); a41 = a41.addingProduct(x4[i], w1)
            a50 = a50.addingProduct(x5[i], w0); a51 = a51.addingProduct(x5[i], w1)
        }
        let n = outFeatures
        let column = panel * Self.panelWidth
        let valid = min(Self.panelWidth, n - column)
        @inline(__always) func store(_ r: Int, _ lo: V, _ hi: V) {
            let out = y + r * n + column
            if valid == Self.panelWidth {
                UnsafeMutableRawPointer(out).storeBytes(of: lo, as: V.self)
                UnsafeMutableRawPointer(out + 16).storeBytes(of: hi, as: V.self)
            } else {
                for j in 0..<valid { out[j] = j < 16 ? lo[j] : hi[j - 16] }
            }
        }
        store(0, a00, a01); store(1, a10, a11); store(2, a20, a21)
        store(3, a30, a31); store(4, a40, a41); store(5, a50, a51)
    }
}

/// A 64-byte aligned float buffer that lives as long as its owner.
final class FloatStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.initializeMemory(as: Float.self, repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }
}
