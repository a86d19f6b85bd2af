import RealModule

/// The stages that reshape the distribution without removing tokens (except a zero temperature, which
/// keeps only the best one, as llama.cpp's temperature sampler does).
extension CandidateList {
    // MARK: - Temperature

    /// `temperature`: divides every logit by `t`; t ≤ 0 keeps only the best candidate.
    mutating func applyTemperature(_ t: Float) {
        guard t != 1 else { return }
        guard t > 0 else {
            keepOnly(position: bestPosition())
            return
        }
        // Dividing by a positive number keeps the order, so a sorted list stays sorted.
        for i in 0..<min(count, logits.count) { logits[i] /= t }
    }

    /// `dynamic_temperature` (text-generation-webui's DynamicTemperatureLogitsWarper): the temperature is
    /// low + (high − low) · (H / ln N)^exponent, with H the entropy of the current distribution and N the
    /// number of finite candidates.
    mutating func applyDynamicTemperature(low: Float, high: Float, exponent: Float) {
        // One candidate has nothing to reshape (webui's 1e-10 guards then divide by `high`, a no-op too).
        guard finiteCount > 1 else { return }
        let (largest, total) = normalizer()
        let entropy = max(entropy(max: largest, sum: total), 1e-10)
        let normalized = Float(entropy / Double.log(Double(finiteCount)))
        applyTemperature(low + (high - low) * Float.pow(normalized, exponent))
    }

    // MARK: - Quadratic sampling

    /// `smoothing_factor` / `smoothing_curve` (text-generation-webui's QuadraticSamplingLogitsWarper): with
    /// d = logit − max, the logit becomes max − k·f·d² + s·f·d³, k = (3 − curve)/2, s = (curve − 1)/2.
    mutating func applyQuadraticSampling(factor: Float, curve: Float) {
        guard factor > 0 else { return }
        let largest = maxLogit()
        let k = (3 - curve) / 2
        let s = (curve - 1) / 2
        for i in 0..<min(count, logits.count) where logits[i] > -.infinity {
            let d = logits[i] - largest
            logits[i] = -(k * factor * d * d) + (s * factor * d * d * d) + largest
        }
        // A cubic term can reorder logits.
        isSorted = false
    }
}
