/// SentencePiece BPE as llama.cpp runs it (`tokenizer.ggml.model = llama`): spaces become U+2581,
/// the text starts as one symbol per character, and the adjacent pair whose concatenation is the
/// highest-scoring token merges first (leftmost on ties) until no pair forms a token. Characters that
/// are not tokens fall back to `<0xNN>` byte tokens.
struct SentencePieceEncoder: Sendable {
    let index: ByteStringTable
    let scores: [Float]
    /// `<0xNN>` token of each byte (-1 when the vocabulary has none).
    let byteTokens: [Int32]
    let unknown: Int32?

    init(vocabulary: Vocabulary, unknown: Int32?) {
        index = vocabulary.index
        scores = vocabulary.scores
        self.unknown = unknown
        let hex = Array("0123456789ABCDEF".utf8)
        byteTokens = (0..<256).map { byte in
            let name: [UInt8] = Array("<0x".utf8) + [hex[byte >> 4], hex[byte & 15], UInt8(ascii: ">")]
            if let id = vocabulary.index.lookup(name, 0, name.count) { return id }
            // Some vocabularies spell a byte token as the byte itself.
            return vocabulary.index.lookup([UInt8(byte)], 0, 1) ?? -1
        }
    }

    private struct Candidate: HeapOrdered {
        var score: Float
        var left: Int32
        var right: Int32
        var size: Int32

        @inline(__always)
        func precedes(_ other: Candidate) -> Bool {
            score != other.score ? score > other.score : left < other.left
        }
    }

    /// Appends the ids of `text` (raw bytes, spaces not yet escaped).
    func encode(_ text: ArraySlice<UInt8>, spacePrefix: Bool, into output: inout [Int32]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count + text.count / 4 + 3)
        if spacePrefix { bytes.append(contentsOf: [0xE2, 0x96, 0x81]) }
        for byte in text {
            if byte == 0x20 { bytes.append(contentsOf: [0xE2, 0x96, 0x81]) } else { bytes.append(byte) }
        }
        guard !bytes.isEmpty else { return }

        // Symbols: start offset and length in `bytes`, linked by next/prev.
        var start: [Int32] = [], length: [Int32] = []
        var offset = 0
        while offset < bytes.count {
            let lead = bytes[offset]
            let n = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            let len = min(n, bytes.count - offset)
            start.append(Int32(offset))
            length.append(Int32(len))
            offset += len
        }
        let count = start.count
        var next = (0..<count).map { Int32($0 + 1) }
        var prev = (0..<count).map { Int32($0 - 1) }
        next[count - 1] = -1

        var heap: [Candidate] = []
        heap.reserveCapacity(count)
        func consider(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let s = Int(start[Int(left)])
            let size = Int(length[Int(left)] + length[Int(right)])
            guard let id = index.lookup(bytes, s, s + size) else { return }
            heap.heapPush(Candidate(score: scores[Int(id)], left: left, right: right, size: Int32(size)))
        }
        for i in 0..<(count - 1) { consider(Int32(i), Int32(i + 1)) }
        while let best = heap.heapPop() {
            let l = Int(best.left), r = Int(best.right)
            // A side that merged since this pair was queued changed the pair's total length.
            guard length[l] > 0, length[r] > 0, length[l] + length[r] == best.size else { continue }
            length[l] += length[r]
            length[r] = 0
            let after = next[r]
            next[l] = after
            if after >= 0 { prev[Int(after)] = best.left }
            consider(prev[l], best.left)
            consider(best.left, after)
        }

        var i = 0
        while i >= 0 {
            let s = Int(start[i]), e = s + Int(length[i])
            if let id = index.lookup(bytes, s, e) {
                output.append(id)
            } else {
                for byte in bytes[s..<e] {
                    let id = byteTokens[Int(byte)]
                    if id >= 0 { output.append(id) } else if let unknown { output.append(unknown) }
                }
            }
            i = Int(next[i])
        }
    }
}
