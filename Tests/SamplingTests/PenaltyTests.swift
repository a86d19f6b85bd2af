@testable import Sampling
import Testing

@Suite struct PenaltyTests {
    // MARK: - Repetition, presence, frequency

    @Test func repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOnce() {
        var list = CandidateList(logits: [2, -2, 1, 4, 0])
        var table = TokenTable(size: 5)
        list.applyRepetitionPenalty(2, window: [0, 1, 1, 4], table: &table)
        #expect(list.candidates.map(\.logit) == [1, -4, 1, 4, 0])
        #expect(table.touched.isEmpty)
    }

    @Test func repetitionPenaltyWorksOnANarrowedList() {
        var list = CandidateList(logits: [2, -2, 1, 4, 0])
        list.applyTopK(3)
        var table = TokenTable(size: 5)
        list.applyRepetitionPenalty(2, window: [0, 1, 3], table: &table)
        #expect(list.survivors == [3: 2, 0: 1, 2: 1])
    }

    @Test func presencePenaltySubtractsOncePerToken() {
        var list = CandidateList(logits: [1, 1, 1])
        var table = TokenTable(size: 3)
        list.applyPresencePenalty(1.5, window: [0, 0, 2], table: &table)
        #expect(list.candidates.map(\.logit) == [-0.5, 1, -0.5])
    }

    @Test func frequencyPenaltySubtractsPerOccurrence() {
        var list = CandidateList(logits: [1, 1, 1])
        var table = TokenTable(size: 3)
        list.applyFrequencyPenalty(0.5, window: [0, 0, 2, 0], table: &table)
        #expect(list.candidates.map(\.logit) == [-0.5, 1, 0.5])
    }

    @Test func historyIdsOutsideTheVocabularyAreIgnored() {
        var list = CandidateList(logits: [1, 1])
        var table = TokenTable(size: 2)
        list.applyFrequencyPenalty(1, window: [5, -1, 1], table: &table)
        #expect(list.candidates.map(\.logit) == [1, 0])
    }

    /// The window is the last `repetition_penalty_range` tokens; 0 means the whole history.
    static let rangeCases: [(range: Int, expected: Int32)] = [(1, 0), (2, 1), (0, 1)]

    @Test(arguments: rangeCases)
    func repetitionPenaltyRangeLimitsTheWindow(range: Int, expected: Int32) throws {
        var p = SamplingParameters()
        p.temperature = 0
        p.repetitionPenalty = 10
        p.repetitionPenaltyRange = range
        let sampler = try makeSampler(p, vocabularySize: 3)
        #expect(sampler.sample(logits: [5, 4, 0], history: [0, 2]) == expected)
    }

    // MARK: - Encoder repetition penalty

    @Test func encoderRepetitionPenaltyFavoursPromptTokens() {
        var list = CandidateList(logits: [2, -2, 3])
        var prompt = TokenTable(size: 3)
        prompt.count([0, 1, 1])
        list.applyEncoderRepetitionPenalty(2, prompt: prompt)
        #expect(list.candidates.map(\.logit) == [4, -1, 3])
    }

    /// The first call's history is the prompt: later generated tokens are not favoured.
    @Test func encoderRepetitionPenaltyTakesTheFirstHistoryAsThePrompt() throws {
        var p = SamplingParameters()
        p.temperature = 0
        p.encoderRepetitionPenalty = 3
        let sampler = try makeSampler(p, vocabularySize: 3)
        #expect(sampler.sample(logits: [1, 2, 0.5], history: [0]) == 0)
        #expect(sampler.sample(logits: [1, 2, 1.5], history: [0, 2]) == 0)
    }

    // MARK: - No-repeat n-gram

    /// (n, history, banned tokens)
    static let ngramCases: [(Int, [Int32], Set<Int32>)] = [
        (2, [5, 1, 2, 1], [2]),
        (3, [1, 2, 3, 1, 2], [3]),
        (1, [4, 0, 4], [0, 4]),
        (3, [1, 2], []),
        (2, [1, 2, 3], []),
    ]

    @Test(arguments: ngramCases)
    func noRepeatNgramBansTokensThatWouldRepeatAnNgram(size: Int, history: [Int32], banned: Set<Int32>) {
        var list = CandidateList(logits: [Float](repeating: 0, count: 6))
        var table = TokenTable(size: 6)
        list.applyNoRepeatNgram(size, history: history[...], table: &table)
        #expect(list.survivorIDs == Set(0..<6).subtracting(banned))
        #expect(table.touched.isEmpty)
    }

    @Test func noRepeatNgramKeepsTheBestWhenEverythingWouldBeBanned() {
        var list = CandidateList(logits: [0, 1])
        var table = TokenTable(size: 2)
        list.applyNoRepeatNgram(2, history: [1, 0, 1, 1], table: &table)
        #expect(list.survivors == [1: 1])
    }

    @Test func noRepeatNgramReadsASliceWithAnOffset() {
        var list = CandidateList(logits: [Float](repeating: 0, count: 4))
        var table = TokenTable(size: 4)
        let history: [Int32] = [3, 3, 0, 1, 0]
        list.applyNoRepeatNgram(2, history: history[2...], table: &table)
        #expect(list.survivorIDs == [0, 2, 3])
    }
}
