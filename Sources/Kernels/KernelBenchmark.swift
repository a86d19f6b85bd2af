#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GGUF
import RealModule

/// `swiftlet bench kernels`: the machine's streaming-read bandwidth, then per weight type the matvec
/// throughput (GB/s of weight bytes read, on a matrix larger than L3), the time of one matvec on a
/// small cache-resident matrix (per-call overhead: decode runs hundreds of them per token) and the
/// matmul throughput for a batch of 64 and of `matmulBatch` activation rows (prefill), including the
/// quantization and packing of its input.
public enum KernelBenchmark {
    /// One type's measurements.
    public struct Row: Sendable {
        public let type: GGMLType
        /// Weight bytes read per second by matvec, in GB/s (10⁹ bytes).
        public let matvecGBps: Double
        /// The streaming read's GB/s, timed in turn with this type's matvec passes.
        public let bandwidthGBps: Double
        /// `matvecGBps` as a percentage of `bandwidthGBps`.
        public var percentOfBandwidth: Double { 100 * matvecGBps / bandwidthGBps }
        /// Microseconds per matvec of a `smallRows × smallCols` matrix (cache-resident).
        public let smallMatvecMicroseconds: Double
        /// matmul throughput, 2·batch·rows·cols per second in GFLOP/s, for each of `Report.matmulBatches`.
        public let matmulGFLOPs: [Double]
    }

    /// A whole run.
    public struct Report: Sendable {
        public let threads: Int
        public let matvecBytes: Int
        /// Activation rows of each measured matmul.
        public let matmulBatches: [Int]
        public let rows: [Row]

        /// A fixed-width table, one line per type.
        public func formatted() -> String {
            func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
            func fixed(_ v: Double, _ digits: Int) -> String {
                let scale = Double(Int(pow(10.0, Double(digits))))
                let r = (v * scale).rounded() / scale
                var s = String(r)
                if let dot = s.firstIndex(of: ".") {
                    let decimals = s.distance(from: dot, to: s.endIndex) - 1
                    s += String(repeating: "0", count: max(0, digits - decimals))
                }
                return s
            }
            var lines = [
                "threads: \(threads)   matvec: \(matvecBytes >> 20) MiB of weights per type, timed in turn with a plain"
                    + " streaming read of as many bytes (read GB/s)",
                "small: one \(smallRows)×\(smallCols) matvec (µs per call)   matmul: \(matmulRows)×\(matmulCols) weights",
                "type    matvec GB/s   read GB/s   % of read   small µs" + matmulBatches.map { pad("mm\($0) GFLOP/s", 16) }.joined(),
            ]
            for row in rows {
                lines.append(pad(row.type.description, 4) + "   " + pad(fixed(row.matvecGBps, 1), 11)
                             + "   " + pad(fixed(row.bandwidthGBps, 1), 9)
                             + "   " + pad(fixed(row.percentOfBandwidth, 0) + "%", 9)
                             + "   " + pad(fixed(row.smallMatvecMicroseconds, 1), 8)
                             + row.matmulGFLOPs.map { pad(fixed($0, 1), 16) }.joined())
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Shape of the small, cache-resident matvec (SmolLM2's 576-wide projections; 512 columns so
    /// every format's block size divides it).
    static let smallRows = 576, smallCols = 512
    /// Shape of the matmul weights.
    static let matmulRows = 1024, matmulCols = 4096

    /// Runs the benchmark.
    /// - Parameters: threads: pool size; types: weight types to measure; matvecBytes: weight bytes per
    ///   matvec matrix (keep it well above L3); matmulBatch: activation rows of the larger matmul
    ///   (a batch of 64 is always measured too).
    public static func run(threads: Int = 2, types: [GGMLType] = Quantization.supportedTypes,
                           matvecBytes: Int = 128 << 20, matmulBatch: Int = 512) throws -> Report {
        let pool = try ThreadPool(threadCount: threads)
        let read = StreamingRead(pool: pool, bytes: matvecBytes)
        let cols = 4096
        let batches = matmulBatch == 64 ? [64] : [64, matmulBatch]
        let x = try QuantizedActivations(maxRows: batches.max()!, maxCols: max(cols, matmulCols))
        var rng = SplitMix(seed: 1)
        var rows: [Row] = []
        for type in types {
            let rowBytes = try Quantization.checkedByteCount(type: type, rows: 1, cols: cols)
            let matrixRows = (matvecBytes / rowBytes + 3) / 4 * 4
            let w = try tiledMatrix(type: type, rows: matrixRows, cols: cols, rng: &rng)
            var y = [Float](repeating: 0, count: matrixRows)
            try x.load((0..<cols).map { _ in rng.nextFloat() }, rows: 1, cols: cols)
            // The machine's bandwidth drifts by tens of percent from minute to minute (it shares
            // memory with its neighbours), so each matvec pass alternates with a streaming read.
            try w.matvec(x, into: &y, pool: pool)
            read.pass(streams: 1)
            var seconds = Double.infinity, readSeconds = Double.infinity
            for pass in 0..<8 {
                readSeconds = min(readSeconds, time { read.pass(streams: pass % 2 == 0 ? 1 : 4) })
                seconds = min(seconds, try time { try w.matvec(x, into: &y, pool: pool) })
            }

            let small = try tiledMatrix(type: type, rows: smallRows, cols: smallCols, rng: &rng)
            var ySmall = [Float](repeating: 0, count: smallRows)
            try x.load((0..<smallCols).map { _ in rng.nextFloat() }, rows: 1, cols: smallCols)
            let smallSeconds = try bestTime(repeats: 200) { try small.matvec(x, into: &ySmall, pool: pool) }

            let mm = try tiledMatrix(type: type, rows: matmulRows, cols: matmulCols, rng: &rng)
            var flops: [Double] = []
            for batch in batches {
                let input = (0..<batch * matmulCols).map { _ in rng.nextFloat() }
                var out = [Float](repeating: 0, count: batch * matmulRows)
                // Loading the input each time: the timing includes its quantization and packing,
                // which a model pays once per input (shared by e.g. the q, k and v projections).
                let mmSeconds = try bestTime(repeats: batch <= 64 ? 6 : 3) {
                    try x.load(input, rows: batch, cols: matmulCols)
                    try mm.matmul(x, into: &out, pool: pool)
                }
                flops.append(2.0 * Double(batch) * Double(matmulRows) * Double(matmulCols) / mmSeconds / 1e9)
            }
            rows.append(Row(type: type, matvecGBps: Double(matrixRows * rowBytes) / seconds / 1e9,
                            bandwidthGBps: Double(read.bytes) / readSeconds / 1e9,
                            smallMatvecMicroseconds: smallSeconds * 1e6, matmulGFLOPs: flops))
        }
        return Report(threads: threads, matvecBytes: matvecBytes, matmulBatches: batches, rows: rows)
    }

    /// A matrix whose rows repeat 64 quantized random rows: real block contents, any size, fast to make.
    static func tiledMatrix(type: GGMLType, rows: Int, cols: Int, rng: inout SplitMix) throws -> WeightMatrix {
        let distinct = 64
        var tile: [UInt8] = []
        for _ in 0..<distinct {
            tile += try Quantization.quantize((0..<cols).map { _ in rng.nextFloat() }, to: type)
        }
        let rowBytes = tile.count / distinct
        var bytes = [UInt8](repeating: 0, count: rows * rowBytes)
        bytes.withUnsafeMutableBytes { dst in
            tile.withUnsafeBytes { src in
                for r in 0..<rows {
                    let from = src.baseAddress! + (r % distinct) * rowBytes
                    (dst.baseAddress! + r * rowBytes).copyMemory(from: from, byteCount: rowBytes)
                }
            }
        }
        return try WeightMatrix(type: type, rows: rows, cols: cols, bytes: bytes)
    }

    /// Wall time of one run of `body`, in seconds.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return now() - start
    }

    /// Best wall time of `repeats` runs (after one warm-up), in seconds.
    static func bestTime(repeats: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = now()
            try body()
            best = min(best, now() - start)
        }
        return best
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// A buffer as large as a matvec matrix (larger than L3, so both see the same share of cache hits)
/// and a parallel read of it in 1 MiB chunks, with 64-byte vector loads into independent
/// accumulators so the loop is limited by memory, not by adds or their latency.
final class StreamingRead {
    let pool: ThreadPool
    let bytes: Int
    private let buffer: UnsafeMutableRawPointer
    private let partial: UnsafeMutablePointer<Float>
    private static let chunkBytes = 1 << 20

    init(pool: ThreadPool, bytes: Int) {
        self.pool = pool
        self.bytes = max(1, bytes / Self.chunkBytes) * Self.chunkBytes
        buffer = .allocate(byteCount: self.bytes, alignment: 64)
        partial = .allocate(capacity: self.bytes / Self.chunkBytes)
        let floats = buffer.assumingMemoryBound(to: Float.self)
        for i in 0..<self.bytes / 4 { floats[i] = Float(i & 1023) }
    }

    deinit {
        buffer.deallocate()
        partial.deallocate()
    }

    /// Reads the whole buffer once: each chunk front to back (`streams` 1) or as four interleaved
    /// streams a quarter chunk apart (4, as a matvec over four rows reads). Neither pattern is the
    /// faster one on every run here.
    func pass(streams: Int) {
        let chunkBytes = Self.chunkBytes, buffer = buffer, partial = partial
        // One step reads 256 bytes, 64 from each of four places: consecutive, or one per stream.
        let span = chunkBytes / streams, step = 256 / streams
        let o1 = streams == 1 ? 64 : span, o2 = 2 * o1, o3 = 3 * o1
        pool.parallelFor(bytes / chunkBytes, chunk: 1) { range in
            for c in range {
                let base = buffer + c * chunkBytes
                var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
                var o = 0
                while o < span {
                    s0 += base.load(fromByteOffset: o, as: SIMD16<Float>.self)
                    s1 += base.load(fromByteOffset: o + o1, as: SIMD16<Float>.self)
                    s2 += base.load(fromByteOffset: o + o2, as: SIMD16<Float>.self)
                    s3 += base.load(fromByteOffset: o + o3, as: SIMD16<Float>.self)
                    o += step
                }
                partial[c] = ((s0 + s1) + (s2 + s3)).sum()
            }
        }
    }
}

/// A small deterministic generator for benchmark and test data (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [−1, 1).
    mutating func nextFloat() -> Float {
        Float(next() >> 40) / Float(1 << 23) - 1
    }
}
