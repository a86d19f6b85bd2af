import Foundation
@testable import Sampling
import Testing

@Suite struct DRYTests {
    /// DRY on zero logits with multiplier 1 (base 2 unless given); returns the penalized logits by id.
    func dry(_ history: [Int32], allowed: Int = 2, breakers: Set<Int32> = [99], base: Float = 2,
             vocabulary: Int = 12) -> [Int32: Float] {
        var list = CandidateList(logits: [Float](repeating: 0, count: vocabulary))
        var table = TokenTable(size: vocabulary)
        list.applyDRY(multiplier: 1, base: base, allowedLength: allowed, breakers: breakers,
                      window: history[...], table: &table)
        return list.survivors.filter { $0.value != 0 }
    }

    /// "1 2 3 4 1 2 3": emitting 4 would extend the repeated "1 2 3" (length 3), so 4 alone gets
    /// 1 · 2^(3 − 2) = 2.
    @Test func penalizesExactlyTheTokenThatWouldExtendTheRepeat() {
        #expect(dry([1, 2, 3, 4, 1, 2, 3]) == [4: -2])
    }

    @Test func repeatsUpToTheAllowedLengthAreFree() {
        #expect(dry([1, 2, 3, 4, 1, 2, 3], allowed: 4).isEmpty)
        #expect(dry([1, 2, 3, 4, 1, 2, 3], allowed: 3) == [4: -1])
    }

    /// Each following token gets the penalty of its longest match: 5 follows "9 7 3" (length 3),
    /// 6 follows "7 3" (length 2).
    @Test func eachTokenGetsItsLongestMatch() {
        #expect(dry([9, 7, 3, 5, 8, 7, 3, 6, 9, 7, 3]) == [5: -2, 6: -1])
    }

    @Test func sequenceBreakersStopMatches() {
        // A breaker inside the repeat: the match is cut to "3" (length 1).
        #expect(dry([1, 2, 3, 4, 1, 2, 3], breakers: [2]).isEmpty)
        #expect(dry([1, 2, 3, 4, 1, 2, 3], allowed: 1, breakers: [2]) == [4: -1])
        // The last token is a breaker: nothing is penalized.
        #expect(dry([1, 2, 3, 4, 1, 2, 3], breakers: [3]).isEmpty)
        // The token that would extend the repeat is a breaker: it is not penalized.
        #expect(dry([1, 2, 3, 4, 1, 2, 3], breakers: [4]).isEmpty)
    }

    @Test func matchesStopAtFiftyTokens() {
        let sequence = (0..<60).map { Int32($0) }
        let history = sequence + sequence.dropLast()
        let penalized = dry(history, base: 1.1, vocabulary: 60)
        #expect(penalized.keys.sorted() == [59])
        #expect(abs((penalized[59] ?? 0) + Float(pow(1.1, 48.0))) < 1e-3)
    }

    /// A penalty that overflows is clamped: the token becomes very unlikely but is not banned.
    @Test func overflowingPenaltiesStayFinite() {
        #expect(dry([1, 2, 3, 4, 1, 2, 3], allowed: 0, base: 1e30) == [4: -.greatestFiniteMagnitude])
    }

    @Test func shortOrEmptyHistoriesAreUntouched() {
        #expect(dry([]).isEmpty)
        #expect(dry([3]).isEmpty)
        #expect(dry([3, 3]).isEmpty)
    }

    /// Through the sampler: the window is the last `repetition_penalty_range` tokens.
    @Test func samplerAppliesDRYWithinThePenaltyRange() throws {
        var p = SamplingParameters()
        p.temperature = 0
        p.dryMultiplier = 2
        p.dryBase = 2
        p.drySequenceBreakers = [99]
        let logits: [Float] = [0, 0, 0, 0, 1]
        let history: [Int32] = [1, 2, 3, 4, 1, 2, 3]
        #expect(try makeSampler(p, vocabularySize: 5).sample(logits: logits, history: history) == 0)
        p.repetitionPenaltyRange = 3
        #expect(try makeSampler(p, vocabularySize: 5).sample(logits: logits, history: history) == 4)
    }
}
