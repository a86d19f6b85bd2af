/// A per-token integer table over the whole vocabulary that remembers which entries it touched, so
/// clearing it costs the number of touched tokens rather than the vocabulary size. Used for occurrence
/// counts, DRY match lengths and n-gram bans; allocated once per sampler and reused every step.
struct TokenTable: Sendable {
    private(set) var values: [Int32]
    /// Tokens with a nonzero value, each listed once.
    private(set) var touched: [Int32] = []

    init(size: Int) {
        values = Array(repeating: 0, count: max(size, 0))
    }

    var size: Int { values.count }

    /// The value of `token`; 0 for ids outside the table (a history may hold ids the logits do not cover).
    func value(of token: Int32) -> Int32 {
        let index = Int(token)
        return index >= 0 && index < values.count ? values[index] : 0
    }

    /// Adds one to the value of `token`, ignoring ids outside the table.
    mutating func increment(_ token: Int32) {
        let index = Int(token)
        guard index >= 0 && index < values.count else { return }
        if values[index] == 0 { touched.append(token) }
        values[index] &+= 1
    }

    /// Raises the value of `token` to `value` if it is lower, ignoring ids outside the table.
    mutating func raise(_ token: Int32, to value: Int32) {
        let index = Int(token)
        guard index >= 0 && index < values.count, value > values[index] else { return }
        if values[index] == 0 { touched.append(token) }
        values[index] = value
    }

    /// Counts every occurrence of each token of `tokens`.
    mutating func count(_ tokens: ArraySlice<Int32>) {
        for token in tokens { increment(token) }
    }

    /// Zeroes the touched entries, keeping the storage.
    mutating func clear() {
        for token in touched { values[Int(token)] = 0 }
        touched.removeAll(keepingCapacity: true)
    }
}
