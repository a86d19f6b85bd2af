/// Byte-level BPE (GPT-2 style, `tokenizer.ggml.model = gpt2`).
///
/// Token texts are written in GPT-2's byte alphabet (each byte shown as one printable code point);
/// this encoder works on raw bytes instead and keeps the alphabet only at load time: every token and
/// every merge is translated to raw bytes / id pairs once.
struct BytePairEncoder: Sendable {
    let preTokenizer: PreTokenizer
    /// Whole words found in the vocabulary skip merging (llama3-style tokenizers).
    let ignoreMerges: Bool
    /// Raw bytes → id, for every token whose text is in the byte alphabet.
    let rawIndex: ByteStringTable
    /// Id of the symbol for each single byte.
    let byteSymbol: [Int32]
    let merges: MergeTable
    /// Raw bytes of symbols ≥ vocabulary size: merge results that are not tokens (llama.cpp still
    /// merges them and falls back to single bytes at the end).
    let extraSymbols: [[UInt8]]
    let vocabularySize: Int32

    init(vocabulary: Vocabulary, merges mergeTexts: [[UInt8]], preTokenizer: PreTokenizer, ignoreMerges: Bool) {
        self.preTokenizer = preTokenizer
        self.ignoreMerges = ignoreMerges
        vocabularySize = Int32(vocabulary.count)
        var rawIndex = ByteStringTable(capacity: vocabulary.count)
        for (id, text) in vocabulary.texts.enumerated() {
            if let raw = ByteAlphabet.decode(text) { rawIndex.insert(raw, value: Int32(id)) }
        }
        var extras: [[UInt8]] = []
        var extraIndex: [[UInt8]: Int32] = [:]
        let size = vocabularySize
        func symbol(_ raw: [UInt8]) -> Int32 {
            if let id = rawIndex.lookup(raw, 0, raw.count) { return id }
            if let id = extraIndex[raw] { return id }
            let id = size + Int32(extras.count)
            extras.append(raw)
            extraIndex[raw] = id
            return id
        }
        byteSymbol = (0..<256).map { symbol([UInt8($0)]) }
        var table = MergeTable(capacity: mergeTexts.count)
        for (rank, merge) in mergeTexts.enumerated() {
            // "left right", split at the first space after the first byte (a left part may be a space).
            guard merge.count > 2, let space = merge[1...].firstIndex(of: 0x20),
                  let left = ByteAlphabet.decode(Array(merge[..<space])),
                  let right = ByteAlphabet.decode(Array(merge[(space + 1)...])),
                  !left.isEmpty, !right.isEmpty else { continue }
            table.insert(left: symbol(left), right: symbol(right), rank: Int32(rank), result: symbol(left + right))
        }
        merges = table
        extraSymbols = extras
        self.rawIndex = rawIndex
    }

    /// Appends the ids of `bytes[range]` (one fragment of text between special tokens).
    func encode(_ bytes: [UInt8], _ range: Range<Int>, into output: inout [Int32], cache: inout WordCache) {
        guard !range.isEmpty else { return }
        let text = ScalarText(bytes: bytes, range: range)
        let ends = preTokenizer.split(text)
        var scratch = MergeScratch()
        var lo = 0
        for end in ends {
            let hi = Int(end)
            let start = Int(text.offsets[lo]), stop = Int(text.offsets[hi])
            lo = hi
            let hash = ByteStringTable.hash(bytes, start, stop)
            if cache.emit(bytes, start, stop, hash: hash, into: &output) { continue }
            let first = output.count
            encodeWord(bytes, start, stop, into: &output, scratch: &scratch)
            cache.store(bytes, start, stop, hash: hash, ids: output[first...])
        }
    }

    private func encodeWord(_ bytes: [UInt8], _ start: Int, _ stop: Int, into output: inout [Int32],
                            scratch: inout MergeScratch) {
        if ignoreMerges, let id = rawIndex.lookup(bytes, start, stop) {
            output.append(id)
            return
        }
        if stop - start == 1 {
            emit(byteSymbol[Int(bytes[start])], into: &output)
            return
        }
        scratch.reset()
        for i in start..<stop { scratch.append(byteSymbol[Int(bytes[i])]) }
        scratch.merge(using: merges)
        scratch.forEachSymbol { emit($0, into: &output) }
    }

    @inline(__always)
    private func emit(_ symbol: Int32, into output: inout [Int32]) {
        if symbol < vocabularySize {
            output.append(symbol)
            return
        }
        // Not a token: llama.cpp then looks up each byte of the symbol's byte-alphabet text as a
        // one-byte token, which only exists for printable ASCII (the alphabet keeps those as is).
        for byte in extraSymbols[Int(symbol - vocabularySize)] where byte >= 0x21 && byte <= 0x7E {
            let id = byteSymbol[Int(byte)]
            if id < vocabularySize { output.append(id) }
        }
    }
}

// MARK: - GPT-2 byte alphabet

/// GPT-2's reversible mapping of bytes to printable code points: printable Latin-1 bytes map to
/// themselves, the other 68 bytes to U+0100… in byte order.
enum ByteAlphabet {
    /// Code point → byte, for code points below 0x144 (-1 outside the alphabet).
    static let byteOfScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        var next = 0x100
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Int16(byte)
            } else {
                table[next] = Int16(byte)
                next += 1
            }
        }
        return table
    }()

    /// Raw bytes of a byte-alphabet text, or nil when the text has code points outside the alphabet.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        let table = byteOfScalar
        var i = 0
        while i < text.count {
            let b0 = Int(text[i])
            var scalar: Int
            if b0 < 0x80 {
                scalar = b0
                i += 1
            } else if b0 & 0xE0 == 0xC0, i + 1 < text.count {
                scalar = (b0 & 0x1F) << 6 | Int(text[i + 1] & 0x3F)
                i += 2
            } else {
                return nil
            }
            guard scalar < table.count, table[scalar] >= 0 else { return nil }
            out.append(UInt8(table[scalar]))
        }
        return out
    }
}
