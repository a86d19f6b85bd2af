import Foundation
@testable import Sampling
import Testing

@Suite struct SamplerTests {
    func greedy() -> SamplingParameters {
        var p = SamplingParameters()
        p.temperature = 0
        return p
    }

    /// `count` draws from one sampler on fixed logits and history.
    func draws(_ p: SamplingParameters, logits: [Float], history: [Int32] = [], count: Int = 500,
               seed: UInt64 = 1) throws -> [Int32] {
        let sampler = try makeSampler(p, vocabularySize: logits.count, endOfGeneration: [0], seed: seed)
        return (0..<count).map { _ in sampler.sample(logits: logits, history: history) }
    }

    // MARK: - Greedy

    @Test func zeroTemperatureIsArgmaxWithTiesToTheLowerId() throws {
        #expect(try draws(greedy(), logits: [1, 3, 2, 0], count: 5) == [1, 1, 1, 1, 1])
        #expect(try draws(greedy(), logits: [1, 7, 3, 7], count: 1) == [1])
    }

    @Test func greedyStillAppliesBiasBansAndPenaltiesButNoWarpers() throws {
        var p = greedy()
        p.logitBias = [2: 1.5]
        #expect(try draws(p, logits: [1, 3, 2, 0], count: 1) == [2])
        p.bannedTokens = [2]
        #expect(try draws(p, logits: [1, 3, 2, 0], count: 1) == [1])
        p.repetitionPenalty = 4
        #expect(try draws(p, logits: [1, 3, 2, 0], history: [1], count: 1) == [0])
        // A warper like top-k 1 after a penalty would change nothing; XTC would, but greedy skips it.
        p.xtcProbability = 1
        p.xtcThreshold = 0.01
        #expect(try draws(p, logits: [1, 3, 2, 0], history: [1], count: 1) == [0])
    }

    @Test func topKOfOneIsGreedy() throws {
        var p = SamplingParameters()
        p.topK = 1
        #expect(Set(try draws(p, logits: [1, 4, 4, 0], count: 50)) == [1])
    }

    // MARK: - Bias and bans

    @Test func logitBiasOfMinusAHundredBansAndPlusAHundredForces() throws {
        var p = SamplingParameters()
        p.logitBias = [1: -100]
        #expect(!(try draws(p, logits: [0, 5, 0]).contains(1)))
        p.logitBias = [2: 100]
        #expect(Set(try draws(p, logits: [0, 5, 0])) == [2])
    }

    @Test func banEOSRemovesEveryEndOfGenerationToken() throws {
        var p = SamplingParameters()
        p.banEOS = true
        let sampler = try makeSampler(p, vocabularySize: 4, endOfGeneration: [0, 3])
        let tokens = (0..<300).map { _ in sampler.sample(logits: [5, 0, 0, 5], history: []) }
        #expect(Set(tokens) == [1, 2])
    }

    @Test func customBansAreNeverSampled() throws {
        var p = SamplingParameters()
        p.bannedTokens = [0, 2]
        #expect(Set(try draws(p, logits: [3, 0, 3, 0])) == [1, 3])
    }

    // MARK: - Determinism

    @Test func sameSeedSameTokensAndDifferentSeedsDiffer() throws {
        var p = SamplingParameters()
        p.temperature = 1.3
        p.topP = 0.95
        p.xtcProbability = 0.5
        let logits = randomLogits(3000, in: -3...3, seed: 4)
        let first = try draws(p, logits: logits, count: 100, seed: 77)
        #expect(first == (try draws(p, logits: logits, count: 100, seed: 77)))
        #expect(first != (try draws(p, logits: logits, count: 100, seed: 78)))
    }

    @Test func drawsFollowTheSoftmax() throws {
        let logits: [Float] = [0, Foundation.log(3), -.infinity, Foundation.log(6)]
        let counts = Dictionary(grouping: try draws(SamplingParameters(), logits: logits, count: 5000), by: { $0 })
            .mapValues(\.count)
        #expect(counts[2] == nil)
        #expect((420...580).contains(counts[0] ?? 0))
        #expect((1350...1650).contains(counts[1] ?? 0))
        #expect((2800...3200).contains(counts[3] ?? 0))
    }

    // MARK: - Order

    /// Logits 0, −1, −3 with min-p 0.1: −3 is below the cut (e^−3 < 0.1) unless temperature 3 flattens
    /// the logits to 0, −⅓, −1 first (e^−1 > 0.1).
    @Test func priorityOrderDecidesWhetherTemperatureSeesTheTail() throws {
        var p = SamplingParameters()
        p.temperature = 3
        p.minP = 0.1
        p.samplerPriority = [.temperature, .minP]
        #expect(try draws(p, logits: [0, -1, -3]).contains(2))
        p.samplerPriority = [.minP, .temperature]
        #expect(!(try draws(p, logits: [0, -1, -3]).contains(2)))
        p.samplerPriority = [.temperature, .minP]
        p.temperatureLast = true
        #expect(!(try draws(p, logits: [0, -1, -3]).contains(2)))
    }

    // MARK: - State

    @Test func mirostatMuCarriesAcrossCalls() throws {
        var p = SamplingParameters()
        p.mirostatMode = 2
        p.mirostatTau = 0.75
        p.mirostatEta = 0.5
        let sampler = try makeSampler(p, vocabularySize: 4)
        #expect(sampler.mirostatMu == 1.5)
        // Probabilities 0.5, 0.3, 0.15, 0.05: with mu 1.5 only the first survives (surprise 0 after
        // renormalizing), so mu grows by 0.5 · 0.75 each step until others get through.
        #expect(sampler.sample(logits: TruncationTests.logits, history: []) == 1)
        #expect(sampler.mirostatMu == 1.875)
        _ = sampler.sample(logits: TruncationTests.logits, history: [1])
        #expect(sampler.mirostatMu != 1.875)
    }

    // MARK: - Degenerate input

    @Test func allNaNLogitsEndTheGeneration() throws {
        let sampler = try makeSampler(SamplingParameters(), vocabularySize: 3, endOfGeneration: [2, 1])
        #expect(sampler.sample(logits: [.nan, .nan, .nan], history: []) == 1)
        #expect(sampler.sample(logits: [.nan, -.infinity, 4], history: []) == 2)
    }

    @Test func logitsLongerThanTheVocabularyAreAccepted() throws {
        var p = greedy()
        p.repetitionPenalty = 4
        let sampler = try makeSampler(p, vocabularySize: 2)
        #expect(sampler.sample(logits: [0, 1, 2, 5], history: [3, 7]) == 2)
    }

    @Test func historyAsArraySliceOrArrayGivesTheSameTokens() throws {
        var p = SamplingParameters()
        p.repetitionPenalty = 1.3
        p.dryMultiplier = 0.8
        let logits = randomLogits(500, seed: 8)
        let history: [Int32] = [9, 4, 4, 1, 9, 4]
        let a = try makeSampler(p, vocabularySize: 500, seed: 3)
        let b = try makeSampler(p, vocabularySize: 500, seed: 3)
        for _ in 0..<20 {
            #expect(a.sample(logits: logits, history: history) == b.sample(logits: logits, history: history[...]))
        }
    }

    // MARK: - Distribution

    @Test func distributionIsTheRenormalizedSoftmaxOfWhatTheSamplersLeave() throws {
        var p = SamplingParameters()
        p.topK = 2
        let logits: [Float] = [0, 2, 1, 2 + Float.log(3)]
        let sampler = try makeSampler(p, vocabularySize: logits.count, endOfGeneration: [0], seed: 1)
        let result = sampler.distribution(logits: logits, history: [])
        #expect(result.map(\.token) == [3, 1])
        #expect(abs(result[0].probability - 0.75) < 1e-6)
        #expect(abs(result[1].probability - 0.25) < 1e-6)
    }

    @Test func greedyDistributionKeepsEveryTokenAfterPenaltiesAndBans() throws {
        var p = greedy()
        p.bannedTokens = [2]
        p.topK = 1
        let sampler = try makeSampler(p, vocabularySize: 4, endOfGeneration: [0], seed: 1)
        let result = sampler.distribution(logits: [0, 0, 5, 0], history: [])
        #expect(result.map(\.token) == [0, 1, 3])
        for entry in result { #expect(abs(entry.probability - 1.0 / 3) < 1e-6) }
    }

    @Test func distributionOfNothingFiniteIsTheEndOfGeneration() throws {
        let sampler = try makeSampler(SamplingParameters(), vocabularySize: 2, endOfGeneration: [1], seed: 1)
        let result = sampler.distribution(logits: [-.infinity, .nan], history: [])
        #expect(result.count == 1 && result[0].token == 1 && result[0].probability == 1)
    }

}
