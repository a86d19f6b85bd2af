import Foundation
@testable import Sampling
import Testing

@Suite struct TemperatureTests {
    @Test func temperatureDividesEveryLogit() {
        var list = CandidateList(logits: [2, -4, 1, -.infinity])
        list.applyTemperature(2)
        #expect(list.candidates.map(\.logit) == [1, -2, 0.5, -.infinity])
    }

    @Test func zeroTemperatureKeepsTheBestOnly() {
        var list = CandidateList(logits: [2, 5, 5, 1])
        list.applyTemperature(0)
        #expect(list.survivors == [1: 5])
    }

    // MARK: - Dynamic temperature

    /// A uniform distribution has maximal entropy, so the temperature is `high`.
    @Test func uniformDistributionGetsTheHighTemperature() {
        var list = CandidateList(logits: [1, 1, 1, 1, -.infinity])
        list.applyDynamicTemperature(low: 0.5, high: 2, exponent: 1)
        #expect(list.candidates.map(\.logit) == [0.5, 0.5, 0.5, 0.5, -.infinity])
    }

    /// A near one-hot distribution has almost no entropy, so the temperature is close to `low`.
    @Test func peakedDistributionGetsTheLowTemperature() {
        var list = CandidateList(logits: [0, -100, -100, -100])
        list.applyDynamicTemperature(low: 0.5, high: 2, exponent: 1)
        #expect(abs((list.survivors[1] ?? 0) + 200) < 1e-3)
    }

    @Test func temperatureFollowsNormalizedEntropyToTheExponent() {
        let logits: [Float] = [2, 1, 0.5, -1, -3]
        let probabilities = softmax(logits)
        let entropy = -probabilities.reduce(0) { $0 + $1 * log($1) }
        let temperature = 0.3 + (1.7 - 0.3) * pow(entropy / log(5.0), 0.7)
        var list = CandidateList(logits: logits)
        list.applyDynamicTemperature(low: 0.3, high: 1.7, exponent: 0.7)
        for (id, logit) in list.candidates {
            #expect(abs(Double(logit) - Double(logits[Int(id)]) / temperature) < 1e-5)
        }
    }

    @Test func singleCandidateIsLeftAlone() {
        var list = CandidateList(logits: [3, -.infinity])
        list.applyDynamicTemperature(low: 0.1, high: 4, exponent: 1)
        #expect(list.survivors == [0: 3])
    }

    // MARK: - Quadratic sampling

    /// With d = logit − max: max − k·f·d² + s·f·d³, k = (3 − curve)/2, s = (curve − 1)/2.
    @Test func quadraticSamplingFollowsTheFormula() {
        var list = CandidateList(logits: [3, 2, 0, -.infinity])
        list.applyQuadraticSampling(factor: 0.5, curve: 1)
        #expect(list.candidates.map(\.logit) == [3, 2.5, -1.5, -.infinity])
        var curved = CandidateList(logits: [3, 2, 0])
        curved.applyQuadraticSampling(factor: 0.5, curve: 2)
        #expect(curved.candidates.map(\.logit) == [3, 2.5, -6])
    }
}
