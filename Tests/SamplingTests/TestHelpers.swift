import Foundation
@testable import Sampling
import TestSupport

// MARK: - Candidate lists

extension CandidateList {
    /// The surviving tokens (finite logits) and their logits, by id.
    var survivors: [Int32: Float] {
        var result: [Int32: Float] = [:]
        for (id, logit) in candidates where logit > -.infinity { result[id] = logit }
        return result
    }

    /// The ids of the surviving tokens.
    var survivorIDs: Set<Int32> { Set(survivors.keys) }
}

/// `count` logits drawn uniformly from `range`, reproducible from `seed`.
func randomLogits(_ count: Int, in range: ClosedRange<Float> = -8...8, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(state: seed)
    return (0..<count).map { _ in Float.random(in: range, using: &generator) }
}

// MARK: - Reference computations

/// Token ids ordered best first (logit descending, then id ascending), −∞ excluded.
func rankedIDs(_ logits: [Float]) -> [Int32] {
    logits.indices.filter { logits[$0] > -.infinity }
        .sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        .map { Int32($0) }
}

/// Softmax probabilities in Double, computed the plain way.
func softmax(_ logits: [Float]) -> [Double] {
    let largest = Double(logits.max() ?? 0)
    let weights = logits.map { $0 > -.infinity ? exp(Double($0) - largest) : 0 }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
}

/// A sampler, failing the test on invalid parameters.
func makeSampler(_ parameters: SamplingParameters, vocabularySize: Int, endOfGeneration: Set<Int32> = [],
                 seed: UInt64 = 1) throws -> Sampler {
    try Sampler(parameters: parameters, vocabularySize: vocabularySize, endOfGeneration: endOfGeneration, seed: seed)
}
