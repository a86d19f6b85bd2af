/// Picks the next token from a model's logits, the way text-generation-webui's samplers do.
///
/// Make one per generation: it owns the seeded random generator and the state of Mirostat and
/// adaptive-p, and buffers sized for the vocabulary that every step reuses. Each step:
///
/// 1. `logit_bias` is added, then `custom_token_bans` and (with `ban_eos_token`) the end-of-generation
///    tokens are set to −∞;
/// 2. with temperature 0 only the history penalties run and the best token is returned (ties go to the
///    lower id), as a greedy search runs its logits processors but no warpers;
/// 3. otherwise the stages that are not neutral run in `SamplerStage.runOrder` order, and a token is drawn
///    from the softmax of what is left.
///
/// The same parameters, seed, logits and histories give the same tokens (on the same build: vectorized
/// sums may round differently for another CPU target). Not thread-safe: one generation runs on one thread
/// at a time.
public final class Sampler {
    /// The parameters this sampler was built with (validated).
    public let parameters: SamplingParameters

    /// Non-neutral stages in run order, and the history penalties among them for greedy decoding.
    let stages: [SamplerStage]
    let greedyStages: [SamplerStage]

    private let biases: [(token: Int32, bias: Float)]
    private let bans: [Int32]
    private let endOfGeneration: Set<Int32>
    private let xtcProtected: Set<Int32>

    private var candidates: CandidateList
    private var scratch: TokenTable
    /// The prompt's tokens for the encoder repetition penalty, recorded from the first step's history.
    private var prompt: TokenTable?
    private var random: RandomSource

    /// Mirostat's surprise budget, starting at 2·tau; updated by every Mirostat step.
    private(set) var mirostatMu: Float
    /// Adaptive-p's running average of chosen probabilities.
    private(set) var adaptiveState: CandidateList.AdaptivePState

    // MARK: - Creating

    /// Validates `parameters` against a vocabulary of `vocabularySize` tokens and prepares the buffers.
    ///
    /// - Parameters:
    ///   - endOfGeneration: the tokens that end a generation (EOS, EOT…): banned by `ban_eos_token`, and never
    ///     removed by XTC.
    ///   - newlineToken: the token of "\n", which XTC never removes either (text-generation-webui's rule).
    ///   - seed: the seed of the sampler's random generator.
    /// - Throws: `SamplingError` naming the first invalid parameter.
    public init(parameters: SamplingParameters, vocabularySize: Int, endOfGeneration: Set<Int32>,
                newlineToken: Int32? = nil, seed: UInt64) throws {
        guard vocabularySize > 0 else { throw SamplingError.invalidVocabularySize(vocabularySize) }
        try parameters.validate()
        try parameters.validateTokens(vocabularySize: vocabularySize, endOfGeneration: endOfGeneration)
        self.parameters = parameters
        stages = parameters.activeStages
        greedyStages = stages.filter(\.isHistoryPenalty)
        biases = parameters.logitBias.map { (token: $0.key, bias: $0.value) }
        var banned = parameters.bannedTokens
        if parameters.banEOS { banned.formUnion(endOfGeneration) }
        bans = Array(banned)
        self.endOfGeneration = endOfGeneration
        xtcProtected = endOfGeneration.union(newlineToken.map { [$0] } ?? [])
        candidates = CandidateList(capacity: vocabularySize)
        scratch = TokenTable(size: vocabularySize)
        random = RandomSource(seed: seed)
        mirostatMu = 2 * parameters.mirostatTau
        adaptiveState = .init(target: parameters.adaptiveTarget, decay: parameters.adaptiveDecay)
    }

    // MARK: - Sampling

    /// Picks the next token.
    ///
    /// - Parameters:
    ///   - logits: one raw logit per vocabulary token (normally `vocabularySize` of them).
    ///   - history: the prompt followed by the tokens generated so far. The history of the first call is
    ///     taken as the prompt (for `encoder_repetition_penalty`).
    /// - Returns: the chosen token id.
    public func sample(logits: [Float], history: ArraySlice<Int32>) -> Int32 {
        guard process(logits, history: history) else { return degenerateToken() }
        if parameters.temperature == 0 { return candidates.id(at: candidates.bestPosition()) }
        return candidates.draw(using: &random)
    }

    /// The distribution the next token would be drawn from: the tokens the samplers leave, each with its
    /// renormalized probability, best first (ties to the lower id). With temperature 0 only the history
    /// penalties run and every token keeps the softmax of its penalized logit. Stages that draw (XTC,
    /// Mirostat, adaptive-p) consume randomness and update their state, as a sampling step would.
    public func distribution(logits: [Float], history: ArraySlice<Int32>) -> [(token: Int32, probability: Double)] {
        guard process(logits, history: history) else { return [(degenerateToken(), 1)] }
        let (_, total) = candidates.normalizer()
        var result: [(token: Int32, probability: Double)] = []
        for i in 0..<candidates.count where candidates.weights[i] > 0 {
            result.append((candidates.id(at: i), Double(candidates.weights[i]) / total))
        }
        result.sort { $0.probability > $1.probability || ($0.probability == $1.probability && $0.token < $1.token) }
        return result
    }

    /// Loads `logits` and runs the bias, the bans and the stages (only the history penalties with
    /// temperature 0). Returns false when nothing finite is left to choose from.
    private func process(_ logits: [Float], history: ArraySlice<Int32>) -> Bool {
        if prompt == nil && parameters.isActive(.encoderRepetitionPenalty) {
            var table = TokenTable(size: logits.count)
            table.count(history)
            prompt = table
        }
        if scratch.size < logits.count { scratch = TokenTable(size: logits.count) }
        candidates.load(logits)
        for (token, bias) in biases { candidates.addBias(bias, to: token) }
        for token in bans { candidates.ban(token) }
        guard candidates.finiteCount > 0 else { return false }
        for stage in parameters.temperature == 0 ? greedyStages : stages { apply(stage, history: history) }
        return true
    }

    /// Picks the next token; `history` is the prompt followed by the tokens generated so far.
    public func sample(logits: [Float], history: [Int32]) -> Int32 {
        sample(logits: logits, history: history[...])
    }

    /// The token for a step whose logits leave nothing to choose from (all NaN or −∞ after the bans): the
    /// first end-of-generation token, so the generation stops instead of emitting garbage.
    private func degenerateToken() -> Int32 {
        endOfGeneration.min() ?? 0
    }

    // MARK: - Stages

    private func apply(_ stage: SamplerStage, history: ArraySlice<Int32>) {
        let p = parameters
        switch stage {
        case .repetitionPenalty:
            candidates.applyRepetitionPenalty(p.repetitionPenalty, window: penaltyWindow(history), table: &scratch)
        case .presencePenalty:
            candidates.applyPresencePenalty(p.presencePenalty, window: penaltyWindow(history), table: &scratch)
        case .frequencyPenalty:
            candidates.applyFrequencyPenalty(p.frequencyPenalty, window: penaltyWindow(history), table: &scratch)
        case .dry:
            candidates.applyDRY(multiplier: p.dryMultiplier, base: p.dryBase, allowedLength: p.dryAllowedLength,
                                breakers: p.drySequenceBreakers, window: penaltyWindow(history), table: &scratch)
        case .encoderRepetitionPenalty:
            if let prompt { candidates.applyEncoderRepetitionPenalty(p.encoderRepetitionPenalty, prompt: prompt) }
        case .noRepeatNgram:
            candidates.applyNoRepeatNgram(p.noRepeatNgramSize, history: history, table: &scratch)
        case .temperature:
            candidates.applyTemperature(p.temperature)
        case .dynamicTemperature:
            candidates.applyDynamicTemperature(low: p.dynatempLow, high: p.dynatempHigh, exponent: p.dynatempExponent)
        case .quadraticSampling:
            candidates.applyQuadraticSampling(factor: p.smoothingFactor, curve: p.smoothingCurve)
        case .topNSigma:
            candidates.applyTopNSigma(p.topNSigma)
        case .topK:
            candidates.applyTopK(p.topK)
        case .topP:
            candidates.applyTopP(p.topP)
        case .typicalP:
            candidates.applyTypicalP(p.typicalP)
        case .epsilonCutoff:
            // webui takes both cutoffs in units of 1e-4.
            candidates.applyEpsilonCutoff(p.epsilonCutoff * 1e-4)
        case .etaCutoff:
            candidates.applyEtaCutoff(p.etaCutoff * 1e-4)
        case .tfs:
            candidates.applyTailFree(p.tfs)
        case .topA:
            candidates.applyTopA(p.topA)
        case .minP:
            candidates.applyMinP(p.minP)
        case .adaptiveP:
            candidates.applyAdaptiveP(target: p.adaptiveTarget, decay: p.adaptiveDecay, state: &adaptiveState,
                                      random: &random)
        case .mirostat:
            if p.mirostatMode == 1 {
                candidates.applyMirostatV1(tau: p.mirostatTau, eta: p.mirostatEta, mu: &mirostatMu, random: &random)
            } else {
                candidates.applyMirostatV2(tau: p.mirostatTau, eta: p.mirostatEta, mu: &mirostatMu, random: &random)
            }
        case .xtc:
            candidates.applyXTC(threshold: p.xtcThreshold, probability: p.xtcProbability, protected: xtcProtected,
                                random: &random)
        }
    }

    /// The tokens the repetition, presence, frequency and DRY penalties look at: the last
    /// `repetition_penalty_range` tokens, or all of them for a range of 0.
    private func penaltyWindow(_ history: ArraySlice<Int32>) -> ArraySlice<Int32> {
        parameters.repetitionPenaltyRange > 0 ? history.suffix(parameters.repetitionPenaltyRange) : history
    }
}
