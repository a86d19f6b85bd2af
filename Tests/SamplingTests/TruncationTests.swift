import Foundation
@testable import Sampling
import Testing

/// Exact outcomes on hand-made distributions. Most use four tokens with probabilities
/// id 0: 0.15, id 1: 0.5, id 2: 0.05, id 3: 0.3 (logits are their logarithms).
@Suite struct TruncationTests {
    static let probabilities: [Float] = [0.15, 0.5, 0.05, 0.3]
    static let logits = probabilities.map { Foundation.log($0) }

    func list() -> CandidateList { CandidateList(logits: Self.logits) }

    // MARK: - Top-k

    @Test func topKKeepsTheKHighestLogits() {
        var list = CandidateList(logits: [1, 3, 2, 0])
        list.applyTopK(2)
        #expect(list.candidates.map(\.id) == [1, 2])
        #expect(list.isSorted)
    }

    @Test func topKBreaksTiesTowardTheLowerId() {
        var two = CandidateList(logits: [1, 5, 5, 5])
        two.applyTopK(2)
        #expect(two.survivorIDs == [1, 2])
        var one = CandidateList(logits: [5, 1, 5])
        one.applyTopK(1)
        #expect(one.survivorIDs == [0])
    }

    @Test func topKOfZeroOrAtLeastTheCountChangesNothing() {
        for k in [0, 4, 10] {
            var list = CandidateList(logits: [1, 3, 2, 0])
            list.applyTopK(k)
            #expect(list.survivorIDs == [0, 1, 2, 3])
        }
    }

    // MARK: - Top-p, min-p, top-a, cutoffs

    /// A token stays while the tokens ranked above it sum to less than p.
    @Test(arguments: [(0.4, [1]), (0.75, [1, 3]), (0.85, [1, 3, 0]), (0.99, [0, 1, 2, 3])] as [(Float, Set<Int32>)])
    func topPKeepsTheNucleus(p: Float, kept: Set<Int32>) {
        var list = list()
        list.applyTopP(p)
        #expect(list.survivorIDs == kept)
        var sorted = self.list()
        sorted.sortByLogit()
        sorted.applyTopP(p)
        #expect(sorted.survivorIDs == kept)
    }

    @Test(arguments: [(0.25, [0, 1, 3]), (0.4, [1, 3]), (1, [1])] as [(Float, Set<Int32>)])
    func minPDropsTokensBelowAFractionOfTheBest(minP: Float, kept: Set<Int32>) {
        var list = list()
        list.applyMinP(minP)
        #expect(list.survivorIDs == kept)
    }

    /// p < a · p_max²: with p_max = 0.5 the bound is a / 4.
    @Test(arguments: [(0.5, [0, 1, 3]), (1, [1, 3])] as [(Float, Set<Int32>)])
    func topADropsTokensBelowTheSquaredBest(a: Float, kept: Set<Int32>) {
        var list = list()
        list.applyTopA(a)
        #expect(list.survivorIDs == kept)
    }

    @Test(arguments: [(0.1, [0, 1, 3]), (0.6, [1])] as [(Float, Set<Int32>)])
    func epsilonCutoffDropsUnlikelyTokensButKeepsTheBest(epsilon: Float, kept: Set<Int32>) {
        var list = list()
        list.applyEpsilonCutoff(epsilon)
        #expect(list.survivorIDs == kept)
    }

    /// H ≈ 1.142 nats, so √eta·e^−H ≈ 0.319·√eta: eta 0.1 cuts at 0.1, eta 0.3 at ≈ 0.175.
    @Test(arguments: [(0.1, [0, 1, 3]), (0.3, [1, 3])] as [(Float, Set<Int32>)])
    func etaCutoffUsesTheEntropy(eta: Float, kept: Set<Int32>) {
        var list = list()
        list.applyEtaCutoff(eta)
        #expect(list.survivorIDs == kept)
    }

    /// Logits 10, 9, 5, 0: mean 6, σ = √15.5 ≈ 3.94 (−∞ excluded from both).
    @Test(arguments: [(1, [0, 1]), (2, [0, 1, 2]), (3, [0, 1, 2, 3])] as [(Float, Set<Int32>)])
    func topNSigmaKeepsLogitsWithinNSigmaOfTheMax(n: Float, kept: Set<Int32>) {
        var list = CandidateList(logits: [10, 9, 5, 0, -.infinity])
        list.applyTopNSigma(n)
        #expect(list.survivorIDs == kept)
    }

    // MARK: - Typical-p

    /// |−ln p − H| with H ≈ 1.142: 0.3 → 0.062, 0.15 → 0.755, 0.5 → 0.449, 0.05 → 1.854; cumulative in
    /// that order: 0.3, 0.8, 0.95, 1.
    @Test(arguments: [(0.2, [3]), (0.5, [3, 1]), (0.9, [3, 1, 0]), (0.97, [0, 1, 2, 3])] as [(Float, Set<Int32>)])
    func typicalPKeepsTheMostTypicalTokens(mass: Float, kept: Set<Int32>) {
        var list = list()
        list.applyTypicalP(mass)
        #expect(list.survivorIDs == kept)
    }

    // MARK: - Tail-free sampling

    /// Sorted probabilities 0.5, 0.3, 0.15, 0.05 have second differences 0.05, 0.05: CDF 0.5, 1.
    @Test(arguments: [(0.9, [1, 3]), (0.4, [1])] as [(Float, Set<Int32>)])
    func tailFreeCutsWhereTheCurvatureCDFExceedsZ(z: Float, kept: Set<Int32>) {
        var list = list()
        list.applyTailFree(z)
        #expect(list.survivorIDs == kept)
    }

    /// With two more tokens already removed, the zeros they leave extend the second differences
    /// (0.05 four times: CDF 0.25, 0.5, 0.75, 1), as text-generation-webui's warper sees them.
    @Test func tailFreeCountsRemovedTokensAsZeros() {
        var list = CandidateList(logits: Self.logits + [-.infinity, -.infinity])
        list.applyTailFree(0.6)
        #expect(list.survivorIDs == [1, 3, 0])
        var full = self.list()
        full.applyTailFree(0.6)
        #expect(full.survivorIDs == [1, 3])
    }

    @Test func twoTokensWithoutATailKeepTheFirst() {
        var list = CandidateList(logits: [0, 1])
        list.applyTailFree(0.99)
        #expect(list.survivorIDs == [1])
    }
}
