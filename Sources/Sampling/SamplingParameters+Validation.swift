// MARK: - Validation

extension SamplingParameters {
    /// Checks every value against its range and throws `SamplingError.invalidParameter` naming the first
    /// offender by its wire name. Token ids are checked against the vocabulary by `Sampler.init`.
    public func validate() throws {
        try check("temperature", temperature, temperature >= 0, "must be at least 0")
        try check("dynatemp_low", dynatempLow, dynatempLow >= 0, "must be at least 0")
        try check("dynatemp_high", dynatempHigh, dynatempHigh >= 0, "must be at least 0")
        try check("dynatemp_exponent", dynatempExponent, dynatempExponent >= 0, "must be at least 0")
        try check("smoothing_factor", smoothingFactor, smoothingFactor >= 0, "must be at least 0")
        try checkFinite("smoothing_curve", smoothingCurve)
        try check("top_k", topK >= 0, "must be at least 0")
        try check("top_p", topP, topP > 0 && topP <= 1, "must be in (0, 1]")
        try check("min_p", minP, minP >= 0 && minP <= 1, "must be in [0, 1]")
        try check("top_n_sigma", topNSigma, topNSigma >= 0, "must be at least 0")
        try check("typical_p", typicalP, typicalP > 0 && typicalP <= 1, "must be in (0, 1]")
        try check("tfs", tfs, tfs >= 0 && tfs <= 1, "must be in [0, 1]")
        try check("top_a", topA, topA >= 0 && topA <= 1, "must be in [0, 1]")
        // Units of 1e-4: the cutoff must stay a probability below 1, as transformers requires.
        try check("epsilon_cutoff", epsilonCutoff, epsilonCutoff >= 0 && epsilonCutoff < 10_000, "must be in [0, 10000)")
        try check("eta_cutoff", etaCutoff, etaCutoff >= 0 && etaCutoff < 10_000, "must be in [0, 10000)")
        try check("repetition_penalty", repetitionPenalty, repetitionPenalty > 0, "must be greater than 0")
        try check("repetition_penalty_range", repetitionPenaltyRange >= 0, "must be at least 0")
        try checkFinite("presence_penalty", presencePenalty)
        try checkFinite("frequency_penalty", frequencyPenalty)
        try check("encoder_repetition_penalty", encoderRepetitionPenalty, encoderRepetitionPenalty > 0,
                  "must be greater than 0")
        try check("no_repeat_ngram_size", noRepeatNgramSize >= 0, "must be at least 0")
        try check("dry_multiplier", dryMultiplier, dryMultiplier >= 0, "must be at least 0")
        try check("dry_base", dryBase, dryBase > 0, "must be greater than 0")
        try check("dry_allowed_length", dryAllowedLength >= 0, "must be at least 0")
        try check("xtc_threshold", xtcThreshold, xtcThreshold >= 0 && xtcThreshold <= 1, "must be in [0, 1]")
        try check("xtc_probability", xtcProbability, xtcProbability >= 0 && xtcProbability <= 1, "must be in [0, 1]")
        try check("mirostat_mode", (0...2).contains(mirostatMode), "must be 0, 1 or 2")
        try check("mirostat_tau", mirostatTau, mirostatTau >= 0, "must be at least 0")
        try check("mirostat_eta", mirostatEta, mirostatEta >= 0, "must be at least 0")
        try check("adaptive_target", adaptiveTarget, adaptiveTarget >= 0 && adaptiveTarget <= 1, "must be in [0, 1]")
        try check("adaptive_decay", adaptiveDecay, adaptiveDecay >= 0 && adaptiveDecay <= 1, "must be in [0, 1]")
        try check("logit_bias", logitBias.values.allSatisfy(\.isFinite), "biases must be finite numbers")
    }

    /// Validates the token ids against a vocabulary of `vocabularySize` tokens.
    func validateTokens(vocabularySize: Int, endOfGeneration: Set<Int32>) throws {
        let range = 0..<Int32(clamping: vocabularySize)
        try check("logit_bias", logitBias.keys.allSatisfy(range.contains),
                  "token ids must be in 0..<\(vocabularySize)")
        try check("custom_token_bans", bannedTokens.allSatisfy(range.contains),
                  "token ids must be in 0..<\(vocabularySize)")
        var banned = bannedTokens
        if banEOS { banned.formUnion(endOfGeneration.filter(range.contains)) }
        if banned.count >= vocabularySize { throw SamplingError.everyTokenBanned }
    }

    // MARK: - Helpers

    private func check(_ name: String, _ value: Float, _ inRange: Bool, _ reason: String) throws {
        try checkFinite(name, value)
        try check(name, inRange, reason)
    }

    private func checkFinite(_ name: String, _ value: Float) throws {
        guard value.isFinite else { throw SamplingError.invalidParameter(name: name, reason: "must be a finite number") }
    }

    private func check(_ name: String, _ inRange: Bool, _ reason: String) throws {
        guard inRange else { throw SamplingError.invalidParameter(name: name, reason: reason) }
    }
}
