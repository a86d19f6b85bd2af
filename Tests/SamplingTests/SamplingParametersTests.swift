@testable import Sampling
import Testing

@Suite struct SamplingParametersTests {
    // MARK: - Defaults

    /// text-generation-webui's `default_preset_values` (modules/presets.py).
    @Test func defaultsAreTextGenerationWebUINeutralValues() {
        let p = SamplingParameters()
        #expect(p.temperature == 1 && p.topP == 1 && p.topK == 0 && p.minP == 0 && p.typicalP == 1)
        #expect(p.tfs == 1 && p.topA == 0 && p.topNSigma == 0 && p.epsilonCutoff == 0 && p.etaCutoff == 0)
        #expect(p.repetitionPenalty == 1 && p.repetitionPenaltyRange == 1024)
        #expect(p.presencePenalty == 0 && p.frequencyPenalty == 0 && p.encoderRepetitionPenalty == 1)
        #expect(p.noRepeatNgramSize == 0)
        #expect(p.dryMultiplier == 0 && p.dryBase == 1.75 && p.dryAllowedLength == 2)
        #expect(p.xtcThreshold == 0.1 && p.xtcProbability == 0)
        #expect(p.mirostatMode == 0 && p.mirostatTau == 5 && p.mirostatEta == 0.1)
        #expect(!p.dynamicTemperature && p.dynatempLow == 1 && p.dynatempHigh == 1 && p.dynatempExponent == 1)
        #expect(p.smoothingFactor == 0 && p.smoothingCurve == 1 && !p.temperatureLast)
        #expect(p.adaptiveTarget == 0 && p.adaptiveDecay == 0.9)
        #expect(p.logitBias.isEmpty && p.bannedTokens.isEmpty && !p.banEOS)
        #expect(p.samplerPriority == SamplerStage.defaultOrder)
        #expect(SamplingParameters.defaultDRYSequenceBreakers == ["\n", ":", "\"", "*"])
        #expect(p.activeStages.isEmpty)
        #expect(throws: Never.self) { try p.validate() }
    }

    /// The order of text-generation-webui's default `sampler_priority`, as its wire names.
    @Test func defaultOrderMatchesTextGenerationWebUI() {
        let names = "repetition_penalty presence_penalty frequency_penalty dry top_n_sigma temperature "
            + "dynamic_temperature quadratic_sampling top_k top_p typical_p epsilon_cutoff eta_cutoff tfs top_a "
            + "min_p adaptive_p mirostat xtc encoder_repetition_penalty no_repeat_ngram"
        #expect(SamplerStage.defaultOrder.map(\.rawValue) == names.split(separator: " ").map(String.init))
        #expect(Set(SamplerStage.defaultOrder) == Set(SamplerStage.allCases))
        #expect(SamplerStage(rawValue: "top_p") == .topP)
    }

    // MARK: - Run order

    @Test func temperatureLastMovesTheThreeTemperatureStagesToTheEnd() throws {
        let order = SamplerStage.runOrder(priority: SamplerStage.defaultOrder, temperatureLast: true)
        #expect(Array(order.suffix(3)) == [.temperature, .dynamicTemperature, .quadraticSampling])
        #expect(order.count == SamplerStage.allCases.count)
        #expect(try #require(order.firstIndex(of: .minP)) < #require(order.firstIndex(of: .temperature)))
    }

    @Test func unlistedStagesRunFirstAndDuplicatesCountOnce() {
        let order = SamplerStage.runOrder(priority: [.minP, .temperature, .minP], temperatureLast: false)
        #expect(Array(order.suffix(2)) == [.minP, .temperature])
        #expect(order.count == SamplerStage.allCases.count)
        #expect(order.first == .repetitionPenalty)
        #expect(SamplerStage.runOrder(priority: [], temperatureLast: false) == SamplerStage.defaultOrder)
    }

    @Test func activeStagesSkipNeutralOnes() {
        var p = SamplingParameters()
        p.temperature = 0.7
        p.topK = 40
        p.minP = 0.05
        p.repetitionPenalty = 1.1
        #expect(p.activeStages == [.repetitionPenalty, .temperature, .topK, .minP])
        p.temperatureLast = true
        #expect(p.activeStages == [.repetitionPenalty, .topK, .minP, .temperature])
    }

    // MARK: - Validation

    static let invalidCases: [(String, @Sendable (inout SamplingParameters) -> Void)] = [
        ("temperature", { $0.temperature = -0.1 }),
        ("temperature", { $0.temperature = .nan }),
        ("top_p", { $0.topP = 0 }),
        ("top_p", { $0.topP = 1.01 }),
        ("top_k", { $0.topK = -1 }),
        ("min_p", { $0.minP = 1.5 }),
        ("typical_p", { $0.typicalP = 0 }),
        ("tfs", { $0.tfs = -0.5 }),
        ("top_a", { $0.topA = 2 }),
        ("top_n_sigma", { $0.topNSigma = -1 }),
        ("epsilon_cutoff", { $0.epsilonCutoff = 10_000 }),
        ("eta_cutoff", { $0.etaCutoff = -1 }),
        ("repetition_penalty", { $0.repetitionPenalty = 0 }),
        ("repetition_penalty_range", { $0.repetitionPenaltyRange = -1 }),
        ("presence_penalty", { $0.presencePenalty = .infinity }),
        ("frequency_penalty", { $0.frequencyPenalty = .nan }),
        ("encoder_repetition_penalty", { $0.encoderRepetitionPenalty = -1 }),
        ("no_repeat_ngram_size", { $0.noRepeatNgramSize = -2 }),
        ("dry_multiplier", { $0.dryMultiplier = -1 }),
        ("dry_base", { $0.dryBase = 0 }),
        ("dry_allowed_length", { $0.dryAllowedLength = -1 }),
        ("xtc_threshold", { $0.xtcThreshold = 1.2 }),
        ("xtc_probability", { $0.xtcProbability = -0.1 }),
        ("mirostat_mode", { $0.mirostatMode = 3 }),
        ("mirostat_tau", { $0.mirostatTau = -1 }),
        ("mirostat_eta", { $0.mirostatEta = .infinity }),
        ("dynatemp_low", { $0.dynatempLow = -1 }),
        ("dynatemp_high", { $0.dynatempHigh = -1 }),
        ("dynatemp_exponent", { $0.dynatempExponent = -1 }),
        ("smoothing_factor", { $0.smoothingFactor = -1 }),
        ("smoothing_curve", { $0.smoothingCurve = .nan }),
        ("adaptive_target", { $0.adaptiveTarget = 1.5 }),
        ("adaptive_decay", { $0.adaptiveDecay = -0.5 }),
        ("logit_bias", { $0.logitBias = [3: .nan] }),
    ]

    @Test(arguments: invalidCases.indices)
    func outOfRangeValuesNameTheirParameter(_ index: Int) {
        let (name, mutate) = Self.invalidCases[index]
        var p = SamplingParameters()
        mutate(&p)
        let error = #expect(throws: SamplingError.self) { try p.validate() }
        #expect(error?.parameterName == name)
    }

    @Test func tokenIdsAreCheckedAgainstTheVocabulary() {
        var p = SamplingParameters()
        p.logitBias = [10: 1]
        #expect(throws: SamplingError.self) { try makeSampler(p, vocabularySize: 10) }
        p.logitBias = [9: 1]
        #expect(throws: Never.self) { try makeSampler(p, vocabularySize: 10) }
        p.bannedTokens = [-1]
        let error = #expect(throws: SamplingError.self) { try makeSampler(p, vocabularySize: 10) }
        #expect(error?.parameterName == "custom_token_bans")
    }

    @Test func banningEveryTokenAndEmptyVocabulariesAreRejected() {
        var p = SamplingParameters()
        p.bannedTokens = [0, 1]
        p.banEOS = true
        #expect(throws: SamplingError.everyTokenBanned) {
            try makeSampler(p, vocabularySize: 3, endOfGeneration: [2])
        }
        #expect(throws: Never.self) { try makeSampler(p, vocabularySize: 4, endOfGeneration: [2]) }
        #expect(throws: SamplingError.invalidVocabularySize(0)) {
            try makeSampler(SamplingParameters(), vocabularySize: 0)
        }
    }

    @Test func boundaryValuesAreAccepted() {
        var p = SamplingParameters()
        p.temperature = 0
        p.topP = 1
        p.minP = 1
        p.tfs = 0
        p.xtcThreshold = 0
        p.xtcProbability = 1
        p.mirostatMode = 2
        p.logitBias = [1: -100, 2: 100]
        #expect(throws: Never.self) { try p.validate() }
    }
}
