// MARK: - Merging one word

/// Reusable buffers for merging the symbols of one word, always applying the lowest-rank merge and the
/// leftmost among equal ranks (llama.cpp's order). Short words scan an array of pair ranks; long words
/// use a doubly linked list of symbols and a binary heap of candidate merges, whose stale entries (a
/// side already merged away) are recognised by their recorded ids and skipped.
struct MergeScratch {
    /// Up to this many symbols, rescanning pair ranks beats heap bookkeeping.
    private static let shortWord = 24
    private struct Candidate: HeapOrdered {
        var rank: Int32
        var left: Int32
        var right: Int32
        var leftID: Int32
        var rightID: Int32
        var result: Int32

        @inline(__always)
        func precedes(_ other: Candidate) -> Bool {
            rank != other.rank ? rank < other.rank : left < other.left
        }
    }

    private var ids: [Int32] = []
    private var prev: [Int32] = []
    private var next: [Int32] = []
    private var heap: [Candidate] = []
    private var pairRank: [Int32] = []
    private var pairResult: [Int32] = []

    mutating func reset() {
        ids.removeAll(keepingCapacity: true)
        pairRank.removeAll(keepingCapacity: true)
        pairResult.removeAll(keepingCapacity: true)
        prev.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
    }

    mutating func append(_ id: Int32) {
        let index = Int32(ids.count)
        ids.append(id)
        prev.append(index - 1)
        next.append(index + 1)
    }

    mutating func merge(using merges: MergeTable) {
        guard ids.count > 1 else {
            if !ids.isEmpty { next[0] = -1 }
            return
        }
        if ids.count <= Self.shortWord {
            mergeShort(using: merges)
            return
        }
        next[ids.count - 1] = -1
        for i in 0..<(ids.count - 1) { consider(Int32(i), Int32(i + 1), merges) }
        while let best = heap.heapPop() {
            let l = Int(best.left), r = Int(best.right)
            guard ids[l] == best.leftID, ids[r] == best.rightID, next[l] == best.right else { continue }
            ids[l] = best.result
            ids[r] = -1
            let after = next[r]
            next[l] = after
            if after >= 0 { prev[Int(after)] = best.left }
            if prev[l] >= 0 { consider(prev[l], best.left, merges) }
            if after >= 0 { consider(best.left, after, merges) }
        }
    }

    /// Short words: `pairRank[i]` is the rank of merging symbols i and i+1 (Int32.max for none).
    private mutating func mergeShort(using merges: MergeTable) {
        func rank(_ i: Int) -> (Int32, Int32) {
            merges.lookup(ids[i], ids[i + 1]).map { ($0.rank, $0.result) } ?? (Int32.max, -1)
        }
        for i in 0..<(ids.count - 1) {
            let (r, result) = rank(i)
            pairRank.append(r)
            pairResult.append(result)
        }
        while true {
            var best = -1
            var bestRank = Int32.max
            for i in 0..<pairRank.count where pairRank[i] < bestRank {
                best = i
                bestRank = pairRank[i]
            }
            guard best >= 0 else { break }
            ids[best] = pairResult[best]
            ids.remove(at: best + 1)
            pairRank.remove(at: best)
            pairResult.remove(at: best)
            if best > 0 { (pairRank[best - 1], pairResult[best - 1]) = rank(best - 1) }
            if best < pairRank.count { (pairRank[best], pairResult[best]) = rank(best) }
        }
        // The linked list is not used on this path: survivors are simply the array, in order.
        for i in 0..<ids.count { next[i] = Int32(i + 1) }
        next[ids.count - 1] = -1
    }

    /// Calls `body` with the surviving symbols in order.
    func forEachSymbol(_ body: (Int32) -> Void) {
        var i = ids.isEmpty ? -1 : 0
        while i >= 0 {
            body(ids[i])
            i = Int(next[i])
        }
    }

    @inline(__always)
    private mutating func consider(_ left: Int32, _ right: Int32, _ merges: MergeTable) {
        let l = ids[Int(left)], r = ids[Int(right)]
        guard let merge = merges.lookup(l, r) else { return }
        heap.heapPush(Candidate(rank: merge.rank, left: left, right: right, leftID: l, rightID: r, result: merge.result))
    }
}

// MARK: - Word cache

/// Ids of words already encoded during one `encode` call. Keys are byte ranges of that call's input,
/// so caching a word allocates nothing. Natural text repeats a few thousand words, so most words are
/// looked up rather than merged.
struct WordCache {
    private static let maxWordBytes = 64
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var keyHash: [Int] = []
    private var idStart: [Int32] = []
    private var idCount: [Int32] = []
    private var ids: [Int32] = []
    private var slots = [Int32](repeating: 0, count: 1024)

    init() {}

    /// Appends the cached ids of `bytes[start..<stop]` and returns true, or returns false.
    mutating func emit(_ bytes: [UInt8], _ start: Int, _ stop: Int, hash: Int, into output: inout [Int32]) -> Bool {
        guard stop - start <= Self.maxWordBytes else { return false }
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { return false }
            let entry = stored - 1
            if keyHash[entry] == hash && Int(keyLength[entry]) == stop - start {
                let base = Int(keyStart[entry])
                var same = true
                for i in 0..<(stop - start) where bytes[base + i] != bytes[start + i] {
                    same = false
                    break
                }
                if same {
                    let first = Int(idStart[entry])
                    output.append(contentsOf: ids[first..<(first + Int(idCount[entry]))])
                    return true
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Remembers the ids of a word that `emit` did not find.
    mutating func store(_ bytes: [UInt8], _ start: Int, _ stop: Int, hash: Int, ids wordIDs: ArraySlice<Int32>) {
        guard stop - start <= Self.maxWordBytes else { return }
        if (keyStart.count + 1) * 2 > slots.count { grow() }
        let entry = keyStart.count
        keyStart.append(Int32(start))
        keyLength.append(Int32(stop - start))
        keyHash.append(hash)
        idStart.append(Int32(ids.count))
        idCount.append(Int32(wordIDs.count))
        ids.append(contentsOf: wordIDs)
        place(entry)
    }

    private mutating func place(_ entry: Int) {
        let mask = slots.count - 1
        var slot = keyHash[entry] & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for entry in 0..<keyStart.count { place(entry) }
    }
}
