import Foundation
@testable import Sampling
import Testing

/// The fast paths (bounded heap, block skipping, distance buckets, blocked draw) against plain reference
/// computations on vocabularies large enough to take them, in several distribution shapes.
@Suite struct LargeVocabularyTests {
    enum Shape: CaseIterable, Sendable {
        /// Uniform logits over a wide range.
        case uniform
        /// A Gaussian-like bulk with a few dominant tokens, like a language model's output.
        case peaked
        /// Thousands of tokens within a logit of the best (top-p nuclei in the thousands).
        case flat
    }

    static let size = 20_000

    func logits(_ shape: Shape, seed: UInt64) -> [Float] {
        var values: [Float]
        switch shape {
        case .uniform:
            values = randomLogits(Self.size, in: -10...10, seed: seed)
        case .peaked:
            values = randomLogits(Self.size, in: -4...4, seed: seed)
            for (i, boost) in randomLogits(20, in: 8...14, seed: seed + 1).enumerated() {
                values[(i * 997 + Int(seed)) % Self.size] = boost
            }
        case .flat:
            values = randomLogits(Self.size, in: 0...1, seed: seed).map { x in
                let cube: Float = x * x * x
                return -6 + 6 * cube * cube
            }
        }
        // A few banned tokens, as a sampler's list holds them after the bans.
        for i in stride(from: 5, to: Self.size, by: 4999) { values[i] = -.infinity }
        return values
    }

    static let cases: [(Shape, UInt64)] = Shape.allCases.flatMap { shape in (1...3).map { (shape, UInt64($0)) } }

    /// The ids of the first `count` ranked tokens, for comparing prefixes as sets.
    func prefix(_ order: [Int32], _ count: Int) -> Set<Int32> { Set(order.prefix(count)) }

    /// Checks that `kept` is a prefix of `order` whose length is between the tokens whose cumulative
    /// probability before them is certainly below `mass` and those possibly below it (float rounding).
    func expectPrefix(_ kept: Set<Int32>, of order: [Int32], probabilities: [Double], mass: Double) {
        var before = 0.0
        var certain = 0
        var possible = 0
        for id in order {
            if before < mass - 1e-5 { certain += 1 }
            if before < mass + 1e-5 { possible += 1 }
            before += probabilities[Int(id)]
        }
        #expect((max(certain, 1)...max(possible, 1)).contains(kept.count))
        #expect(kept == prefix(order, kept.count))
    }

    @Test(arguments: cases)
    func topKMatchesASort(shape: Shape, seed: UInt64) {
        let logits = logits(shape, seed: seed)
        for k in [1, 20, 300, 12_000] {
            var list = CandidateList(logits: logits)
            list.applyTopK(k)
            #expect(list.candidates.map(\.id) == Array(rankedIDs(logits).prefix(k)))
        }
    }

    @Test(arguments: cases)
    func topPMatchesASortedCumulativeSum(shape: Shape, seed: UInt64) {
        let logits = logits(shape, seed: seed)
        for p: Float in [0.1, 0.5, 0.9, 0.999] {
            var list = CandidateList(logits: logits)
            list.applyTopP(p)
            expectPrefix(list.survivorIDs, of: rankedIDs(logits), probabilities: softmax(logits), mass: Double(p))
        }
    }

    @Test(arguments: cases)
    func typicalPMatchesTheTransformersRanking(shape: Shape, seed: UInt64) {
        let logits = logits(shape, seed: seed)
        let probabilities = softmax(logits)
        let entropy = -probabilities.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
        let finite = logits.indices.filter { logits[$0] > -.infinity }
        let scored: [(id: Int32, score: Double)] = finite.map { index in
            let surprise: Double = -log(probabilities[index])
            return (Int32(index), abs(surprise - entropy))
        }
        let order = scored.sorted { $0.score < $1.score || ($0.score == $1.score && $0.id < $1.id) }.map(\.id)
        for mass: Float in [0.2, 0.6, 0.95] {
            var list = CandidateList(logits: logits)
            list.applyTypicalP(mass)
            expectPrefix(list.survivorIDs, of: order, probabilities: probabilities, mass: Double(mass))
        }
    }

    @Test(arguments: cases)
    func thresholdFiltersMatchTheirDefinitions(shape: Shape, seed: UInt64) {
        let logits = logits(shape, seed: seed)
        let probabilities = softmax(logits)
        let best = probabilities.max() ?? 0
        func kept(_ apply: (inout CandidateList) -> Void) -> Set<Int32> {
            var list = CandidateList(logits: logits)
            apply(&list)
            return list.survivorIDs
        }
        func expected(_ keep: (Double) -> Bool) -> Set<Int32> {
            let ids = Set(probabilities.indices.filter { probabilities[$0] > 0 && keep(probabilities[$0]) }.map { Int32($0) })
            return ids.isEmpty ? [rankedIDs(logits)[0]] : ids
        }
        // Margins keep float rounding away from the boundaries the definitions draw.
        func expectClose(_ actual: Set<Int32>, _ keep: (Double) -> Bool, margin: (Double) -> Bool) {
            let sure = expected { keep($0) && !margin($0) }
            let maybe = expected { keep($0) || margin($0) }
            #expect(actual.isSuperset(of: sure) && actual.isSubset(of: maybe))
        }
        expectClose(kept { $0.applyMinP(0.02) }, { $0 >= 0.02 * best }, margin: { abs($0 / (0.02 * best) - 1) < 1e-4 })
        expectClose(kept { $0.applyTopA(0.3) }, { $0 >= 0.3 * best * best },
                    margin: { abs($0 / (0.3 * best * best) - 1) < 1e-4 })
        expectClose(kept { $0.applyEpsilonCutoff(3e-4) }, { $0 >= 3e-4 }, margin: { abs($0 / 3e-4 - 1) < 1e-4 })
        let finite = logits.filter { $0 > -.infinity }.map(Double.init)
        let mean = finite.reduce(0, +) / Double(finite.count)
        let sigma = (finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count)).squareRoot()
        let cut = Double(logits.max() ?? 0) - 1.5 * sigma
        let sigmaKept = kept { $0.applyTopNSigma(1.5) }
        #expect(sigmaKept == Set(logits.indices.filter { Double(logits[$0]) >= cut }.map { Int32($0) })
            || logits.contains { abs(Double($0) - cut) < 1e-4 })
    }

    /// text-generation-webui's tail-free warper computed directly: sort the whole vocabulary (removed
    /// tokens are probability 0), second differences, CDF, cut.
    @Test(arguments: cases)
    func tailFreeMatchesTheWarper(shape: Shape, seed: UInt64) {
        let logits = logits(shape, seed: seed)
        let probabilities = softmax(logits)
        let order = probabilities.indices.sorted {
            probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
        }
        let sorted = order.map { probabilities[$0] }
        let curvature: [Double] = (0..<(sorted.count - 2)).map { j in
            let second: Double = sorted[j + 2] - 2 * sorted[j + 1] + sorted[j]
            return abs(second)
        }
        let total = curvature.reduce(0, +)
        for z: Float in [0.5, 0.95] {
            // Second differences of nearly equal probabilities lose digits in Float, as in the warper
            // itself: accept any cut where the CDF is within 0.002 of z.
            var cdf = 0.0
            var acceptable: ClosedRange<Int>?
            for (j, value) in curvature.enumerated() {
                cdf += value / total
                if abs(cdf - Double(z)) < 2e-3 || cdf > Double(z) {
                    acceptable = (acceptable?.lowerBound ?? j + 1)...(j + 1)
                }
                if cdf > Double(z) + 2e-3 { break }
            }
            var list = CandidateList(logits: logits)
            list.applyTailFree(z)
            #expect(acceptable?.contains(list.count) == true)
            #expect(list.survivorIDs == Set(order.prefix(list.count).map { Int32($0) }))
        }
    }

    /// One bucket of equal logits: the in-place quicksort orders them by id.
    @Test func sortingEqualLogitsOrdersByID() {
        var list = CandidateList(logits: [Float](repeating: 0.5, count: 5000) + [-.infinity, 1])
        list.sortByLogit()
        #expect(list.candidates.map(\.id) == [5001] + (0..<5000).map { Int32($0) })
    }

    /// The blocked draw picks tokens at their softmax frequencies.
    @Test func drawFollowsTheSoftmax() {
        var logits = [Float](repeating: -.infinity, count: 5000)
        logits[17] = 0
        logits[2500] = Foundation.log(2)
        logits[4999] = Foundation.log(3)
        var random = RandomSource(seed: 9)
        var counts: [Int32: Int] = [:]
        var list = CandidateList(capacity: logits.count)
        for _ in 0..<6000 {
            list.load(logits)
            counts[list.draw(using: &random), default: 0] += 1
        }
        #expect(Set(counts.keys) == [17, 2500, 4999])
        #expect((850...1150).contains(counts[17] ?? 0))
        #expect((1800...2200).contains(counts[2500] ?? 0))
        #expect((2750...3250).contains(counts[4999] ?? 0))
    }
}
