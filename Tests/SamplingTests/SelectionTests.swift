import Foundation
@testable import Sampling
import Testing

/// XTC, Mirostat and adaptive-p, on id 0: 0.15, id 1: 0.5, id 2: 0.05, id 3: 0.3.
@Suite struct SelectionTests {
    static let logits = TruncationTests.logits

    // MARK: - XTC

    /// 0.5, 0.3 and 0.15 reach 0.1: all but the least likely of them (0.15) go.
    @Test func xtcRemovesTheTopChoicesButTheLeastLikelyOfThem() {
        var list = CandidateList(logits: Self.logits)
        var random = RandomSource(seed: 1)
        list.applyXTC(threshold: 0.1, probability: 1, protected: [], random: &random)
        #expect(list.survivorIDs == [0, 2])
    }

    @Test func xtcNeedsTwoTokensAboveTheThreshold() {
        var list = CandidateList(logits: Self.logits)
        var random = RandomSource(seed: 1)
        list.applyXTC(threshold: 0.4, probability: 1, protected: [], random: &random)
        #expect(list.survivorIDs == [0, 1, 2, 3])
    }

    @Test func xtcNeverRemovesAProtectedToken() {
        var random = RandomSource(seed: 1)
        var blocked = CandidateList(logits: Self.logits)
        blocked.applyXTC(threshold: 0.1, probability: 1, protected: [3], random: &random)
        #expect(blocked.survivorIDs == [0, 1, 2, 3])
        // The least likely top choice stays anyway, so protecting it changes nothing.
        var applied = CandidateList(logits: Self.logits)
        applied.applyXTC(threshold: 0.1, probability: 1, protected: [0], random: &random)
        #expect(applied.survivorIDs == [0, 2])
    }

    @Test func xtcActsWithItsProbability() {
        var random = RandomSource(seed: 5)
        var triggered = 0
        for _ in 0..<2000 {
            var list = CandidateList(logits: Self.logits)
            list.applyXTC(threshold: 0.1, probability: 0.3, protected: [], random: &random)
            if list.count == 2 { triggered += 1 }
        }
        #expect((500...700).contains(triggered))
    }

    // MARK: - Mirostat 2.0

    /// With mu = 1.5 only the 0.5 token (surprise 1 bit) survives; renormalized it has surprise 0, so
    /// mu moves by −eta · (0 − tau) = +0.5.
    @Test func mirostatV2TruncatesBySurpriseAndUpdatesMu() {
        var list = CandidateList(logits: Self.logits)
        var random = RandomSource(seed: 1)
        var mu: Float = 1.5
        list.applyMirostatV2(tau: 5, eta: 0.1, mu: &mu, random: &random)
        #expect(list.survivorIDs == [1])
        #expect(mu == 2)
    }

    @Test func mirostatV2KeepsTheBestWhenEverythingIsTooSurprising() {
        var list = CandidateList(logits: Self.logits)
        var random = RandomSource(seed: 1)
        var mu: Float = 0.5
        list.applyMirostatV2(tau: 5, eta: 0.1, mu: &mu, random: &random)
        #expect(list.survivorIDs == [1])
        #expect(mu == 1)
    }

    @Test func mirostatV2UpdatesMuFromTheChosenTokensSurprise() {
        var random = RandomSource(seed: 3)
        for _ in 0..<20 {
            var list = CandidateList(logits: Self.logits)
            var mu: Float = 10
            list.applyMirostatV2(tau: 5, eta: 0.1, mu: &mu, random: &random)
            let chosen = Int(list.candidates[0].id)
            let surprise = -log2(Double(TruncationTests.probabilities[chosen]))
            #expect(abs(Double(mu) - (10 - 0.1 * (surprise - 5))) < 1e-5)
        }
    }

    // MARK: - Mirostat 1

    /// For a Zipf distribution p ∝ 1/i² the estimated exponent is exactly 2, so with V = 1000 and mu = 6
    /// k = (1 · 2⁶ / (1 − 1000⁻¹))^(1/2) ≈ 8.004: draws come from the top 8 only.
    @Test func mirostatV1KeepsTheEstimatedTopK() {
        let logits = (0..<1000).map { -2 * Foundation.log(Float($0 + 1)) }
        let zipf = (0..<8).map { 1 / Double(($0 + 1) * ($0 + 1)) }
        var random = RandomSource(seed: 11)
        var seen = Set<Int32>()
        for _ in 0..<3000 {
            var list = CandidateList(logits: logits)
            var mu: Float = 6
            list.applyMirostatV1(tau: 3, eta: 0.1, mu: &mu, random: &random)
            let chosen = list.candidates[0].id
            seen.insert(chosen)
            let surprise = -log2(zipf[min(Int(chosen), 7)] / zipf.reduce(0, +))
            #expect(abs(Double(mu) - (6 - 0.1 * (surprise - 3))) < 1e-4)
        }
        #expect(seen == Set(0..<8))
    }

    // MARK: - Adaptive-p

    @Test func adaptivePStartsAtEquilibriumAndRecordsTheChosenProbability() {
        var state = CandidateList.AdaptivePState(target: 0.5, decay: 0.9)
        #expect(abs(state.weightedSum - 5) < 1e-5 && abs(state.totalWeight - 10) < 1e-5)
        var list = CandidateList(logits: [2, -.infinity])
        var random = RandomSource(seed: 1)
        list.applyAdaptiveP(target: 0.5, decay: 0.9, state: &state, random: &random)
        #expect(list.survivorIDs == [0])
        #expect(abs(state.weightedSum - 5.5) < 1e-5 && abs(state.totalWeight - 10) < 1e-5)
    }

    /// Target 0.3 at equilibrium: the 0.3 token gets logit 5, the others 5 − 10·d²/(1 + d) with
    /// d = |p − 0.3| / 0.3, so draws follow softmax(3.33, 2.33, 1.21, 5) ≈ (0.147, 0.054, 0.018, 0.781).
    @Test func adaptivePFavoursTokensNearTheTarget() {
        var random = RandomSource(seed: 2)
        var counts = [Int](repeating: 0, count: 4)
        for _ in 0..<2000 {
            var state = CandidateList.AdaptivePState(target: 0.3, decay: 0.9)
            var list = CandidateList(logits: Self.logits)
            list.applyAdaptiveP(target: 0.3, decay: 0.9, state: &state, random: &random)
            counts[Int(list.candidates[0].id)] += 1
        }
        #expect((1480...1640).contains(counts[3]))
        #expect((230...360).contains(counts[0]))
        #expect(counts[1] > counts[2])
    }
}
