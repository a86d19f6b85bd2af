// Open-addressing tables tuned for the encode hot path: lookups take a range of an existing byte
// array (no temporary String or Array per probe) and use a cheap multiplicative hash instead of
// Swift's seeded SipHash, which dominated profiles of a Dictionary-based version.

// MARK: - Byte strings → ids

/// Maps byte strings (token texts) to token ids. Keys are stored back to back in one array.
struct ByteStringTable: Sendable {
    private var keyBytes: [UInt8] = []
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var values: [Int32] = []
    /// Slot → entry index + 1 (0 = empty).
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { values.count }

    @inline(__always)
    static func hash(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        // FNV-1a, 64-bit.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Inserts `key → value` unless the key is present; returns false for a duplicate key.
    @discardableResult
    mutating func insert(_ key: [UInt8], value: Int32) -> Bool {
        if lookup(key, 0, key.count) != nil { return false }
        if (values.count + 1) * 2 > slots.count { grow() }
        let entry = values.count
        keyStart.append(Int32(keyBytes.count))
        keyLength.append(Int32(key.count))
        keyBytes.append(contentsOf: key)
        values.append(value)
        place(entry: entry, hash: Self.hash(key, 0, key.count))
        return true
    }

    private mutating func place(entry: Int, hash: Int) {
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for entry in 0..<values.count {
            let start = Int(keyStart[entry])
            place(entry: entry, hash: Self.hash(keyBytes, start, start + Int(keyLength[entry])))
        }
    }

    /// The value stored for `bytes[start..<end]`, if any.
    @inline(__always)
    func lookup(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int32? {
        lookup(bytes, start, end, hash: Self.hash(bytes, start, end))
    }

    func lookup(_ bytes: [UInt8], _ start: Int, _ end: Int, hash: Int) -> Int32? {
        let length = end - start
        var slot = hash & mask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { return nil }
            let entry = stored - 1
            if Int(keyLength[entry]) == length {
                let base = Int(keyStart[entry])
                var same = true
                var i = 0
                while i < length {
                    if keyBytes[base + i] != bytes[start + i] { same = false; break }
                    i += 1
                }
                if same { return values[entry] }
            }
            slot = (slot + 1) & mask
        }
    }
}

// MARK: - Id pairs → merges

/// Maps a pair of symbol ids to the rank of their merge and the id it produces.
struct MergeTable: Sendable {
    private static let empty = UInt64.max
    private var keys: [UInt64]
    private var ranks: [Int32]
    private var results: [Int32]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: size)
        ranks = [Int32](repeating: 0, count: size)
        results = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// Keeps the first (lowest-rank) merge when a pair repeats, as a map insert without overwrite does.
    mutating func insert(left: Int32, right: Int32, rank: Int32, result: Int32) {
        let k = Self.key(left, right)
        var s = slot(for: k)
        while keys[s] != Self.empty {
            if keys[s] == k { return }
            s = (s + 1) & mask
        }
        keys[s] = k
        ranks[s] = rank
        results[s] = result
    }

    /// `(rank, result)` of the merge of `left` and `right`, or nil when they do not merge.
    @inline(__always)
    func lookup(_ left: Int32, _ right: Int32) -> (rank: Int32, result: Int32)? {
        let k = Self.key(left, right)
        var s = slot(for: k)
        while true {
            let stored = keys[s]
            if stored == k { return (ranks[s], results[s]) }
            if stored == Self.empty { return nil }
            s = (s + 1) & mask
        }
    }
}
