#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GGUF
import RealModule

/// `swiftlet bench kernels`: the machine's streaming-read bandwidth, then per weight type the matvec
/// throughput (GB/s of weight bytes read, on a matrix larger than L3) and matmul GFLOP/s for a batch.
public enum KernelBenchmark {
    /// One type's measurements.
    public struct Row: Sendable {
        public let type: GGMLType
        /// Weight bytes read per second by matvec, in GB/s (10⁹ bytes).
        public let matvecGBps: Double
        /// `matvecGBps` as a percentage of the measured streaming bandwidth.
        public let percentOfBandwidth: Double
        /// matmul throughput, 2·batch·rows·cols per second, in GFLOP/s.
        public let matmulGFLOPs: Double
    }

    /// A whole run.
    public struct Report: Sendable {
        public let threads: Int
        /// Plain streaming read of a buffer larger than L3, GB/s.
        public let bandwidthGBps: Double
        public let matvecBytes: Int
        public let matmulBatch: Int
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
                "threads: \(threads)   streaming read bandwidth: \(fixed(bandwidthGBps, 1)) GB/s",
                "matvec: \(matvecBytes >> 20) MiB of weights per type; matmul: batch \(matmulBatch)",
                "type    matvec GB/s   % of bandwidth   matmul GFLOP/s",
            ]
            for row in rows {
                lines.append(pad(row.type.description, 4) + "   " + pad(fixed(row.matvecGBps, 1), 11)
                             + "   " + pad(fixed(row.percentOfBandwidth, 0) + "%", 14)
                             + "   " + pad(fixed(row.matmulGFLOPs, 1), 14))
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Runs the benchmark.
    /// - Parameters: threads: pool size; types: weight types to measure; matvecBytes: weight bytes per
    ///   matvec matrix (keep it well above L3); matmulBatch: activation rows per matmul.
    public static func run(threads: Int = 2, types: [GGMLType] = Quantization.supportedTypes,
                           matvecBytes: Int = 128 << 20, matmulBatch: Int = 512) throws -> Report {
        let pool = try ThreadPool(threadCount: threads)
        let bandwidth = streamingBandwidth(pool: pool, bytes: matvecBytes)
        let cols = 4096
        let x = try QuantizedActivations(maxRows: matmulBatch, maxCols: cols)
        var rng = SplitMix(seed: 1)
        var rows: [Row] = []
        for type in types {
            let rowBytes = try Quantization.checkedByteCount(type: type, rows: 1, cols: cols)
            let matrixRows = (matvecBytes / rowBytes + 3) / 4 * 4
            let w = try tiledMatrix(type: type, rows: matrixRows, cols: cols, rng: &rng)
            var y = [Float](repeating: 0, count: matrixRows)
            try x.load(Array(repeating: 0.5, count: cols), rows: 1, cols: cols)
            let seconds = try bestTime(repeats: 8) { try w.matvec(x, into: &y, pool: pool) }
            let gbps = Double(matrixRows * rowBytes) / seconds / 1e9

            let mmRows = 1024
            let mm = try tiledMatrix(type: type, rows: mmRows, cols: cols, rng: &rng)
            try x.load((0..<matmulBatch * cols).map { _ in rng.nextFloat() }, rows: matmulBatch, cols: cols)
            var out = [Float](repeating: 0, count: matmulBatch * mmRows)
            let mmSeconds = try bestTime(repeats: 2) { try mm.matmul(x, into: &out, pool: pool) }
            let flops = 2.0 * Double(matmulBatch) * Double(mmRows) * Double(cols) / mmSeconds / 1e9
            rows.append(Row(type: type, matvecGBps: gbps, percentOfBandwidth: 100 * gbps / bandwidth, matmulGFLOPs: flops))
        }
        return Report(threads: threads, bandwidthGBps: bandwidth, matvecBytes: matvecBytes, matmulBatch: matmulBatch,
                      rows: rows)
    }

    /// GB/s of a parallel f32 sum over `bytes` of memory (best of several passes). `Relaxed.sum`
    /// lets the loop vectorize with several accumulators, so it is limited by memory, not by adds.
    static func streamingBandwidth(pool: ThreadPool, bytes: Int) -> Double {
        let count = bytes / 4
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { buffer.deallocate() }
        for i in 0..<count { buffer[i] = Float(i & 1023) }
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: 1024)
        defer { partial.deallocate() }
        let chunk = 1 << 18
        let seconds = (try? bestTime(repeats: 12) {
            pool.parallelFor(count, chunk: chunk) { range in
                var s: Float = 0
                for i in range { s = Relaxed.sum(s, buffer[i]) }
                partial[(range.lowerBound / chunk) % 1024] = s
            }
        }) ?? 1
        return Double(count * 4) / seconds / 1e9
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
