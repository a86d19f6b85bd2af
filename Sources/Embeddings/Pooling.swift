import Foundation

/// sentence-transformers' `Pooling` module: how per-token states become one vector. When several
/// modes are on, their vectors are concatenated in the order cls, max, mean, mean-sqrt-len (the
/// module's order); MiniLM uses mean alone.
public struct Pooling: Sendable, Equatable {
    public var cls: Bool
    public var mean: Bool
    public var max: Bool
    /// Sum divided by √tokens.
    public var meanSqrtLength: Bool

    public init(cls: Bool = false, mean: Bool = true, max: Bool = false, meanSqrtLength: Bool = false) {
        self.cls = cls
        self.mean = mean
        self.max = max
        self.meanSqrtLength = meanSqrtLength
    }

    /// Reads `1_Pooling/config.json`; a missing file means mean pooling.
    /// - Throws: `EmbeddingsError.badConfig` for an unreadable file, an unsupported mode, or no mode.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { self.init(); return }
        let object = try readJSONObject(url)
        func flag(_ key: String) -> Bool { (object[key] as? Bool) ?? false }
        for unsupported in ["pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"] where flag(unsupported) {
            throw EmbeddingsError.badConfig(file: "1_Pooling/config.json", reason: "\(unsupported) is not supported")
        }
        self.init(cls: flag("pooling_mode_cls_token"), mean: flag("pooling_mode_mean_tokens"),
                  max: flag("pooling_mode_max_tokens"), meanSqrtLength: flag("pooling_mode_mean_sqrt_len_tokens"))
        guard cls || mean || max || meanSqrtLength else {
            throw EmbeddingsError.badConfig(file: "1_Pooling/config.json", reason: "no pooling mode is enabled")
        }
    }

    /// Number of vectors concatenated per input.
    public var modeCount: Int { [cls, mean, max, meanSqrtLength].filter { $0 }.count }

    /// The pooled vector of one sequence.
    /// - Parameters: states: `tokens × hidden` final hidden states (every token is real: no padding).
    /// - Returns: `modeCount × hidden` values.
    func pool(_ states: UnsafePointer<Float>, tokens: Int, hidden: Int) -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(modeCount * hidden)
        if cls { result += UnsafeBufferPointer(start: states, count: hidden) }
        if max {
            var best = [Float](repeating: -.infinity, count: hidden)
            for t in 0..<tokens {
                let row = states + t * hidden
                for i in 0..<hidden { best[i] = Swift.max(best[i], row[i]) }
            }
            result += best
        }
        if mean || meanSqrtLength {
            var sum = [Float](repeating: 0, count: hidden)
            for t in 0..<tokens {
                let row = states + t * hidden
                for i in 0..<hidden { sum[i] += row[i] }
            }
            if mean { result += sum.map { $0 / Float(tokens) } }
            if meanSqrtLength {
                let root = Float(tokens).squareRoot()
                result += sum.map { $0 / root }
            }
        }
        return result
    }

    /// Scales `vector` to unit Euclidean length (a zero vector stays zero, as torch's normalize leaves it).
    public static func normalize(_ vector: inout [Float]) {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let scale = 1 / Swift.max(norm, 1e-12)
        for i in vector.indices { vector[i] *= scale }
    }
}
