/// text-generation-webui's extra generation options (its `GenerationOptions`), accepted on
/// `/v1/completions`, `/v1/chat/completions` and `/v1/internal/logits` next to OpenAI's own parameters.
///
/// The keys sit at the top level of the request body (`{"messages": …, "min_p": 0.05}`): request types
/// decode this struct from their own decoder, so the JSON stays flat and error paths are plain
/// (`min_p`, not `generation.min_p`). Every field is nil when the client did not send it; the neutral
/// values quoted below are text-generation-webui's and are applied when the request is resolved, not
/// here.
public struct GenerationParameters: Codable, Sendable, Equatable {
    // MARK: - Presets and temperature

    /// A preset file name (without `.yaml`) whose sampler values replace the defaults.
    public var preset: String?
    /// Dynamic temperature: the temperature varies with the entropy of the distribution (default false).
    public var dynamicTemperature: Bool?
    /// Lowest dynamic temperature (neutral 1).
    public var dynatempLow: Double?
    /// Highest dynamic temperature (neutral 1).
    public var dynatempHigh: Double?
    /// Exponent of the entropy-to-temperature curve (neutral 1).
    public var dynatempExponent: Double?
    /// Quadratic sampling strength; 0 disables it (neutral 0).
    public var smoothingFactor: Double?
    /// Quadratic sampling curve (neutral 1).
    public var smoothingCurve: Double?
    /// Apply temperature after the truncation samplers instead of first (default false).
    public var temperatureLast: Bool?

    // MARK: - Truncation samplers

    /// Drop tokens whose probability is below `min_p` × the top probability (neutral 0).
    public var minP: Double?
    /// Keep the `top_k` most likely tokens; 0 disables it (neutral 0).
    public var topK: Int?
    /// Locally typical sampling mass (neutral 1).
    public var typicalP: Double?
    /// XTC: tokens above this probability may be excluded (default 0.1).
    public var xtcThreshold: Double?
    /// XTC: chance per step of excluding the top tokens; 0 disables XTC (neutral 0).
    public var xtcProbability: Double?
    /// Epsilon sampling cutoff, in units of 1e-4 (neutral 0).
    public var epsilonCutoff: Double?
    /// Eta sampling cutoff, in units of 1e-4 (neutral 0).
    public var etaCutoff: Double?
    /// Tail-free sampling (neutral 1).
    public var tfs: Double?
    /// Top-a sampling (neutral 0).
    public var topA: Double?
    /// Keep tokens within `top_n_sigma` standard deviations of the top logit; 0 disables it (neutral 0).
    public var topNSigma: Double?
    /// Adaptive-p target probability; 0 disables it (neutral 0).
    public var adaptiveTarget: Double?
    /// Adaptive-p decay (default 0.9).
    public var adaptiveDecay: Double?

    // MARK: - Repetition

    /// DRY penalty strength; 0 disables DRY (neutral 0).
    public var dryMultiplier: Double?
    /// Repeats up to this length are not penalised by DRY (default 2).
    public var dryAllowedLength: Int?
    /// DRY's exponential base (default 1.75).
    public var dryBase: Double?
    /// Strings that end a DRY match: a list, or text-generation-webui's comma-separated JSON strings
    /// (default `"\n", ":", "\"", "*"`).
    public var drySequenceBreakers: StringOrList?
    /// Multiplicative penalty on tokens already present (neutral 1).
    public var repetitionPenalty: Double?
    /// How many recent tokens the penalties look at; 0 means all (default 1024).
    public var repetitionPenaltyRange: Int?
    /// Penalty on tokens absent from the prompt (neutral 1).
    public var encoderRepetitionPenalty: Double?
    /// Ban repeating any n-gram of this size; 0 disables it (neutral 0).
    public var noRepeatNgramSize: Int?

    // MARK: - Alternative decoding

    /// Contrastive search strength (neutral 0).
    public var penaltyAlpha: Double?
    /// Classifier-free guidance scale (neutral 1).
    public var guidanceScale: Double?
    /// The negative prompt for classifier-free guidance.
    public var negativePrompt: String?
    /// Mirostat version: 0 off, 1 or 2 (neutral 0).
    public var mirostatMode: Int?
    /// Mirostat target surprise (default 5).
    public var mirostatTau: Double?
    /// Mirostat learning rate (default 0.1).
    public var mirostatEta: Double?
    /// false makes decoding greedy (default true).
    public var doSample: Bool?
    /// Sampler order, first applied first: a list of names or one newline-separated string.
    public var samplerPriority: StringOrList?

    // MARK: - Length, tokens and pacing

    /// Keep generating past `max_tokens` up to the context size (default false).
    public var autoMaxNewTokens: Bool?
    /// Forbid the end-of-sequence token (default false).
    public var banEOSToken: Bool?
    /// Prepend the BOS token to the prompt (default true).
    public var addBOSToken: Bool?
    /// Leave special tokens out of the output text (default true).
    public var skipSpecialTokens: Bool?
    /// Comma-separated token ids that may never be sampled (`"1,2,3"`).
    public var customTokenBans: String?
    /// Prompt tokens beyond this many are cut from the left; 0 means the model's context (default 0).
    public var truncationLength: Int?
    /// Throttle streaming to this many tokens per second; 0 means unlimited (default 0).
    public var maxTokensSecond: Int?
    /// Prompt-lookup speculative decoding length; 0 disables it (default 0).
    public var promptLookupNumTokens: Int?
    /// Transformers' static KV cache (default false); no effect here.
    public var staticCache: Bool?
    /// RNG seed; -1 means random (default -1). Also OpenAI's `seed`.
    public var seed: Int?
    /// A GBNF grammar the output must match.
    public var grammarString: String?

    // MARK: - Reasoning

    /// Passed to chat templates as `enable_thinking` (default true).
    public var enableThinking: Bool?
    /// Passed to chat templates as `reasoning_effort`: `low`, `medium` or `high` (default medium).
    public var reasoningEffort: String?
    /// Keep earlier turns' reasoning in the prompt (default false).
    public var preserveThinking: Bool?

    /// No options given: every field nil.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case preset
        case dynamicTemperature = "dynamic_temperature"
        case dynatempLow = "dynatemp_low"
        case dynatempHigh = "dynatemp_high"
        case dynatempExponent = "dynatemp_exponent"
        case smoothingFactor = "smoothing_factor"
        case smoothingCurve = "smoothing_curve"
        case temperatureLast = "temperature_last"
        case minP = "min_p"
        case topK = "top_k"
        case typicalP = "typical_p"
        case xtcThreshold = "xtc_threshold"
        case xtcProbability = "xtc_probability"
        case epsilonCutoff = "epsilon_cutoff"
        case etaCutoff = "eta_cutoff"
        case tfs
        case topA = "top_a"
        case topNSigma = "top_n_sigma"
        case adaptiveTarget = "adaptive_target"
        case adaptiveDecay = "adaptive_decay"
        case dryMultiplier = "dry_multiplier"
        case dryAllowedLength = "dry_allowed_length"
        case dryBase = "dry_base"
        case drySequenceBreakers = "dry_sequence_breakers"
        case repetitionPenalty = "repetition_penalty"
        case repetitionPenaltyRange = "repetition_penalty_range"
        case encoderRepetitionPenalty = "encoder_repetition_penalty"
        case noRepeatNgramSize = "no_repeat_ngram_size"
        case penaltyAlpha = "penalty_alpha"
        case guidanceScale = "guidance_scale"
        case negativePrompt = "negative_prompt"
        case mirostatMode = "mirostat_mode"
        case mirostatTau = "mirostat_tau"
        case mirostatEta = "mirostat_eta"
        case doSample = "do_sample"
        case samplerPriority = "sampler_priority"
        case autoMaxNewTokens = "auto_max_new_tokens"
        case banEOSToken = "ban_eos_token"
        case addBOSToken = "add_bos_token"
        case skipSpecialTokens = "skip_special_tokens"
        case customTokenBans = "custom_token_bans"
        case truncationLength = "truncation_length"
        case maxTokensSecond = "max_tokens_second"
        case promptLookupNumTokens = "prompt_lookup_num_tokens"
        case staticCache = "static_cache"
        case seed
        case grammarString = "grammar_string"
        case enableThinking = "enable_thinking"
        case reasoningEffort = "reasoning_effort"
        case preserveThinking = "preserve_thinking"
    }

    /// Reads the options from the top level of `decoder` (the request body's object).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preset = try c.optional(.preset)
        dynamicTemperature = try c.optional(.dynamicTemperature)
        dynatempLow = try c.optional(.dynatempLow)
        dynatempHigh = try c.optional(.dynatempHigh)
        dynatempExponent = try c.optional(.dynatempExponent)
        smoothingFactor = try c.optional(.smoothingFactor)
        smoothingCurve = try c.optional(.smoothingCurve)
        temperatureLast = try c.optional(.temperatureLast)
        minP = try c.optional(.minP)
        topK = try c.optional(.topK)
        typicalP = try c.optional(.typicalP)
        xtcThreshold = try c.optional(.xtcThreshold)
        xtcProbability = try c.optional(.xtcProbability)
        epsilonCutoff = try c.optional(.epsilonCutoff)
        etaCutoff = try c.optional(.etaCutoff)
        tfs = try c.optional(.tfs)
        topA = try c.optional(.topA)
        topNSigma = try c.optional(.topNSigma)
        adaptiveTarget = try c.optional(.adaptiveTarget)
        adaptiveDecay = try c.optional(.adaptiveDecay)
        dryMultiplier = try c.optional(.dryMultiplier)
        dryAllowedLength = try c.optional(.dryAllowedLength)
        dryBase = try c.optional(.dryBase)
        drySequenceBreakers = try c.optional(.drySequenceBreakers)
        repetitionPenalty = try c.optional(.repetitionPenalty)
        repetitionPenaltyRange = try c.optional(.repetitionPenaltyRange)
        encoderRepetitionPenalty = try c.optional(.encoderRepetitionPenalty)
        noRepeatNgramSize = try c.optional(.noRepeatNgramSize)
        penaltyAlpha = try c.optional(.penaltyAlpha)
        guidanceScale = try c.optional(.guidanceScale)
        negativePrompt = try c.optional(.negativePrompt)
        mirostatMode = try c.optional(.mirostatMode)
        mirostatTau = try c.optional(.mirostatTau)
        mirostatEta = try c.optional(.mirostatEta)
        doSample = try c.optional(.doSample)
        samplerPriority = try c.optional(.samplerPriority)
        autoMaxNewTokens = try c.optional(.autoMaxNewTokens)
        banEOSToken = try c.optional(.banEOSToken)
        addBOSToken = try c.optional(.addBOSToken)
        skipSpecialTokens = try c.optional(.skipSpecialTokens)
        customTokenBans = try c.optional(.customTokenBans)
        truncationLength = try c.optional(.truncationLength)
        maxTokensSecond = try c.optional(.maxTokensSecond)
        promptLookupNumTokens = try c.optional(.promptLookupNumTokens)
        staticCache = try c.optional(.staticCache)
        seed = try c.optional(.seed)
        grammarString = try c.optional(.grammarString)
        enableThinking = try c.optional(.enableThinking)
        reasoningEffort = try c.optional(.reasoningEffort)
        preserveThinking = try c.optional(.preserveThinking)
    }

    /// Writes the options that are set into the top level of `encoder`, next to the request's own keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(preset, forKey: .preset)
        try c.encodeIfPresent(dynamicTemperature, forKey: .dynamicTemperature)
        try c.encodeIfPresent(dynatempLow, forKey: .dynatempLow)
        try c.encodeIfPresent(dynatempHigh, forKey: .dynatempHigh)
        try c.encodeIfPresent(dynatempExponent, forKey: .dynatempExponent)
        try c.encodeIfPresent(smoothingFactor, forKey: .smoothingFactor)
        try c.encodeIfPresent(smoothingCurve, forKey: .smoothingCurve)
        try c.encodeIfPresent(temperatureLast, forKey: .temperatureLast)
        try c.encodeIfPresent(minP, forKey: .minP)
        try c.encodeIfPresent(topK, forKey: .topK)
        try c.encodeIfPresent(typicalP, forKey: .typicalP)
        try c.encodeIfPresent(xtcThreshold, forKey: .xtcThreshold)
        try c.encodeIfPresent(xtcProbability, forKey: .xtcProbability)
        try c.encodeIfPresent(epsilonCutoff, forKey: .epsilonCutoff)
        try c.encodeIfPresent(etaCutoff, forKey: .etaCutoff)
        try c.encodeIfPresent(tfs, forKey: .tfs)
        try c.encodeIfPresent(topA, forKey: .topA)
        try c.encodeIfPresent(topNSigma, forKey: .topNSigma)
        try c.encodeIfPresent(adaptiveTarget, forKey: .adaptiveTarget)
        try c.encodeIfPresent(adaptiveDecay, forKey: .adaptiveDecay)
        try c.encodeIfPresent(dryMultiplier, forKey: .dryMultiplier)
        try c.encodeIfPresent(dryAllowedLength, forKey: .dryAllowedLength)
        try c.encodeIfPresent(dryBase, forKey: .dryBase)
        try c.encodeIfPresent(drySequenceBreakers, forKey: .drySequenceBreakers)
        try c.encodeIfPresent(repetitionPenalty, forKey: .repetitionPenalty)
        try c.encodeIfPresent(repetitionPenaltyRange, forKey: .repetitionPenaltyRange)
        try c.encodeIfPresent(encoderRepetitionPenalty, forKey: .encoderRepetitionPenalty)
        try c.encodeIfPresent(noRepeatNgramSize, forKey: .noRepeatNgramSize)
        try c.encodeIfPresent(penaltyAlpha, forKey: .penaltyAlpha)
        try c.encodeIfPresent(guidanceScale, forKey: .guidanceScale)
        try c.encodeIfPresent(negativePrompt, forKey: .negativePrompt)
        try c.encodeIfPresent(mirostatMode, forKey: .mirostatMode)
        try c.encodeIfPresent(mirostatTau, forKey: .mirostatTau)
        try c.encodeIfPresent(mirostatEta, forKey: .mirostatEta)
        try c.encodeIfPresent(doSample, forKey: .doSample)
        try c.encodeIfPresent(samplerPriority, forKey: .samplerPriority)
        try c.encodeIfPresent(autoMaxNewTokens, forKey: .autoMaxNewTokens)
        try c.encodeIfPresent(banEOSToken, forKey: .banEOSToken)
        try c.encodeIfPresent(addBOSToken, forKey: .addBOSToken)
        try c.encodeIfPresent(skipSpecialTokens, forKey: .skipSpecialTokens)
        try c.encodeIfPresent(customTokenBans, forKey: .customTokenBans)
        try c.encodeIfPresent(truncationLength, forKey: .truncationLength)
        try c.encodeIfPresent(maxTokensSecond, forKey: .maxTokensSecond)
        try c.encodeIfPresent(promptLookupNumTokens, forKey: .promptLookupNumTokens)
        try c.encodeIfPresent(staticCache, forKey: .staticCache)
        try c.encodeIfPresent(seed, forKey: .seed)
        try c.encodeIfPresent(grammarString, forKey: .grammarString)
        try c.encodeIfPresent(enableThinking, forKey: .enableThinking)
        try c.encodeIfPresent(reasoningEffort, forKey: .reasoningEffort)
        try c.encodeIfPresent(preserveThinking, forKey: .preserveThinking)
    }
}
