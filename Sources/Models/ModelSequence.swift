import Kernels

/// One sequence's state: its KV cache, how many positions are filled, the last logits, and the
/// scratch buffers its forward passes reuse (allocated once, here).
public final class ModelSequence: @unchecked Sendable {
    /// Positions the cache can hold.
    public let capacity: Int
    /// Tokens processed per forward step (prompt chunks).
    public let batchSize: Int
    /// Positions filled so far (the next token goes at `count`).
    public private(set) var count = 0
    /// Logits of the last forward call: one row of `vocabularySize` per requested position.
    public internal(set) var logits: [Float] = []
    /// Rows in `logits`.
    public internal(set) var logitRows = 0

    let cache: KVCache
    let pass: ForwardPass

    init(hyperparameters hp: Hyperparameters, capacity: Int, cacheType: KVCacheType, batchSize: Int) throws {
        self.capacity = capacity
        self.batchSize = batchSize
        do {
            cache = try KVCache(type: cacheType, layers: hp.layers, capacity: capacity,
                                keyWidth: hp.kvHeads * hp.headDim, valueWidth: hp.kvHeads * hp.valueDim)
            pass = try ForwardPass(hyperparameters: hp, batchSize: batchSize)
        } catch let error as KernelError {
            throw ModelError.kernel(error)
        }
        logits.reserveCapacity(hp.vocabularySize)
    }

    /// Bytes held by the KV cache.
    public var cacheBytes: Int { cache.byteCount }

    /// Forgets every position from `position` on (keeps the prefix, e.g. a shared prompt).
    public func rewind(to position: Int) throws {
        guard position >= 0, position <= count else {
            throw ModelError.invalidRequest("cannot rewind a sequence of \(count) tokens to \(position)")
        }
        count = position
        logitRows = 0
    }

    func advance(by n: Int) { count += n }

    /// The logits row `row` of the last call (vocabularySize values; `dim` for hidden states).
    public func logits(row: Int) -> ArraySlice<Float> {
        let width = logitRows > 0 ? logits.count / logitRows : 0
        return logits[row * width..<(row + 1) * width]
    }
}

extension ModelSequence {
    /// Validates `tokens` and runs them through `step` in chunks of at most `batchSize`, advancing the
    /// sequence after each; `step` gets the pass (already positioned) and whether this chunk's logits
    /// are wanted. `logits` is reset first and holds the requested rows afterwards.
    func run(_ tokens: [Int32], request: LogitsRequest, vocabularySize: Int,
             _ step: (ForwardPass, ArraySlice<Int32>, Bool) throws -> Void) throws {
        guard !tokens.isEmpty else { throw ModelError.invalidRequest("no tokens to evaluate") }
        guard tokens.count <= capacity - count else { throw ModelError.contextFull(needed: count + tokens.count, capacity: capacity) }
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
            throw ModelError.tokenOutOfRange(bad, vocabularySize: vocabularySize)
        }
        logits.removeAll(keepingCapacity: true)
        logitRows = 0
        var start = 0
        while start < tokens.count {
            let end = min(start + batchSize, tokens.count)
            pass.begin(rows: end - start, position: count)
            let wanted = request == .all || request == .hiddenStates || (request == .last && end == tokens.count)
            do {
                try step(pass, tokens[start..<end], wanted)
            } catch let error as KernelError {
                throw ModelError.kernel(error)
            }
            advance(by: end - start)
            start = end
        }
        logitRows = switch request { case .none: 0; case .last: 1; case .all, .hiddenStates: tokens.count }
    }
}
