import Foundation

/// BERT WordPiece with HF tokenizers' `BertNormalizer` and `BertPreTokenizer`: clean control
/// characters, space out CJK ideographs, strip accents (NFD, drop non-spacing marks), lower-case, split
/// at whitespace and punctuation, then greedy longest-match-first pieces with a `##` continuation prefix.
struct WordPieceEncoder: Sendable {
    struct Options: Sendable, Equatable {
        var cleanText = true
        var handleChineseChars = true
        var stripAccents = true
        var lowercase = true
        /// Words longer than this (in characters) become the unknown token.
        var maxInputCharsPerWord = 100
        var continuingSubwordPrefix = "##"
    }

    /// Piece bytes → id. Keyed by bytes, not String: String equality is canonical equivalence and
    /// grapheme-based, while HF compares exact code points.
    let pieces: ByteStringTable
    let unknown: Int32
    let options: Options

    init(pieces: [[UInt8]: Int32], unknown: Int32, options: Options) {
        var table = ByteStringTable(capacity: pieces.count)
        for (key, id) in pieces.sorted(by: { $0.value < $1.value }) { table.insert(key, value: id) }
        self.pieces = table
        self.unknown = unknown
        self.options = options
    }

    func encode(_ bytes: ArraySlice<UInt8>, into output: inout [Int32]) {
        let text = normalize(String(decoding: bytes, as: UTF8.self))
        for word in Self.preTokenize(text) { encodeWord(word, into: &output) }
    }

    // MARK: - Normalizer

    func normalize(_ text: String) -> String {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if options.cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
                if Self.isWhitespace(scalar) { scalars.append(" "); continue }
            }
            if options.handleChineseChars && Self.isChineseChar(scalar.value) {
                scalars.append(" ")
                scalars.append(scalar)
                scalars.append(" ")
            } else {
                scalars.append(scalar)
            }
        }
        var result = String(String.UnicodeScalarView(scalars))
        if options.stripAccents {
            let decomposed = result.decomposedStringWithCanonicalMapping.unicodeScalars
            result = String(String.UnicodeScalarView(decomposed.filter { $0.properties.generalCategory != .nonspacingMark }))
        }
        if options.lowercase {
            var lowered = ""
            lowered.reserveCapacity(result.utf8.count)
            for scalar in result.unicodeScalars { lowered += scalar.properties.lowercaseMapping }
            result = lowered
        }
        return result
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == "\t" || s == "\n" || s == "\r" || s.properties.isWhitespace
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        switch s.properties.generalCategory {
        // Unassigned code points are kept (HF tokenizers does; checked against its goldens).
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// CJK ideograph blocks, as BERT defines "Chinese characters" (not Hangul or kana).
    static func isChineseChar(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7E).contains(v)
        }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    // MARK: - Pre-tokenizer and pieces

    /// Words split at whitespace (dropped) and punctuation (kept, one character each).
    static func preTokenize(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
        }
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                flush()
            } else if isPunctuation(scalar) {
                flush()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        flush()
        return words
    }

    private func encodeWord(_ word: String, into output: inout [Int32]) {
        // Characters here are Unicode scalars, as in HF tokenizers (Rust chars), not grapheme clusters.
        let chars = Array(word.unicodeScalars)
        guard chars.count <= options.maxInputCharsPerWord else { output.append(unknown); return }
        let prefix = Array(options.continuingSubwordPrefix.utf8)
        // UTF-8 offset of each character, plus the end.
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        for scalar in chars {
            offsets.append(bytes.count)
            bytes.append(contentsOf: String(scalar).utf8)
        }
        offsets.append(bytes.count)
        var found: [Int32] = []
        var start = 0
        var candidate: [UInt8] = []
        while start < chars.count {
            var end = chars.count
            var match: Int32?
            while end > start {
                candidate.removeAll(keepingCapacity: true)
                if start > 0 { candidate.append(contentsOf: prefix) }
                candidate.append(contentsOf: bytes[offsets[start]..<offsets[end]])
                if let id = pieces.lookup(candidate, 0, candidate.count) { match = id; break }
                end -= 1
            }
            guard let id = match else { output.append(unknown); return }
            found.append(id)
            start = end
        }
        output.append(contentsOf: found)
    }
}
