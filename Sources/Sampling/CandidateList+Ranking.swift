import RealModule

/// A candidate ranked by a key (larger first, then lower id), with its position in the list.
struct RankedCandidate: Sendable {
    var key: Float
    var id: Int32
    var position: Int32

    @inline(__always)
    func outranks(_ other: RankedCandidate) -> Bool {
        key > other.key || (key == other.key && id < other.id)
    }
}

/// Ordering the candidates without sorting the vocabulary: a bounded heap for the best k, distance
/// buckets for prefix-sum filters and full sorts, and a blocked walk for the final draw.
extension CandidateList {
    // MARK: - Distance buckets

    /// Distances are in logit units, bucketed at 1/32 over [0, 32); one more bucket holds everything
    /// further (weights below e^−32 of the best, and −∞).
    static let bucketCount = 32 * 32 + 1

    @inline(__always)
    static func bucket(_ distance: Float) -> Int {
        distance < 32 ? Int(max(distance, 0) * 32) : bucketCount - 1
    }

    /// Keeps the candidates that come first in ascending distance of their logit from `center` (ties: lower
    /// id) until their weights exp(logit − largest) reach `target`, the one reaching it included; with
    /// `keepingTies`, also any candidate at the same distance as that one. The distance is center − logit,
    /// or |center − logit| when `twoSided`. Needs `weights` from `normalizer()`.
    ///
    /// Cost: one vectorized pass measures the weight within a few distances and drops everything beyond
    /// the first that holds `target`; one pass sums the survivors' weights per distance bucket; only the
    /// bucket the cut falls in is sorted.
    mutating func keepPrefix(around center: Float, twoSided: Bool, largest: Float, target: Double,
                             keepingTies: Bool) {
        @inline(__always) func distance(_ logit: Float) -> Float {
            twoSided ? abs(center - logit) : center - logit
        }
        let n = min(count, logits.count, weights.count)
        var within: (Double, Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0, 0)
        for i in 0..<n {
            let d = distance(logits[i])
            let w = Double(weights[i])
            within.0 = Relaxed.sum(within.0, d <= 1 ? w : 0)
            within.1 = Relaxed.sum(within.1, d <= 2 ? w : 0)
            within.2 = Relaxed.sum(within.2, d <= 4 ? w : 0)
            within.3 = Relaxed.sum(within.3, d <= 8 ? w : 0)
            within.4 = Relaxed.sum(within.4, d <= 12 ? w : 0)
            within.5 = Relaxed.sum(within.5, d <= 16 ? w : 0)
        }
        let bound: Float? = if within.0 >= target { 1 }
            else if within.1 >= target { 2 }
            else if within.2 >= target { 4 }
            else if within.3 >= target { 8 }
            else if within.4 >= target { 12 }
            else if within.5 >= target { 16 }
            else { nil }
        if let bound { retain(logitAtLeast: center - bound) { _, logit in distance(logit) <= bound } }

        for b in 0..<Self.bucketCount { bucketWeights[b] = 0 }
        for i in 0..<count {
            bucketWeights[Self.bucket(distance(logits[i]))] += Double(FastMath.exp(logits[i] - largest))
        }
        var before = 0.0
        var boundary = -1
        for b in 0..<Self.bucketCount {
            if before + bucketWeights[b] >= target {
                boundary = b
                break
            }
            before += bucketWeights[b]
        }
        // Rounding can leave the whole sum just short of the target: then everything stays.
        guard boundary >= 0 else { return }
        var members = 0
        for i in 0..<count where Self.bucket(distance(logits[i])) == boundary {
            ranked[members] = RankedCandidate(key: -distance(logits[i]), id: id(at: i), position: Int32(i))
            members += 1
        }
        sortRanked(0..<members)
        var cut = members - 1
        for j in 0..<members {
            before += Double(FastMath.exp(logits[Int(ranked[j].position)] - largest))
            if before >= target {
                cut = j
                break
            }
        }
        let cutDistance = -ranked[cut].key
        let cutID = ranked[cut].id
        retain(logitAtLeast: center - cutDistance) { token, logit in
            let d = distance(logit)
            return d < cutDistance || (d == cutDistance && (keepingTies || token <= cutID))
        }
    }

    // MARK: - Sorting

    /// Sorts the candidates best first and drops −∞ ones: a counting sort by distance from the largest
    /// logit, then a sort within each bucket, so mostly linear even over the whole vocabulary.
    mutating func sortByLogit() {
        guard !isSorted else { return }
        retain()
        let largest = maxLogit()
        for b in 0...Self.bucketCount { bucketStarts[b] = 0 }
        for i in 0..<count { bucketStarts[Self.bucket(largest - logits[i]) + 1] += 1 }
        for b in 0..<Self.bucketCount { bucketStarts[b + 1] += bucketStarts[b] }
        // Scatter; afterwards bucketStarts[b] is where bucket b ends.
        for i in 0..<count {
            let b = Self.bucket(largest - logits[i])
            ranked[bucketStarts[b]] = RankedCandidate(key: logits[i], id: id(at: i), position: Int32(i))
            bucketStarts[b] += 1
        }
        var start = 0
        for b in 0..<Self.bucketCount {
            let end = bucketStarts[b]
            sortRanked(start..<end)
            start = end
        }
        keepRanked(count)
    }

    // MARK: - Best k

    /// Ranks the candidates by logit and leaves the best `limit`, best first, in `ranked[0..<result]`.
    /// A heap of the best so far with the worst at the root; once it is full, blocks of logits whose
    /// maximum is below the root are skipped with one vectorizable pass, so most of a vocabulary costs a
    /// few comparisons per block.
    mutating func rankBest(_ limit: Int) -> Int {
        var k = min(limit, count)
        guard k > 0 else { return 0 }
        if k * 2 >= count {
            // Most of the list is wanted: sort it all (which also drops −∞ entries).
            sortByLogit()
            k = min(k, count)
            for i in 0..<k { ranked[i] = RankedCandidate(key: logits[i], id: id(at: i), position: Int32(i)) }
            return k
        }
        let n = min(count, logits.count)
        var size = 0
        var i = 0
        while i < n {
            guard size == k else {
                offer(i, heapSize: &size, limit: k)
                i += 1
                continue
            }
            let end = min(i + Self.blockSize, n)
            if FastMath.maximum(logits[i..<end]) >= ranked[0].key {
                for j in i..<end { offer(j, heapSize: &size, limit: k) }
            }
            i = end
        }
        extractHeap(base: 0, size: k)
        return k
    }

    /// Keeps the first `k` ranked candidates, which `rankBest` or `sortByLogit` ranked by logit.
    mutating func keepRanked(_ k: Int) {
        for j in 0..<k {
            let position = Int(ranked[j].position)
            gatheredLogits[j] = logits[position]
            gatheredIDs[j] = id(at: position)
        }
        for j in 0..<k {
            logits[j] = gatheredLogits[j]
            ids[j] = gatheredIDs[j]
        }
        count = k
        isIdentity = false
        isSorted = true
        while count > 1 && logits[count - 1] == -.infinity { count -= 1 }
        finiteCount = count
    }

    private mutating func offer(_ position: Int, heapSize size: inout Int, limit: Int) {
        let candidate = RankedCandidate(key: logits[position], id: id(at: position), position: Int32(position))
        if size < limit {
            ranked[size] = candidate
            var child = size
            size += 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard ranked[parent].outranks(ranked[child]) else { break }
                ranked.swapAt(parent, child)
                child = parent
            }
        } else if candidate.outranks(ranked[0]) {
            ranked[0] = candidate
            siftDown(0, base: 0, size: size)
        }
    }

    // MARK: - Sorting without allocating

    /// Sorts `ranked[range]` best first in place: quicksort (Hoare partition around a median of three)
    /// down to short runs, then insertion sort. The standard library's stable sort would allocate a merge
    /// buffer on every call; candidates are distinct (unique ids), so stability does not matter.
    mutating func sortRanked(_ range: Range<Int>) {
        var low = range.lowerBound
        var high = range.upperBound - 1
        while high - low >= 16 {
            let a = ranked[low], b = ranked[low + (high - low) / 2], c = ranked[high]
            let pivot = a.outranks(b) ? (b.outranks(c) ? b : (a.outranks(c) ? c : a))
                                      : (a.outranks(c) ? a : (b.outranks(c) ? c : b))
            var i = low - 1
            var j = high + 1
            while true {
                repeat { i += 1 } while ranked[i].outranks(pivot)
                repeat { j -= 1 } while pivot.outranks(ranked[j])
                if i >= j { break }
                ranked.swapAt(i, j)
            }
            // Recurse into the shorter side and loop on the longer, so the stack stays logarithmic.
            if j - low < high - j {
                sortRanked(low..<(j + 1))
                low = j + 1
            } else {
                sortRanked((j + 1)..<(high + 1))
                high = j
            }
        }
        guard low < high else { return }
        for i in (low + 1)...high {
            let item = ranked[i]
            var j = i
            while j > low && item.outranks(ranked[j - 1]) {
                ranked[j] = ranked[j - 1]
                j -= 1
            }
            ranked[j] = item
        }
    }

    /// Turns the heap in `ranked[base..<base + size]` (worst at the root) into a best-first order by
    /// moving the worst to the end, one at a time.
    private mutating func extractHeap(base: Int, size: Int) {
        for end in stride(from: size - 1, to: 0, by: -1) {
            ranked.swapAt(base, base + end)
            siftDown(0, base: base, size: end)
        }
    }

    /// Restores the heap order (every parent outranked by its children) below `node` of the heap in
    /// `ranked[base..<base + size]`.
    private mutating func siftDown(_ node: Int, base: Int, size: Int) {
        var parent = node
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var worst = parent
            if left < size && ranked[base + worst].outranks(ranked[base + left]) { worst = left }
            if right < size && ranked[base + worst].outranks(ranked[base + right]) { worst = right }
            if worst == parent { return }
            ranked.swapAt(base + parent, base + worst)
            parent = worst
        }
    }

    // MARK: - Drawing

    /// Draws a candidate from the softmax of the logits and returns its position and probability. Whole
    /// blocks of weights are skipped by their (vectorized) sums before walking the block the draw lands in.
    /// A single candidate is returned without consuming randomness.
    mutating func drawPosition(using random: inout RandomSource) -> (position: Int, probability: Double) {
        if count == 1 { return (0, 1) }
        let total = normalizer().sum
        let target = random.nextUnit() * total
        let n = min(count, weights.count)
        let block = 64
        var running = 0.0
        var start = 0
        while start + block < n {
            var blockSum: Float = 0
            for j in start..<(start + block) { blockSum = Relaxed.sum(blockSum, weights[j]) }
            if running + Double(blockSum) > target { break }
            running += Double(blockSum)
            start += block
        }
        var chosen = -1
        for i in start..<n where weights[i] > 0 {
            running += Double(weights[i])
            chosen = i
            if running > target { break }
        }
        // Only rounding at the very end can leave nothing chosen; the best candidate has weight 1.
        if chosen < 0 { chosen = bestPosition() }
        return (chosen, Double(weights[chosen]) / total)
    }

    /// The token drawn from the softmax of the remaining logits.
    mutating func draw(using random: inout RandomSource) -> Int32 {
        // Drawn before `id(at:)` is called: evaluating the call first would copy `self` as its receiver and
        // make the draw's writes copy every buffer.
        let position = drawPosition(using: &random).position
        return id(at: position)
    }
}
