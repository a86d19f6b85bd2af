/// Every sampling knob of text-generation-webui, each defaulting to its neutral value
/// (modules/presets.py `default_preset_values`), so `SamplingParameters()` samples from the raw
/// distribution. Field docs give the wire name; units and semantics are text-generation-webui's.
public struct SamplingParameters: Sendable, Equatable {
    // MARK: - Temperature

    /// `temperature`: logits are divided by it. 0 means greedy decoding (argmax after the history
    /// penalties, logit bias and bans); 1 is neutral.
    public var temperature: Float = 1
    /// `dynamic_temperature`: scale by a temperature between `dynatempLow` and `dynatempHigh` chosen from
    /// the normalized entropy of the distribution.
    public var dynamicTemperature = false
    /// `dynatemp_low`: the temperature used for a zero-entropy distribution.
    public var dynatempLow: Float = 1
    /// `dynatemp_high`: the temperature used for a uniform distribution.
    public var dynatempHigh: Float = 1
    /// `dynatemp_exponent`: the normalized entropy is raised to this power before mapping it to a temperature.
    public var dynatempExponent: Float = 1
    /// `smoothing_factor`: quadratic sampling strength; 0 is off.
    public var smoothingFactor: Float = 0
    /// `smoothing_curve`: 1 is a pure quadratic; other values mix in a cubic term.
    public var smoothingCurve: Float = 1
    /// `temperature_last`: run temperature, dynamic temperature and quadratic sampling after every other stage.
    public var temperatureLast = false

    // MARK: - Truncation

    /// `top_k`: keep the k most likely tokens; 0 is off.
    public var topK = 0
    /// `top_p`: keep the most likely tokens until their probability sums to at least this; 1 is off.
    public var topP: Float = 1
    /// `min_p`: drop tokens less likely than `minP` times the most likely one's probability; 0 is off.
    public var minP: Float = 0
    /// `top_n_sigma`: drop logits more than n standard deviations below the largest; 0 is off.
    public var topNSigma: Float = 0
    /// `typical_p`: locally typical sampling mass; 1 is off.
    public var typicalP: Float = 1
    /// `tfs`: tail-free sampling; 1 is off.
    public var tfs: Float = 1
    /// `top_a`: drop tokens with probability below `topA × p_max²`; 0 is off.
    public var topA: Float = 0
    /// `epsilon_cutoff`, in units of 1e-4 as text-generation-webui takes it (3 means p < 0.0003 is dropped); 0 is off.
    public var epsilonCutoff: Float = 0
    /// `eta_cutoff`, in units of 1e-4 as text-generation-webui takes it; 0 is off.
    public var etaCutoff: Float = 0

    // MARK: - History penalties

    /// `repetition_penalty`: tokens seen in the last `repetitionPenaltyRange` tokens get positive logits
    /// divided and negative ones multiplied by it; 1 is off.
    public var repetitionPenalty: Float = 1
    /// `repetition_penalty_range`: how many of the latest tokens the repetition, presence, frequency and DRY
    /// penalties look at; 0 means the whole history.
    public var repetitionPenaltyRange = 1024
    /// `presence_penalty`: subtracted once from the logit of every token in the penalty range.
    public var presencePenalty: Float = 0
    /// `frequency_penalty`: subtracted from a token's logit once per occurrence in the penalty range.
    public var frequencyPenalty: Float = 0
    /// `encoder_repetition_penalty`: above 1 favours tokens of the prompt, below 1 penalizes them; 1 is off.
    public var encoderRepetitionPenalty: Float = 1
    /// `no_repeat_ngram_size`: ban any token that would repeat an n-gram of the history; 0 is off.
    public var noRepeatNgramSize = 0

    // MARK: - DRY

    /// `dry_multiplier`: DRY penalty scale; 0 is off.
    public var dryMultiplier: Float = 0
    /// `dry_base`: the penalty grows as `base^(match length − allowed length)`.
    public var dryBase: Float = 1.75
    /// `dry_allowed_length`: repeats up to this many tokens long are not penalized.
    public var dryAllowedLength = 2
    /// `dry_sequence_breakers` as token ids: repeats never extend across them. The engine tokenizes the
    /// wire strings (`defaultDRYSequenceBreakers` unless the request says otherwise).
    public var drySequenceBreakers: Set<Int32> = []

    // MARK: - XTC, Mirostat, Adaptive-P

    /// `xtc_threshold`: tokens at least this likely count as "top choices".
    public var xtcThreshold: Float = 0.1
    /// `xtc_probability`: chance per step that XTC removes the top choices; 0 is off.
    public var xtcProbability: Float = 0
    /// `mirostat_mode`: 0 off, 1 Mirostat (llama.cpp), 2 Mirostat 2.0.
    public var mirostatMode = 0
    /// `mirostat_tau`: target surprise, in bits.
    public var mirostatTau: Float = 5
    /// `mirostat_eta`: learning rate of the surprise controller.
    public var mirostatEta: Float = 0.1
    /// `adaptive_target`: target probability of adaptive-p sampling; 0 is off.
    public var adaptiveTarget: Float = 0
    /// `adaptive_decay`: how fast adaptive-p forgets past selections (clamped to 0.99).
    public var adaptiveDecay: Float = 0.9

    // MARK: - Bias, bans, order

    /// `logit_bias`: added to the token's logit before any stage (-100 effectively bans, +100 forces).
    public var logitBias: [Int32: Float] = [:]
    /// `custom_token_bans`: tokens that are never generated.
    public var bannedTokens: Set<Int32> = []
    /// `ban_eos_token`: never generate an end-of-generation token.
    public var banEOS = false
    /// `sampler_priority`: the order stages run in. See `SamplerStage.runOrder` for how missing stages sort.
    public var samplerPriority: [SamplerStage] = SamplerStage.defaultOrder

    /// text-generation-webui's default `dry_sequence_breakers`, as strings for the engine to tokenize.
    public static let defaultDRYSequenceBreakers = ["\n", ":", "\"", "*"]

    /// Neutral parameters: sampling from the model's raw distribution.
    public init() {}

    // MARK: - Which stages do something

    /// Whether `stage` changes anything with these parameters; neutral stages are skipped entirely.
    func isActive(_ stage: SamplerStage) -> Bool {
        switch stage {
        case .repetitionPenalty: repetitionPenalty != 1
        case .presencePenalty: presencePenalty != 0
        case .frequencyPenalty: frequencyPenalty != 0
        case .dry: dryMultiplier > 0
        case .topNSigma: topNSigma > 0
        case .temperature: temperature != 1
        case .dynamicTemperature: dynamicTemperature
        case .quadraticSampling: smoothingFactor > 0
        case .topK: topK > 0
        case .topP: topP < 1
        case .typicalP: typicalP < 1
        case .epsilonCutoff: epsilonCutoff > 0
        case .etaCutoff: etaCutoff > 0
        case .tfs: tfs < 1
        case .topA: topA > 0
        case .minP: minP > 0
        case .adaptiveP: adaptiveTarget > 0
        case .mirostat: mirostatMode != 0
        case .xtc: xtcProbability > 0
        case .encoderRepetitionPenalty: encoderRepetitionPenalty != 1
        case .noRepeatNgram: noRepeatNgramSize > 0
        }
    }

    /// The stages that do something, in the order they run.
    var activeStages: [SamplerStage] {
        SamplerStage.runOrder(priority: samplerPriority, temperatureLast: temperatureLast).filter(isActive)
    }
}
