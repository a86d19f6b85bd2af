extension Tokenizer {
    /// The text of `ids`. Invalid UTF-8 (a sequence cut short) becomes U+FFFD.
    /// - Parameter skipSpecial: leave out control and unknown tokens (BOS, EOS, `<|im_end|>`, …).
    public func decode(_ ids: [Int32], skipSpecial: Bool = true) -> String {
        String(decoding: decodeBytes(ids, skipSpecial: skipSpecial), as: UTF8.self)
    }

    /// The bytes of `ids`, before UTF-8 validation.
    public func decodeBytes(_ ids: [Int32], skipSpecial: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        var atStart = true
        for id in ids {
            guard vocabulary.contains(id) else { continue }
            if skipSpecial && isControl(id) { continue }
            var piece = pieces[Int(id)][...]
            if atStart && addSpacePrefix && !isControl(id), piece.first == 0x20 { piece = piece.dropFirst() }
            if !isControl(id) { atStart = false }
            out.append(contentsOf: piece)
        }
        return cleanSpaces ? Self.cleanUpSpaces(out) : out
    }

    /// Each id with its decoded piece (lossy UTF-8), for printing (`swiftlet tokenize`).
    public func describe(ids: [Int32]) -> [(id: Int32, piece: String)] {
        ids.map { ($0, String(decoding: pieceBytes($0), as: UTF8.self)) }
    }

    /// llama.cpp's `clean_spaces` for BPE models whose pre-tokenizer asks for it: drop the space before
    /// `? ! . ,`, around a lone `'`, and before the contractions `'s 'm 're 've`.
    static func cleanUpSpaces(_ text: [UInt8]) -> [UInt8] {
        let space = UInt8(ascii: " "), quote = UInt8(ascii: "'")
        var a: [UInt8] = []
        for x in text {
            if a.last == space, [UInt8(ascii: "?"), UInt8(ascii: "!"), UInt8(ascii: "."), UInt8(ascii: ",")].contains(x) {
                a.removeLast()
            }
            a.append(x)
        }
        var b: [UInt8] = []
        var i = 0
        while i < a.count {
            let x = a[i]
            if x == quote, i > 0, i + 1 < a.count, a[i - 1] == space, a[i + 1] == space {
                b.removeLast()
                b.append(x)
                i += 2
                continue
            }
            b.append(x)
            i += 1
        }
        var c: [UInt8] = []
        for (i, x) in b.enumerated() {
            if x == quote, i > 0, b[i - 1] == space, i + 1 < b.count {
                let x1 = b[i + 1]
                let x2: UInt8? = i + 2 < b.count ? b[i + 2] : nil
                let contraction = x1 == UInt8(ascii: "s") || x1 == UInt8(ascii: "m")
                    || (x2 == UInt8(ascii: "e") && (x1 == UInt8(ascii: "r") || x1 == UInt8(ascii: "v")))
                if contraction { c.removeLast() }
            }
            c.append(x)
        }
        return c
    }
}

// MARK: - Streaming

/// Turns generated ids into text as they arrive, never emitting half a UTF-8 sequence: bytes of an
/// unfinished sequence wait for the next token. SentencePiece's added leading space is removed from
/// the first piece, as ``Tokenizer/decode(_:skipSpecial:)`` does.
public struct StreamingDetokenizer: Sendable {
    private let tokenizer: Tokenizer
    private let skipSpecial: Bool
    private var pending: [UInt8] = []
    private var atStart = true

    /// - Parameter skipSpecial: emit nothing for control and unknown tokens.
    public init(tokenizer: Tokenizer, skipSpecial: Bool = true) {
        self.tokenizer = tokenizer
        self.skipSpecial = skipSpecial
    }

    /// The text that `id` completes (possibly empty).
    public mutating func feed(_ id: Int32) -> String {
        let control = tokenizer.isControl(id)
        if skipSpecial && control { return "" }
        var piece = tokenizer.pieceBytes(id)[...]
        if atStart && !control && tokenizer.addSpacePrefix && piece.first == 0x20 { piece = piece.dropFirst() }
        if !control && !piece.isEmpty { atStart = false }
        pending.append(contentsOf: piece)
        let ready = Self.completePrefixLength(pending)
        guard ready > 0 else { return "" }
        let text = String(decoding: pending[..<ready], as: UTF8.self)
        pending.removeFirst(ready)
        return text
    }

    /// Whatever is still held back (an unfinished sequence becomes U+FFFD).
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Length of the longest prefix that does not end inside a UTF-8 sequence that could still be
    /// completed. A sequence that is already invalid is released (it decodes to U+FFFD either way).
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        var i = bytes.count - 1
        var continuation = 0
        while i >= 0 && continuation < 3 && bytes[i] & 0xC0 == 0x80 {
            continuation += 1
            i -= 1
        }
        guard i >= 0 else { return bytes.count }
        let lead = bytes[i]
        let needed = lead >= 0xF0 && lead < 0xF8 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0
        if lead >= 0xF8 { return bytes.count }
        return needed > continuation ? i : bytes.count
    }
}
