/// A set of code points one pre-tokenizer stage matches runs of.
enum ScalarSet: Sendable {
    /// Code points of a category (the regex `\p{…}`), plus some extra code points (`[\p{P}$+<=>]`).
    case category(CharClass, extra: [UInt32] = [])
    /// `[\r\n]`
    case newline
    /// Explicit ranges, for the character classes written out in DeepSeek's regexes. Those regexes run
    /// in llama.cpp on text whose non-ASCII whitespace became U+000B first, so whitespace never matches.
    case ranges([ClosedRange<UInt32>])

    @inline(__always)
    func contains(_ scalar: UInt32, _ cls: CharClass) -> Bool {
        switch self {
        case .category(let category, let extra):
            return !cls.isDisjoint(with: category) || extra.contains(scalar)
        case .newline:
            return scalar == 0x0A || scalar == 0x0D
        case .ranges(let ranges):
            if scalar > 0x7F && cls.contains(.whitespace) { return false }
            for range in ranges where range.contains(scalar) { return true }
            return false
        }
    }

    /// Parses a regex bracket body of single characters and `a-b` ranges (no escapes).
    static func parse(_ body: String) -> [ClosedRange<UInt32>] {
        let s = body.unicodeScalars.map(\.value)
        var result: [ClosedRange<UInt32>] = []
        var i = 0
        while i < s.count {
            if i + 2 < s.count, s[i + 1] == 0x2D, s[i] <= s[i + 2] {
                result.append(s[i]...s[i + 2])
                i += 3
            } else {
                result.append(s[i]...s[i])
                i += 1
            }
        }
        return result
    }

    // Character classes from DeepSeek's tokenizer.json, as llama.cpp lists them for "deepseek-llm" and
    // "deepseek-coder".
    static let deepseekLetters = parse(
        "A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃")
    static let deepseekPunctuation = parse("!-/:-~！-／：-～‘-‟　-。")
    static let deepseekCJK: [ClosedRange<UInt32>] = [0x4E00...0x9FA5, 0x0800...0x4E00, 0xAC00...0xD7FF]
}
