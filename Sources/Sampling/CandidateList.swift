import RealModule

/// The tokens still in the running for one sampling step and their logits.
///
/// Stages shrink and reorder the candidates in place. Storage is struct-of-arrays (`logits[i]` belongs to
/// token `id(at: i)`) so loops over the whole vocabulary vectorize, and every buffer is sized for the
/// vocabulary once and reused, so a step allocates nothing.
///
/// Invariants every stage keeps: at least one candidate has a finite logit — a filter may narrow the
/// choice but never empty it, keeping the best candidate when nothing else passes. Removed tokens leave
/// the list; only banned tokens of a full-vocabulary list sit in it with a logit of −∞.
struct CandidateList: Sendable {
    /// `logits[0..<count]` are the candidates' logits; the rest is spare capacity.
    var logits: [Float]
    /// The candidates' token ids, only meaningful when `isIdentity` is false.
    var ids: [Int32]
    var count = 0
    /// The number of logits loaded; tokens outside the list count as probability 0.
    var vocabularySize = 0
    /// The list is the whole vocabulary in id order (`id(at: i) == i`), so penalties address tokens directly.
    var isIdentity = false
    /// Sorted best first (logit descending, then id ascending), with no −∞ entries.
    var isSorted = false
    /// How many candidates have a finite logit (tracked while loading and banning).
    var finiteCount = 0

    /// Scratch: softmax weights exp(logit − max), filled by `normalizer()`.
    var weights: [Float]
    /// Scratch: a second per-candidate value (adaptive-p's original probabilities).
    var auxiliary: [Float]
    /// Scratch for rankings (top-k heap, bucketed sorts).
    var ranked: [RankedCandidate]
    /// Scratch for reordering after a ranking.
    var gatheredLogits: [Float]
    var gatheredIDs: [Int32]
    /// Scratch for the distance buckets of `CandidateList+Ranking.swift`.
    var bucketWeights: [Double]
    var bucketStarts: [Int]

    /// An empty list with room for a vocabulary of `capacity` tokens.
    init(capacity: Int) {
        let capacity = max(capacity, 1)
        // Separate allocations: arrays that shared one buffer would each copy it on their first write.
        logits = Array(repeating: 0, count: capacity)
        ids = Array(repeating: 0, count: capacity)
        weights = Array(repeating: 0, count: capacity)
        auxiliary = Array(repeating: 0, count: capacity)
        gatheredLogits = Array(repeating: 0, count: capacity)
        gatheredIDs = Array(repeating: 0, count: capacity)
        ranked = Array(repeating: RankedCandidate(key: 0, id: 0, position: 0), count: capacity)
        bucketWeights = Array(repeating: 0, count: Self.bucketCount)
        bucketStarts = Array(repeating: 0, count: Self.bucketCount + 1)
    }

    /// A list holding `logits` (mainly for tests).
    init(logits: [Float]) {
        self.init(capacity: logits.count)
        load(logits)
    }

    // MARK: - Loading, bias and bans

    /// Replaces the list with the whole vocabulary. NaN logits count as −∞ (never chosen) and +∞ as the
    /// largest finite value, so a broken model output cannot poison the softmax.
    mutating func load(_ input: [Float]) {
        if logits.count < input.count { self = CandidateList(capacity: input.count) }
        let n = min(input.count, logits.count)
        var finite = 0
        for i in 0..<n {
            let raw = input[i]
            let logit = raw.isNaN ? -Float.infinity : (raw == .infinity ? .greatestFiniteMagnitude : raw)
            finite &+= logit > -.infinity ? 1 : 0
            logits[i] = logit
        }
        count = n
        vocabularySize = n
        finiteCount = finite
        isIdentity = true
        isSorted = false
    }

    /// Adds `bias` to the logit of `token`. Only valid on a freshly loaded list.
    mutating func addBias(_ bias: Float, to token: Int32) {
        let index = Int(token)
        guard isIdentity, index >= 0, index < count else { return }
        logits[index] += bias
    }

    /// Sets the logit of `token` to −∞. Only valid on a freshly loaded list.
    mutating func ban(_ token: Int32) {
        let index = Int(token)
        guard isIdentity, index >= 0, index < count, logits[index] > -.infinity else { return }
        logits[index] = -.infinity
        finiteCount -= 1
    }

    // MARK: - Queries

    /// The token of the candidate at `position`.
    @inline(__always)
    func id(at position: Int) -> Int32 {
        isIdentity ? Int32(truncatingIfNeeded: position) : ids[position]
    }

    /// The candidates as (id, logit) pairs, for inspection.
    var candidates: [(id: Int32, logit: Float)] {
        (0..<count).map { (id(at: $0), logits[$0]) }
    }

    /// Whether the candidate at `a` ranks before the one at `b`: larger logit, then lower id.
    @inline(__always)
    func outranks(_ a: Int, _ b: Int) -> Bool {
        logits[a] > logits[b] || (logits[a] == logits[b] && id(at: a) < id(at: b))
    }

    /// The largest logit.
    func maxLogit() -> Float {
        isSorted ? logits[0] : FastMath.maximum(logits, count: count)
    }

    /// The position of the best candidate (largest logit, lowest id on ties). Only blocks whose maximum is
    /// the largest logit are scanned.
    func bestPosition() -> Int {
        if isSorted { return 0 }
        let largest = maxLogit()
        let n = min(count, logits.count)
        var best = -1
        for start in stride(from: 0, to: n, by: Self.blockSize) {
            let end = min(start + Self.blockSize, n)
            guard FastMath.maximum(logits[start..<end]) == largest else { continue }
            for i in start..<end where logits[i] == largest {
                // In id order the first maximum has the lowest id.
                if isIdentity { return i }
                if best < 0 || id(at: i) < id(at: best) { best = i }
            }
        }
        return max(best, 0)
    }

    /// The softmax normalizer: the largest logit `max` and `sum` = Σ exp(logit − max). Leaves each
    /// candidate's weight exp(logit − max) in `weights`, so its probability is weights[i] / sum and its
    /// log-probability logit − max − ln(sum).
    mutating func normalizer() -> (max: Float, sum: Double) {
        let largest = maxLogit()
        let n = min(count, logits.count, weights.count)
        // Double lanes: a Float sum over a whole vocabulary drifts by 1e-4, enough to move a top-p cut.
        var sum: Double = 0
        for i in 0..<n {
            let weight = FastMath.exp(logits[i] - largest)
            weights[i] = weight
            sum = Relaxed.sum(sum, Double(weight))
        }
        return (largest, sum)
    }

    /// The entropy −Σ p ln p in nats, after `normalizer()`: H = ln Σ − Σ w·(l − max) / Σ.
    func entropy(max largest: Float, sum: Double) -> Double {
        let n = min(count, logits.count, weights.count)
        var weighted: Double = 0
        for i in 0..<n {
            // −∞ logits have weight 0; skip them rather than compute 0 · −∞.
            let term = logits[i] > -.infinity ? weights[i] * (logits[i] - largest) : 0
            weighted = Relaxed.sum(weighted, Double(term))
        }
        return Double.log(sum) - weighted / sum
    }

    // MARK: - Narrowing

    /// Block length for scans that skip a block after one vectorized maximum.
    static let blockSize = 32

    /// Keeps the candidates with a logit of at least `lower` (and never −∞) that `keep` accepts,
    /// preserving their order. If none would remain, keeps the best candidate alone. Blocks whose maximum
    /// is below `lower` are skipped whole, so a filter that keeps few tokens of a vocabulary costs little
    /// more than one vectorized pass.
    mutating func retain(logitAtLeast lower: Float = -.greatestFiniteMagnitude,
                         where keep: (Int32, Float) -> Bool = { _, _ in true }) {
        // Never below the finite range, so −∞ always goes (and a NaN bound keeps nothing but the best).
        let lower = lower >= -.greatestFiniteMagnitude ? lower : (lower.isNaN ? .infinity : -.greatestFiniteMagnitude)
        let n = min(count, logits.count)
        var kept = 0
        for start in stride(from: 0, to: n, by: Self.blockSize) {
            let end = min(start + Self.blockSize, n)
            guard FastMath.maximum(logits[start..<end]) >= lower else { continue }
            for i in start..<end where logits[i] >= lower {
                let token = id(at: i)
                if keep(token, logits[i]) {
                    logits[kept] = logits[i]
                    ids[kept] = token
                    kept += 1
                }
            }
        }
        finish(kept: kept)
    }

    private mutating func finish(kept: Int) {
        if kept == 0 {
            // Nothing was kept, so nothing was overwritten: the best candidate is still in place.
            let best = bestPosition()
            let token = id(at: best)
            logits[0] = logits[best]
            ids[0] = token
            count = 1
            finiteCount = 1
            isIdentity = false
            return
        }
        if kept != count { isIdentity = false }
        count = kept
        finiteCount = kept
    }

    /// Keeps only the candidate at `position`.
    mutating func keepOnly(position: Int) {
        let token = id(at: position)
        logits[0] = logits[position]
        ids[0] = token
        count = 1
        finiteCount = 1
        isIdentity = false
        isSorted = true
    }
}
