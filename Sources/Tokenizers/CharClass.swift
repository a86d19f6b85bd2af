/// Character classes the pre-tokenizers test, as a bit set per code point. The categories follow
/// llama.cpp's table (Unicode general categories); whitespace is llama.cpp's own set, which differs
/// from both `Character.isWhitespace` and Python's `str.isspace` (it has U+0085 but not U+001C…1F).
struct CharClass: OptionSet, Sendable {
    let rawValue: UInt8
    static let letter = CharClass(rawValue: 1)
    static let number = CharClass(rawValue: 2)
    static let whitespace = CharClass(rawValue: 4)
    static let punctuation = CharClass(rawValue: 8)
    static let symbol = CharClass(rawValue: 16)
    static let mark = CharClass(rawValue: 32)
    /// Any other code point: separators, controls, unassigned. Keeps in-range classes non-empty, so an
    /// empty class means "outside the current chunk".
    static let other = CharClass(rawValue: 64)

    /// Classes of the Basic Multilingual Plane, computed once (64 KiB); astral code points are
    /// classified on demand.
    static let bmp: [CharClass] = (0..<0x10000).map { compute(UInt32($0)) }

    @inline(__always)
    static func of(_ scalar: UInt32) -> CharClass {
        scalar < 0x10000 ? bmp[Int(scalar)] : compute(scalar)
    }

    private static func compute(_ value: UInt32) -> CharClass {
        guard let scalar = Unicode.Scalar(value) else { return .other }
        var result: CharClass
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            result = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            result = .number
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            result = .punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            result = .symbol
        case .nonspacingMark, .spacingMark, .enclosingMark:
            result = .mark
        default:
            result = .other
        }
        if isWhitespace(value) { result.insert(.whitespace) }
        return result
    }

    static func isWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}

/// Text decoded once into code points, with the byte offset where each starts (plus one past the end),
/// so pre-tokenizers scan code points while the BPE works on the original bytes.
struct ScalarText {
    private(set) var scalars: [UInt32] = []
    private(set) var classes: [CharClass] = []
    private(set) var offsets: [Int32] = []

    /// Decodes `bytes[range]`, which is valid UTF-8 (it comes from a Swift String).
    init(bytes: [UInt8], range: Range<Int>) {
        scalars.reserveCapacity(range.count)
        classes.reserveCapacity(range.count)
        offsets.reserveCapacity(range.count + 1)
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b0 = UInt32(bytes[i])
            offsets.append(Int32(i))
            if b0 < 0x80 {
                scalars.append(b0)
                i += 1
            } else if b0 < 0xE0, i + 1 < end {
                scalars.append((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))
                i += 2
            } else if b0 < 0xF0, i + 2 < end {
                scalars.append((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))
                i += 3
            } else if i + 3 < end {
                scalars.append((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
                    | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F))
                i += 4
            } else {
                // Unreachable for String input; keeps a truncated sequence from reading past `end`.
                scalars.append(0xFFFD)
                i = end
            }
        }
        offsets.append(Int32(end))
        let table = CharClass.bmp
        for s in scalars {
            classes.append(s < 0x10000 ? table[Int(s)] : CharClass.of(s))
        }
    }

    /// The class at `i`, or the empty class outside `lo..<hi` (how the scanners see a chunk's edge).
    @inline(__always)
    func cls(_ i: Int, _ hi: Int) -> CharClass { i < hi ? classes[i] : [] }

    var count: Int { scalars.count }
}
