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

/// Maps a pair of symbol ids to the rank of their merge and the id it produces. Key, rank and result
/// share one 16-byte slot so a probe touches one cache line: the table for a 150k-merge vocabulary is
/// 8 MB, and separate arrays made every lookup three cache misses.
struct MergeTable: Sendable {
    private struct Slot {
        var key: UInt64
        var rank: Int32
        var result: Int32
    }

    private static let empty = UInt64.max
    private var slots: [Slot]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: Self.empty, rank: 0, result: 0), count: size)
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
        while slots[s].key != Self.empty {
            if slots[s].key == k { return }
            s = (s + 1) & mask
        }
        slots[s] = Slot(key: k, rank: rank, result: result)
    }

    /// `(rank, result)` of the merge of `left` and `right`, or nil when they do not merge.
    @inline(__always)
    func lookup(_ left: Int32, _ right: Int32) -> (rank: Int32, result: Int32)? {
        let k = Self.key(left, right)
        var s = slot(for: k)
        while true {
            let stored = slots[s]
            if stored.key == k { return (stored.rank, stored.result) }
            if stored.key == Self.empty { return nil }
            s = (s + 1) & mask
        }
    }
}
