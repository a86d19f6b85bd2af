import RealModule

/// DRY ("Don't Repeat Yourself", by p-e-w), as text-generation-webui's DRYLogitsProcessor computes it.
extension CandidateList {
    /// text-generation-webui stops extending a match at 50 tokens, which also bounds base^(length − allowed).
    static let dryMaxMatchLength = 50

    /// `dry_multiplier` / `dry_base` / `dry_allowed_length` / `dry_sequence_breakers`.
    ///
    /// For every earlier occurrence of the last token of `window`, the match is extended backwards while the
    /// tokens before it equal the tokens before the end of the window; the token that followed that
    /// occurrence would extend the repeat, so it is penalized by multiplier · base^(length − allowed) when
    /// the longest such match is at least `allowedLength` long. A sequence breaker ends a match: nothing is
    /// penalized when the last token is one, a breaker is never the penalized token, and matches do not
    /// extend across one.
    mutating func applyDRY(multiplier: Float, base: Float, allowedLength: Int, breakers: Set<Int32>,
                           window: ArraySlice<Int32>, table: inout TokenTable) {
        guard multiplier > 0, let last = window.last, !breakers.contains(last) else { return }
        let start = window.startIndex
        let end = window.endIndex
        // The last token itself always matches, so it is not an earlier occurrence.
        for occurrence in start..<(end - 1) where window[occurrence] == last {
            let next = window[occurrence + 1]
            if breakers.contains(next) { continue }
            var length = 1
            while length < Self.dryMaxMatchLength {
                let earlier = occurrence - length
                if earlier < start { break }
                let recent = window[end - 1 - length]
                if window[earlier] != recent || breakers.contains(recent) { break }
                length += 1
            }
            table.raise(next, to: Int32(length))
        }
        adjustLogits(using: table) { logit, length in
            let excess = Int(length) - allowedLength
            return excess >= 0 ? logit - multiplier * Float.pow(base, Float(excess)) : logit
        }
        table.clear()
    }
}
