/// The stages that adjust logits from the token history. Each takes a scratch `TokenTable` of the
/// vocabulary's size, fills it from the history, applies it and clears it again, so a step costs the
/// history window plus the candidates touched, never the vocabulary.
extension CandidateList {
    // MARK: - Applying a table

    /// Replaces the logit of every candidate whose token has a nonzero value `v` in `table` with
    /// `body(logit, v)`. A full vocabulary list is addressed by id (cost: the touched tokens); a narrowed
    /// one is scanned (cost: the candidates).
    mutating func adjustLogits(using table: TokenTable, _ body: (Float, Int32) -> Float) {
        // Banned tokens stay −∞, and a penalty, however large, never turns a finite logit into −∞ (a ban
        // the other stages would not expect).
        func adjusted(_ logit: Float, _ value: Int32) -> Float {
            logit > -.infinity ? max(body(logit, value), -.greatestFiniteMagnitude) : logit
        }
        if isIdentity {
            for token in table.touched where Int(token) < count {
                let index = Int(token)
                logits[index] = adjusted(logits[index], table.values[index])
            }
        } else {
            for i in 0..<count {
                let value = table.value(of: ids[i])
                if value != 0 { logits[i] = adjusted(logits[i], value) }
            }
        }
        isSorted = false
    }

    // MARK: - Repetition, presence, frequency

    /// `repetition_penalty`: every token in `window` gets a positive logit divided by `penalty` and a
    /// negative one multiplied by it, once however often it occurs (CTRL, as transformers applies it).
    mutating func applyRepetitionPenalty(_ penalty: Float, window: ArraySlice<Int32>, table: inout TokenTable) {
        guard penalty != 1 else { return }
        table.count(window)
        adjustLogits(using: table) { logit, _ in logit < 0 ? logit * penalty : logit / penalty }
        table.clear()
    }

    /// `presence_penalty` (OpenAI): subtracts `penalty` once from every token in `window`.
    mutating func applyPresencePenalty(_ penalty: Float, window: ArraySlice<Int32>, table: inout TokenTable) {
        guard penalty != 0 else { return }
        table.count(window)
        adjustLogits(using: table) { logit, _ in logit - penalty }
        table.clear()
    }

    /// `frequency_penalty` (OpenAI): subtracts `penalty` times the token's number of occurrences in `window`.
    mutating func applyFrequencyPenalty(_ penalty: Float, window: ArraySlice<Int32>, table: inout TokenTable) {
        guard penalty != 0 else { return }
        table.count(window)
        adjustLogits(using: table) { logit, occurrences in logit - Float(occurrences) * penalty }
        table.clear()
    }

    /// `encoder_repetition_penalty` (transformers' EncoderRepetitionPenaltyLogitsProcessor): the inverse of
    /// the repetition penalty on the prompt's tokens, so a penalty above 1 makes them more likely.
    /// `prompt` holds the prompt's tokens and stays filled for the whole generation.
    mutating func applyEncoderRepetitionPenalty(_ penalty: Float, prompt: TokenTable) {
        guard penalty != 1 else { return }
        adjustLogits(using: prompt) { logit, _ in logit < 0 ? logit / penalty : logit * penalty }
    }

    // MARK: - No-repeat n-gram

    /// `no_repeat_ngram_size` (transformers' NoRepeatNGramLogitsProcessor): bans every token that would
    /// complete an n-gram already present in `history`.
    mutating func applyNoRepeatNgram(_ n: Int, history: ArraySlice<Int32>, table: inout TokenTable) {
        // A history shorter than n holds no complete n-gram to repeat.
        guard n > 0, history.count >= n else { return }
        let start = history.startIndex
        let prefixStart = history.endIndex - (n - 1)
        // Every n-gram start whose first n − 1 tokens equal the last n − 1 tokens of the history.
        for gram in start...(history.endIndex - n) {
            var matches = true
            for offset in 0..<(n - 1) where history[gram + offset] != history[prefixStart + offset] {
                matches = false
                break
            }
            if matches { table.raise(history[gram + n - 1], to: 1) }
        }
        if !table.touched.isEmpty { retain { token, _ in table.value(of: token) == 0 } }
        table.clear()
    }
}
