import RealModule

/// The stages that consume randomness: XTC decides whether to act, and Mirostat and adaptive-p pick the
/// token themselves (leaving only it in the list, as text-generation-webui's warpers do), updating their
/// controller state from the choice.
extension CandidateList {
    // MARK: - XTC

    /// `xtc_threshold` / `xtc_probability` (text-generation-webui's XTCLogitsWarper): with probability
    /// `probability`, removes every token with p ≥ `threshold` except the least likely of them — only when
    /// at least two reach the threshold, and not if a `protected` token (end of generation, newline) would
    /// be removed. The random draw comes first, every step, as in webui.
    mutating func applyXTC(threshold: Float, probability: Float, protected: Set<Int32>,
                           random: inout RandomSource) {
        guard probability > 0 else { return }
        guard random.nextUnit() < Double(probability), count > 1 else { return }
        let (largest, total) = normalizer()
        // p ≥ threshold ⇔ logit ≥ max + ln Σ + ln threshold
        let cut = largest + Float(Double.log(total) + Double.log(Double(threshold)))
        var above = 0
        var least = -1
        for i in 0..<count where logits[i] >= cut && logits[i] > -.infinity {
            above += 1
            if least < 0 || outranks(least, i) { least = i }
        }
        guard above >= 2 else { return }
        let kept = id(at: least)
        for i in 0..<count where logits[i] >= cut && logits[i] > -.infinity && id(at: i) != kept
            && protected.contains(id(at: i)) {
            return
        }
        retain { token, logit in logit < cut || token == kept }
    }

    // MARK: - Mirostat

    /// Mirostat 2.0 (`mirostat_mode` 2): drops tokens whose surprise −log₂ p exceeds `mu` (keeping at least
    /// the best), draws from the rest, and moves `mu` by −eta · (surprise of the choice − tau), the surprise
    /// measured in the renormalized distribution.
    mutating func applyMirostatV2(tau: Float, eta: Float, mu: inout Float, random: inout RandomSource) {
        let (largest, total) = normalizer()
        // −log₂ p > mu ⇔ logit < max + ln Σ − mu · ln 2
        retain(logitAtLeast: largest + Float(Double.log(total)) - mu * Float.log(2))
        selectAndUpdate(tau: tau, eta: eta, mu: &mu, random: &random)
    }

    /// Mirostat (`mirostat_mode` 1, llama.cpp's version with m = 100): estimates the Zipf exponent ŝ from the
    /// top 100 probabilities, keeps the top k = (ε̂ · 2^mu / (1 − V^−ε̂))^(1/ŝ) tokens with ε̂ = ŝ − 1 and V
    /// the vocabulary size, draws from them and updates `mu` as version 2 does.
    mutating func applyMirostatV1(tau: Float, eta: Float, mu: inout Float, random: inout RandomSource) {
        let ranks = rankBest(100)
        if ranks > 1 {
            var sumTB = 0.0
            var sumTT = 0.0
            for i in 0..<(ranks - 1) where ranked[i + 1].key > -.infinity {
                let t = Double.log(Double(i + 2) / Double(i + 1))
                // ln(p_i / p_{i+1}) is the difference of the logits.
                let b = Double(ranked[i].key) - Double(ranked[i + 1].key)
                sumTB += t * b
                sumTT += t * t
            }
            let sHat = sumTB / sumTT
            let epsilonHat = sHat - 1
            let k = Double.pow(epsilonHat * Double.pow(2, Double(mu)) /
                               (1 - Double.pow(Double(vocabularySize), -epsilonHat)), 1 / sHat)
            // Flat or degenerate distributions make k NaN or infinite; those keep one token or all of them.
            let keep = k.isNaN || k < 1 ? 1 : (k < Double(count) ? Int(k) : count)
            // The ranking of the top 100 is still in `ranked` and serves any k up to that.
            if keep <= ranks {
                keepRanked(keep)
            } else {
                applyTopK(keep)
            }
        }
        selectAndUpdate(tau: tau, eta: eta, mu: &mu, random: &random)
    }

    private mutating func selectAndUpdate(tau: Float, eta: Float, mu: inout Float, random: inout RandomSource) {
        let (position, probability) = drawPosition(using: &random)
        let surprise = -Float(Double.log2(probability))
        mu -= eta * (surprise - tau)
        keepOnly(position: position)
    }

    // MARK: - Adaptive-p

    /// The EMA state of adaptive-p sampling, started at equilibrium as if the target had been met.
    struct AdaptivePState: Sendable, Equatable {
        var weightedSum: Float
        var totalWeight: Float

        init(target: Float, decay: Float) {
            let decay = min(decay, 0.99)
            weightedSum = target / (1 - decay)
            totalWeight = 1 / (1 - decay)
        }
    }

    /// `adaptive_target` / `adaptive_decay` (text-generation-webui's AdaptivePLogitsWarper): reshapes the
    /// logits to favour tokens whose probability is near a target that a proportional controller adapts
    /// from the recent choices, draws from the result and records the chosen token's original probability.
    mutating func applyAdaptiveP(target: Float, decay: Float, state: inout AdaptivePState,
                                 random: inout RandomSource) {
        // The transform's constants, as in webui (and llama.cpp's PR 17927).
        let width: Float = 0.3, peak: Float = 5, sharpness: Float = 10
        let decay = min(decay, 0.99)
        let total = normalizer().sum
        let average = state.totalWeight > 0 ? state.weightedSum / state.totalWeight : target
        let adapted = min(max(2 * target - average, 0), 1)
        for i in 0..<count {
            let probability = Float(Double(weights[i]) / total)
            auxiliary[i] = probability
            guard logits[i] > -.infinity else { continue }
            let distance = abs(probability - adapted) / width
            logits[i] = peak - sharpness * distance * distance / (1 + distance)
        }
        isSorted = false
        let position = drawPosition(using: &random).position
        state.weightedSum = auxiliary[position] + decay * state.weightedSum
        state.totalWeight = 1 + decay * state.totalWeight
        keepOnly(position: position)
    }
}
