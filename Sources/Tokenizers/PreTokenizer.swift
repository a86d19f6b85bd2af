/// Splits text into the words a byte-level BPE merges within, as llama.cpp does for each
/// `tokenizer.ggml.pre`. A pre-tokenizer is a list of stages; each stage splits every chunk the
/// previous stage produced into its regex matches and the gaps between them (llama.cpp's
/// `unicode_regex_split`). The regexes are implemented as hand-written scanners over code point
/// classes; the comment on each stage gives the regex it stands for.
struct PreTokenizer: Sendable {
    let stages: [Stage]

    enum Stage: Sendable {
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
        case gpt2
        /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
        /// (llama3 with 3 digits, qwen2 with 1).
        case llama3(maxDigits: Int)
        /// `\s?SET+` when `optionalSpace`, else `SET+`; a single member when `single`.
        case runs(ScalarSet, optionalSpace: Bool, single: Bool)
        /// `[0-9][0-9][0-9]`
        case threeDigits
        /// `\s+$`
        case trailingWhitespace
    }

    /// Pre-tokenizer and decoding flags for a `tokenizer.ggml.pre` value; nil when unknown.
    static func named(_ pre: String) -> (PreTokenizer, ignoreMerges: Bool, cleanSpaces: Bool)? {
        let digit = ScalarSet.category(.number)
        switch pre {
        case "default":
            return (PreTokenizer(stages: [
                .runs(.category(.punctuation, extra: Array("$+<=>^~|".unicodeScalars.map(\.value))), optionalSpace: false, single: false),
                .gpt2, .runs(digit, optionalSpace: false, single: false), .threeDigits,
            ]), false, true)
        case "gpt-2", "phi-2", "mpt", "olmo", "jais":
            return (PreTokenizer(stages: [.gpt2]), false, true)
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral":
            return (PreTokenizer(stages: [.llama3(maxDigits: 3)]), true, true)
        case "dbrx", "smaug-bpe":
            return (PreTokenizer(stages: [.llama3(maxDigits: 3)]), false, true)
        case "qwen2", "deepseek-r1-qwen", "stablelm2":
            return (PreTokenizer(stages: [.llama3(maxDigits: 1)]), false, pre == "stablelm2")
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b":
            return (PreTokenizer(stages: [.runs(digit, optionalSpace: false, single: true), .gpt2]),
                    false, !(pre == "smollm" || pre == "command-r"))
        case "falcon":
            return (PreTokenizer(stages: [
                .runs(.category(.punctuation, extra: Array("$+<=>^~|`".unicodeScalars.map(\.value))), optionalSpace: false, single: false),
                .gpt2, .threeDigits,
            ]), false, true)
        case "deepseek-coder":
            return (PreTokenizer(stages: [
                .runs(.newline, optionalSpace: false, single: true),
                .runs(.category(.letter), optionalSpace: true, single: false),
                .runs(.category(.punctuation), optionalSpace: true, single: false),
                .runs(.ranges(ScalarSet.deepseekCJK), optionalSpace: false, single: false),
                .runs(digit, optionalSpace: false, single: true),
            ]), false, false)
        case "deepseek-llm":
            return (PreTokenizer(stages: [
                .runs(.newline, optionalSpace: false, single: true),
                .runs(.ranges(ScalarSet.deepseekLetters), optionalSpace: true, single: false),
                .runs(.ranges(ScalarSet.deepseekPunctuation), optionalSpace: true, single: false),
                .trailingWhitespace,
                .runs(.ranges(ScalarSet.deepseekCJK), optionalSpace: false, single: false),
                .runs(digit, optionalSpace: false, single: false),
            ]), false, false)
        default:
            return nil
        }
    }

    /// Word ends (code point indices, exclusive) covering all of `text`.
    func split(_ text: ScalarText) -> [Int32] {
        guard text.count > 0 else { return [] }
        var ends: [Int32] = [Int32(text.count)]
        for stage in stages {
            var next: [Int32] = []
            next.reserveCapacity(text.count / 3 + 4)
            var lo = 0
            for end in ends {
                let hi = Int(end)
                switch stage {
                case .gpt2: Self.gpt2(text, lo, hi, &next)
                case .llama3(let maxDigits): Self.llama3(text, lo, hi, maxDigits, &next)
                case .runs(let set, let optionalSpace, let single):
                    Self.runs(text, lo, hi, set, optionalSpace, single, &next)
                case .threeDigits: Self.threeDigits(text, lo, hi, &next)
                case .trailingWhitespace: Self.trailingWhitespace(text, lo, hi, &next)
                }
                lo = hi
            }
            ends = next
        }
        return ends
    }

    // MARK: - Scanners

    private static let apostrophe: UInt32 = 0x27
    private static let space: UInt32 = 0x20

    @inline(__always)
    private static func isNewline(_ c: UInt32) -> Bool { c == 0x0A || c == 0x0D }

    /// Contraction length (2 or 3) at `pos`, or 0. `foldCase` accepts upper-case letters too.
    @inline(__always)
    private static func contraction(_ s: [UInt32], _ pos: Int, _ hi: Int, foldCase: Bool) -> Int {
        guard s[pos] == apostrophe, pos + 1 < hi else { return 0 }
        func lower(_ c: UInt32) -> UInt32 { foldCase && c >= 0x41 && c <= 0x5A ? c + 0x20 : c }
        let a = lower(s[pos + 1])
        if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 { return 2 }  // s t m d
        guard pos + 2 < hi else { return 0 }
        let b = lower(s[pos + 2])
        if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) { return 3 }  // re ve ll
        return 0
    }

    private static func gpt2(_ t: ScalarText, _ lo: Int, _ hi: Int, _ out: inout [Int32]) {
        let s = t.scalars
        let notWord: CharClass = [.whitespace, .letter, .number]
        var pos = lo
        while pos < hi {
            let n = contraction(s, pos, hi, foldCase: false)
            if n > 0 { pos += n; out.append(Int32(pos)); continue }
            let isSpace = s[pos] == space
            let lead = isSpace ? t.cls(pos + 1, hi) : t.classes[pos]
            if lead.contains(.letter) || lead.contains(.number) {
                let run: CharClass = lead.contains(.letter) ? .letter : .number
                if isSpace { pos += 1 }
                while t.cls(pos, hi).contains(run) { pos += 1 }
                out.append(Int32(pos)); continue
            }
            if !lead.isEmpty && lead.isDisjoint(with: notWord) {
                if isSpace { pos += 1 }
                while true {
                    let c = t.cls(pos, hi)
                    if c.isEmpty || !c.isDisjoint(with: notWord) { break }
                    pos += 1
                }
                out.append(Int32(pos)); continue
            }
            var count = 0
            while t.cls(pos + count, hi).contains(.whitespace) { count += 1 }
            if count > 1 && pos + count < hi {
                pos += count - 1  // leave the last space to lead the next word: \s+(?!\S)
            } else if count > 0 {
                pos += count
            } else {
                pos += 1
            }
            out.append(Int32(pos))
        }
    }

    private static func llama3(_ t: ScalarText, _ lo: Int, _ hi: Int, _ maxDigits: Int, _ out: inout [Int32]) {
        let s = t.scalars
        let notWord: CharClass = [.whitespace, .letter, .number]
        var pos = lo
        while pos < hi {
            let n = contraction(s, pos, hi, foldCase: true)
            if n > 0 { pos += n; out.append(Int32(pos)); continue }
            let c = s[pos]
            let flags = t.classes[pos]
            if !isNewline(c) && !flags.contains(.number)
                && (flags.contains(.letter) || t.cls(pos + 1, hi).contains(.letter)) {
                pos += 1
                while t.cls(pos, hi).contains(.letter) { pos += 1 }
                out.append(Int32(pos)); continue
            }
            if flags.contains(.number) {
                var start = pos
                while t.cls(pos, hi).contains(.number) {
                    pos += 1
                    if pos - start >= maxDigits { out.append(Int32(pos)); start = pos }
                }
                if pos > start { out.append(Int32(pos)) }
                continue
            }
            let lead = c == space ? t.cls(pos + 1, hi) : flags
            if lead.isDisjoint(with: notWord) {
                if c == space { pos += 1 }
                while true {
                    let k = t.cls(pos, hi)
                    if k.isEmpty || !k.isDisjoint(with: notWord) { break }
                    pos += 1
                }
                while pos < hi && isNewline(s[pos]) { pos += 1 }
                out.append(Int32(pos)); continue
            }
            var count = 0
            var afterNewline = -1
            while t.cls(pos + count, hi).contains(.whitespace) {
                if isNewline(s[pos + count]) { afterNewline = pos + count + 1 }
                count += 1
            }
            if afterNewline >= 0 {
                pos = afterNewline  // \s*[\r\n]+
            } else if count > 1 && pos + count < hi {
                pos += count - 1
            } else if count > 0 {
                pos += count
            } else {
                pos += 1
            }
            out.append(Int32(pos))
        }
    }

    /// Emits `matchStart..<matchEnd` and the gap before it.
    @inline(__always)
    private static func emitMatch(_ gapStart: Int, _ start: Int, _ end: Int, _ out: inout [Int32]) {
        if start > gapStart { out.append(Int32(start)) }
        out.append(Int32(end))
    }

    private static func runs(_ t: ScalarText, _ lo: Int, _ hi: Int, _ set: ScalarSet,
                             _ optionalSpace: Bool, _ single: Bool, _ out: inout [Int32]) {
        var gap = lo
        var pos = lo
        while pos < hi {
            var start = -1
            if optionalSpace && t.classes[pos].contains(.whitespace) && pos + 1 < hi
                && set.contains(t.scalars[pos + 1], t.classes[pos + 1]) {
                start = pos
                pos += 1
            } else if set.contains(t.scalars[pos], t.classes[pos]) {
                start = pos
            }
            guard start >= 0 else { pos += 1; continue }
            pos += 1
            if !single {
                while pos < hi && set.contains(t.scalars[pos], t.classes[pos]) { pos += 1 }
            }
            emitMatch(gap, start, pos, &out)
            gap = pos
        }
        if hi > gap { out.append(Int32(hi)) }
    }

    private static func threeDigits(_ t: ScalarText, _ lo: Int, _ hi: Int, _ out: inout [Int32]) {
        func digit(_ i: Int) -> Bool { t.scalars[i] >= 0x30 && t.scalars[i] <= 0x39 }
        var gap = lo
        var pos = lo
        while pos + 3 <= hi {
            if digit(pos) && digit(pos + 1) && digit(pos + 2) {
                emitMatch(gap, pos, pos + 3, &out)
                pos += 3
                gap = pos
            } else {
                pos += 1
            }
        }
        if hi > gap { out.append(Int32(hi)) }
    }

    private static func trailingWhitespace(_ t: ScalarText, _ lo: Int, _ hi: Int, _ out: inout [Int32]) {
        var start = hi
        while start > lo && t.classes[start - 1].contains(.whitespace) { start -= 1 }
        if start < hi { emitMatch(lo, start, hi, &out) } else { out.append(Int32(hi)) }
    }
}
