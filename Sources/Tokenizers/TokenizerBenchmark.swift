import Foundation

/// Encode throughput, for `swiftlet bench` and the speed test.
public enum TokenizerBenchmark {
    /// One measurement: the best of several runs.
    public struct Result: Sendable {
        /// Input size in bytes (UTF-8).
        public let bytes: Int
        /// Tokens produced per run.
        public let tokens: Int
        /// Wall time of the fastest run, in seconds.
        public let seconds: Double
        /// Throughput of the fastest run in MB/s (10⁶ bytes per second).
        public var megabytesPerSecond: Double { Double(bytes) / seconds / 1e6 }
    }

    /// Encodes `text` `runs` times (no special tokens added or parsed) and reports the fastest run.
    public static func measure(_ tokenizer: Tokenizer, text: String, runs: Int = 3) -> Result {
        var best = Double.infinity
        var tokens = 0
        for _ in 0..<max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            tokens = tokenizer.encode(text, addSpecial: false, parseSpecial: false).count
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, elapsed)
        }
        return Result(bytes: text.utf8.count, tokens: tokens, seconds: max(best, 1e-9))
    }

    /// A deterministic benchmark text: corpus strings drawn by a fixed 64-bit LCG (PCG's multiplier and
    /// increment, index = state >> 33 mod count), each followed by a newline, until `bytes` is reached.
    /// scripts/goldens/tokenizer_bench.py builds the same text for timing llama.cpp.
    public static func mixedText(from corpus: [String], bytes: Int) -> String {
        guard !corpus.isEmpty else { return "" }
        var state: UInt64 = 42
        var text = ""
        text.reserveCapacity(bytes + 4096)
        var size = 0
        while size < bytes {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let piece = corpus[Int((state >> 33) % UInt64(corpus.count))]
            text += piece
            text += "\n"
            size += piece.utf8.count + 1
        }
        return text
    }
}
