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

    /// Encode throughput in MB/s (fastest of `runs`).
    public static func megabytesPerSecond(_ tokenizer: Tokenizer, text: String, runs: Int = 3) -> Double {
        measure(tokenizer, text: text, runs: runs).megabytesPerSecond
    }
}
