import RealModule

/// The truncation samplers. Semantics follow text-generation-webui's logits warpers (its own and the
/// transformers ones it sorts) with `min_tokens_to_keep` = 1; top-k and top-n-sigma follow llama.cpp.
/// Probability thresholds are compared in log space (ln p = logit − max − ln Σ), so a filter over the
/// whole vocabulary is a pass of `exp` and a compaction, never a sort.
extension CandidateList {
    // MARK: - Top-k, top-p, min-p

    /// `top_k`: keeps exactly the `k` highest logits, ties going to the lower id (llama.cpp keeps exactly k;
    /// this makes top-k 1 greedy). Leaves the list sorted.
    mutating func applyTopK(_ k: Int) {
        guard k > 0, k < count else { return }
        if isSorted {
            count = k
            finiteCount = k
            return
        }
        keepRanked(rankBest(k))
    }

    /// `top_p`: keeps the most likely tokens up to and including the one whose cumulative probability
    /// reaches `p`, i.e. a token stays when the tokens ranked above it sum to less than `p`.
    mutating func applyTopP(_ p: Float) {
        guard p < 1, count > 1 else { return }
        let (largest, total) = normalizer()
        let target = Double(p) * total
        if isSorted {
            // Typically a short list after top-k: walk it.
            var running = 0.0
            for i in 0..<count {
                running += Double(weights[i])
                if running >= target {
                    count = i + 1
                    finiteCount = count
                    return
                }
            }
            return
        }
        keepPrefix(around: largest, twoSided: false, largest: largest, target: target, keepingTies: false)
    }

    /// `min_p`: drops tokens with p < minP · p_max, i.e. logit < max + ln(minP).
    mutating func applyMinP(_ minP: Float) {
        guard minP > 0, count > 1 else { return }
        retain(logitAtLeast: maxLogit() + Float.log(minP))
    }

    // MARK: - Probability cutoffs

    /// `top_a`: drops tokens with p < a · p_max²; with p_max = 1/Σ that is logit < max + ln a − ln Σ.
    mutating func applyTopA(_ a: Float) {
        guard a > 0, count > 1 else { return }
        let (largest, total) = normalizer()
        retain(logitAtLeast: largest + Float.log(a) - Float(Double.log(total)))
    }

    /// `epsilon_cutoff` (as a probability, not webui's 1e-4 units): drops tokens with p < epsilon.
    mutating func applyEpsilonCutoff(_ epsilon: Float) {
        guard epsilon > 0, count > 1 else { return }
        let (largest, total) = normalizer()
        retain(logitAtLeast: largest + Float(Double.log(total) + Double.log(Double(epsilon))))
    }

    /// `eta_cutoff` (as a probability): drops tokens with p < min(eta, √eta · e^−H), H the entropy in nats.
    mutating func applyEtaCutoff(_ eta: Float) {
        guard eta > 0, count > 1 else { return }
        let (largest, total) = normalizer()
        let entropy = entropy(max: largest, sum: total)
        let cutoff = min(Double(eta), Double(eta).squareRoot() * Double.exp(-entropy))
        retain(logitAtLeast: largest + Float(Double.log(total) + Double.log(cutoff)))
    }

    /// `top_n_sigma` (llama.cpp): drops logits below max − n·σ, σ the population standard deviation of the
    /// finite logits.
    mutating func applyTopNSigma(_ n: Float) {
        guard n > 0, count > 1 else { return }
        let largest = maxLogit()
        let size = min(count, logits.count)
        var sum: Double = 0
        var finite = 0
        for i in 0..<size {
            let isFinite = logits[i] > -.infinity
            sum = Relaxed.sum(sum, isFinite ? Double(logits[i]) : 0)
            finite &+= isFinite ? 1 : 0
        }
        guard finite > 1 else { return }
        let mean = sum / Double(finite)
        var squares: Double = 0
        for i in 0..<size {
            let deviation = logits[i] > -.infinity ? Double(logits[i]) - mean : 0
            squares = Relaxed.multiplyAdd(deviation, deviation, squares)
        }
        let sigma = (squares / Double(finite)).squareRoot()
        retain(logitAtLeast: largest - n * Float(sigma))
    }

    // MARK: - Typical-p

    /// `typical_p` (transformers' TypicalLogitsWarper): ranks tokens by |−ln p − H| ascending and keeps them
    /// up to the first whose cumulative probability reaches `mass`, plus any tied with it. Since
    /// −ln p = ln Σ − (logit − max), that distance is |c − logit| with c = max + ln Σ − H: a function of
    /// the logit, so the bucketed prefix selection applies.
    mutating func applyTypicalP(_ mass: Float) {
        guard mass < 1, count > 1 else { return }
        let (largest, total) = normalizer()
        let center = largest + Float(Double.log(total) - entropy(max: largest, sum: total))
        keepPrefix(around: center, twoSided: true, largest: largest, target: Double(mass) * total,
                   keepingTies: true)
    }

    // MARK: - Tail-free sampling

    /// `tfs` (text-generation-webui's TailFreeLogitsWarper): sorts the distribution, normalizes the absolute
    /// second differences of the probabilities into a CDF and cuts the tail where it exceeds `z`. The first
    /// token always stays and the last of the vocabulary always goes. The warper sorts the whole vocabulary,
    /// so removed tokens are zeros at the end, and the first two of them still shape the differences.
    mutating func applyTailFree(_ z: Float) {
        guard z < 1, count > 1 else { return }
        sortByLogit()
        let n = count
        let extended = n + min(2, vocabularySize - n)
        guard extended > 2 else {
            // Two tokens and no tail: the warper keeps the first only.
            count = 1
            finiteCount = 1
            return
        }
        let total = normalizer().sum
        for i in 0..<n { weights[i] = Float(Double(weights[i]) / total) }
        for i in n..<extended { weights[i] = 0 }
        var sum = 0.0
        for j in 0..<(extended - 2) { sum += secondDifference(at: j) }
        var kept = n
        // A zero sum makes the warper divide 0 by 0; NaN compares false and nothing is cut.
        if sum > 0 {
            var cumulative = 0.0
            for j in 0..<(extended - 2) {
                cumulative += secondDifference(at: j) / sum
                if cumulative > Double(z) {
                    kept = j + 1
                    break
                }
            }
        }
        count = max(1, min(kept, extended - 1))
        finiteCount = count
    }

    private func secondDifference(at j: Int) -> Double {
        abs(Double(weights[j + 2]) - 2 * Double(weights[j + 1]) + Double(weights[j]))
    }
}
