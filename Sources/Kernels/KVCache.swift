import RealModule

/// How a `KVCache` stores keys and values.
public enum KVCacheType: String, Sendable, CaseIterable {
    /// IEEE half: half the memory, what llama.cpp uses by default.
    case f16
    /// Full f32.
    case f32
}

/// The keys and values of one sequence for every layer of a model, and the attention that reads them.
///
/// Layout: per layer, `capacity` positions of `keyWidth` keys (kvHeads × headDim) and `valueWidth` values,
/// position-major, so one head's key at one position is `headDim` contiguous elements. Memory is
/// allocated once; `store` and `attend` allocate nothing.
public final class KVCache: @unchecked Sendable {
    public let type: KVCacheType
    /// Layers, positions per layer, and elements per position for keys and values.
    public let layers: Int, capacity: Int, keyWidth: Int, valueWidth: Int

    private let keys: UnsafeMutableRawPointer
    private let values: UnsafeMutableRawPointer
    // Attention scores: one row of `capacity` floats per concurrently running chunk of tasks.
    private let scores: UnsafeMutablePointer<Float>
    /// Chunks one attention call is split into, at most (each owns a row of `scores`).
    static let scoreSlots = 16

    /// - Throws: `KernelError.invalidDimension` for non-positive sizes or sizes whose product overflows
    ///   or exceeds 64 GiB.
    public init(type: KVCacheType, layers: Int, capacity: Int, keyWidth: Int, valueWidth: Int) throws {
        for (name, value) in [("layers", layers), ("capacity", capacity), ("keyWidth", keyWidth), ("valueWidth", valueWidth)]
        where value <= 0 {
            throw KernelError.invalidDimension(name: name, value: value)
        }
        let element = type == .f16 ? 2 : 4
        var total = 0
        for width in [keyWidth, valueWidth] {
            let (a, o1) = layers.multipliedReportingOverflow(by: capacity)
            let (b, o2) = a.multipliedReportingOverflow(by: width)
            let (c, o3) = b.multipliedReportingOverflow(by: element)
            guard !o1, !o2, !o3 else { throw KernelError.invalidDimension(name: "KV cache size", value: capacity) }
            total += c
        }
        guard total <= 64 << 30 else { throw KernelError.invalidDimension(name: "KV cache bytes", value: total) }
        self.type = type
        self.layers = layers
        self.capacity = capacity
        self.keyWidth = keyWidth
        self.valueWidth = valueWidth
        keys = .allocate(byteCount: layers * capacity * keyWidth * element, alignment: 64)
        values = .allocate(byteCount: layers * capacity * valueWidth * element, alignment: 64)
        scores = .allocate(capacity: Self.scoreSlots * capacity)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        scores.deallocate()
    }

    /// Bytes held for keys and values.
    public var byteCount: Int { layers * capacity * (keyWidth + valueWidth) * (type == .f16 ? 2 : 4) }

    /// Writes `rows` consecutive positions starting at `position` for `layer`: `k` holds rows × keyWidth
    /// floats, `v` rows × valueWidth (extra trailing elements in either are ignored).
    public func store(layer: Int, position: Int, rows: Int, keys k: [Float], values v: [Float]) throws {
        try checkRange(layer: layer, position: position, rows: rows)
        guard k.count >= rows * keyWidth else {
            throw KernelError.shapeMismatch(operation: "KV store keys", expected: rows * keyWidth, actual: k.count)
        }
        guard v.count >= rows * valueWidth else {
            throw KernelError.shapeMismatch(operation: "KV store values", expected: rows * valueWidth, actual: v.count)
        }
        k.withUnsafeBufferPointer { src in
            write(src.baseAddress!, to: keys, offset: (layer * capacity + position) * keyWidth, count: rows * keyWidth)
        }
        v.withUnsafeBufferPointer { src in
            write(src.baseAddress!, to: values, offset: (layer * capacity + position) * valueWidth, count: rows * valueWidth)
        }
    }

    private func write(_ src: UnsafePointer<Float>, to base: UnsafeMutableRawPointer, offset: Int, count: Int) {
        switch type {
        case .f16:
            let dst = base.assumingMemoryBound(to: UInt16.self) + offset
            for i in 0..<count { dst[i] = floatToHalf(src[i]) }
        case .f32:
            (base.assumingMemoryBound(to: Float.self) + offset).update(from: src, count: count)
        }
    }

    private func checkRange(layer: Int, position: Int, rows: Int) throws {
        guard layer >= 0, layer < layers else { throw KernelError.invalidDimension(name: "layer", value: layer) }
        guard rows > 0, position >= 0, position <= capacity - rows else {
            throw KernelError.invalidDimension(name: "KV position", value: position + rows)
        }
    }
}

/// The geometry of one attention call over a `KVCache`.
public struct AttentionShape: Sendable, Equatable {
    /// Query heads, key/value heads (query head h reads kv head h / (heads / kvHeads)), key and
    /// value dimensions per head.
    public var heads: Int, kvHeads: Int, headDim: Int, valueDim: Int
    /// Multiplies q·k before the softmax (usually 1/√headDim).
    public var scale: Float
    /// Sliding window: a query at position p sees keys at positions > p − window; nil sees all.
    public var window: Int?

    public init(heads: Int, kvHeads: Int, headDim: Int, valueDim: Int, scale: Float, window: Int? = nil) {
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.valueDim = valueDim
        self.scale = scale
        self.window = window
    }
}

extension KVCache {
    /// Causal attention for `rows` queries at positions `position..<position+rows` of `layer`, whose keys
    /// and values are already stored: `out[r, h] = Σ_j softmax_j(scale · q[r,h]·k[j]) · v[j]` over the
    /// positions j ≤ its own (and inside the window).
    ///
    /// With an f16 cache the query and the softmax weights are rounded to f16 before their dot products,
    /// as ggml does when it multiplies by f16 keys and values (llama.cpp without flash attention), so
    /// the results match llama.cpp's rather than an exact computation.
    /// - Parameters: queries: rows × heads × headDim; out: at least rows × heads × valueDim, overwritten.
    public func attend(layer: Int, position: Int, rows: Int, queries: [Float], shape: AttentionShape,
                       into out: inout [Float], pool: ThreadPool) throws {
        try checkRange(layer: layer, position: position, rows: rows)
        let s = shape
        guard s.heads > 0, s.kvHeads > 0, s.heads % s.kvHeads == 0, s.kvHeads * s.headDim == keyWidth,
              s.kvHeads * s.valueDim == valueWidth else {
            throw KernelError.shapeMismatch(operation: "attention heads", expected: keyWidth, actual: s.kvHeads * s.headDim)
        }
        if let window = s.window, window <= 0 { throw KernelError.invalidDimension(name: "window", value: window) }
        guard queries.count >= rows * s.heads * s.headDim else {
            throw KernelError.shapeMismatch(operation: "attention queries", expected: rows * s.heads * s.headDim, actual: queries.count)
        }
        guard out.count >= rows * s.heads * s.valueDim else {
            throw KernelError.shapeMismatch(operation: "attention output", expected: rows * s.heads * s.valueDim, actual: out.count)
        }
        let geometry = CacheGeometry(keys: UnsafeRawPointer(keys), values: UnsafeRawPointer(values),
                                     keyOffset: layer * capacity * keyWidth, valueOffset: layer * capacity * valueWidth,
                                     keyWidth: keyWidth, valueWidth: valueWidth)
        let type = type, capacity = capacity, scores = scores
        let tasks = rows * s.heads
        // Chunks of tasks, each with its own score row; the chunk index picks the row.
        let chunk = (tasks + Self.scoreSlots - 1) / Self.scoreSlots
        queries.withUnsafeBufferPointer { qp in
            out.withUnsafeMutableBufferPointer { op in
                let q = qp.baseAddress!, o = op.baseAddress!
                pool.parallelFor(tasks, chunk: chunk) { range in
                    let scratch = scores + (range.lowerBound / chunk) * capacity
                    for task in range {
                        let h = task % s.heads, p = position + task / s.heads
                        let first = s.window.map { max(0, p - $0 + 1) } ?? 0
                        let head = HeadTask(query: q + task * s.headDim, out: o + task * s.valueDim,
                                            kvHead: h / (s.heads / s.kvHeads), positions: first...p, scores: scratch)
                        switch type {
                        case .f16: attendHead(Half.self, head, geometry, s)
                        case .f32: attendHead(Float.self, head, geometry, s)
                        }
                    }
                }
            }
        }
    }
}

/// Where one layer's keys and values live (element offsets; positions are `keyWidth`/`valueWidth` apart).
struct CacheGeometry {
    let keys: UnsafeRawPointer, values: UnsafeRawPointer
    let keyOffset: Int, valueOffset: Int
    let keyWidth: Int, valueWidth: Int
}

/// One query head's attention: its query, output, kv head, visible positions and score scratch.
struct HeadTask {
    let query: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>
    let kvHead: Int
    let positions: ClosedRange<Int>
    let scores: UnsafeMutablePointer<Float>
}

/// Scores, softmax, then the weighted sum of values, for one head.
@inline(__always)
private func attendHead<E: KVElement>(_: E.Type, _ t: HeadTask, _ g: CacheGeometry, _ s: AttentionShape) {
    let size = E.byteSize
    let kBase = g.keys + (g.keyOffset + t.kvHead * s.headDim) * size
    let vBase = g.values + (g.valueOffset + t.kvHead * s.valueDim) * size
    let first = t.positions.lowerBound, n = t.positions.count
    var top = -Float.infinity
    for j in 0..<n {
        let k = kBase + (first + j) * g.keyWidth * size
        var dot: Float = 0
        for d in 0..<s.headDim { dot = Relaxed.multiplyAdd(E.operand(t.query[d]), E.float(k, d), dot) }
        let score = dot * s.scale
        t.scores[j] = score
        top = max(top, score)
    }
    var sum: Float = 0
    for j in 0..<n {
        let e = Float.exp(t.scores[j] - top)
        t.scores[j] = e
        sum += e
    }
    let inv: Float = sum > 0 ? 1 / sum : 0
    for d in 0..<s.valueDim { t.out[d] = 0 }
    for j in 0..<n {
        let w = E.operand(t.scores[j] * inv)
        let v = vBase + (first + j) * g.valueWidth * size
        for d in 0..<s.valueDim { t.out[d] = Relaxed.multiplyAdd(w, E.float(v, d), t.out[d]) }
    }
}

/// A cache element type: how one stored element reads back as f32, and how an f32 operand of a dot
/// product with it is rounded (ggml converts the other operand to the cache's type).
protocol KVElement {
    /// Bytes per stored element.
    static var byteSize: Int { get }
    static func float(_ p: UnsafeRawPointer, _ i: Int) -> Float
    static func operand(_ x: Float) -> Float
}

/// IEEE half stored as its bits.
enum Half: KVElement {
    static var byteSize: Int { 2 }

    @inline(__always)
    static func float(_ p: UnsafeRawPointer, _ i: Int) -> Float {
        halfToFloat(p.assumingMemoryBound(to: UInt16.self)[i])
    }

    @inline(__always)
    static func operand(_ x: Float) -> Float { halfToFloat(floatToHalf(x)) }
}

extension Float: KVElement {
    static var byteSize: Int { 4 }

    @inline(__always)
    static func float(_ p: UnsafeRawPointer, _ i: Int) -> Float {
        p.assumingMemoryBound(to: Float.self)[i]
    }

    @inline(__always)
    static func operand(_ x: Float) -> Float { x }
}
