/// One lexical token of a template, with where it starts.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case text(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case int(Int)
        case float(Double)
        case op(String)
        case eof
    }
    let kind: Kind
    let loc: SourceLocation
}

/// Splits template source into text and tag tokens, applying the whitespace rules Hugging Face's chat
/// templating uses: `trim_blocks` (drop the first newline after a block or comment tag),
/// `lstrip_blocks` (drop spaces and tabs before a block or comment tag that starts a line), `-` (strip
/// all whitespace on that side) and `+` (disable lstrip/trim for that tag).
struct Lexer {
    private let src: [Unicode.Scalar]
    private var pos = 0
    private var line = 1
    private var column = 1
    private var tokens: [Token] = []
    private let trimBlocks: Bool
    private let lstripBlocks: Bool

    init(source: String, trimBlocks: Bool = true, lstripBlocks: Bool = true) {
        // Jinja normalizes newlines and, without keep_trailing_newline, drops one trailing newline.
        var s = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if s.hasSuffix("\n") { s.removeLast() }
        src = Array(s.unicodeScalars)
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
    }

    static func tokenize(_ source: String) throws -> [Token] {
        var lexer = Lexer(source: source)
        try lexer.run()
        return lexer.tokens
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        pos + offset < src.count ? src[pos + offset] : nil
    }

    private var here: SourceLocation { SourceLocation(line: line, column: column) }

    private mutating func advance(_ n: Int = 1) {
        for _ in 0..<n where pos < src.count {
            if src[pos] == "\n" { line += 1; column = 1 } else { column += 1 }
            pos += 1
        }
    }

    private func error(_ message: String) -> TemplateError {
        .syntax(message, line: line, column: column)
    }

    private static func isSpace(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\t" || u == "\n" || u == "\r" || u == "\u{0C}" || u == "\u{0B}" }

    // MARK: - Text and tags

    private mutating func run() throws {
        while pos < src.count {
            let textStart = pos
            let textLoc = here
            var tagAt = pos
            while tagAt + 1 < src.count, !(src[tagAt] == "{" && (src[tagAt + 1] == "{" || src[tagAt + 1] == "%" || src[tagAt + 1] == "#")) {
                tagAt += 1
            }
            if tagAt + 1 >= src.count { tagAt = src.count }
            var text = Array(src[textStart..<tagAt])
            let tagKind: Unicode.Scalar? = tagAt < src.count ? src[tagAt + 1] : nil
            let modifier: Unicode.Scalar? = tagAt + 2 < src.count ? src[tagAt + 2] : nil
            if tagKind != nil {
                if modifier == "-" {
                    while let last = text.last, Self.isSpace(last) { text.removeLast() }
                } else if lstripBlocks, tagKind != "{", modifier != "+" {
                    let lineStart = (text.lastIndex(of: "\n").map { $0 + 1 }) ?? 0
                    let startsLine = lineStart > 0 || textStart == 0 || src[textStart - 1] == "\n"
                    if startsLine, text[lineStart...].allSatisfy({ $0 == " " || $0 == "\t" }) {
                        text.removeSubrange(lineStart...)
                    }
                }
            }
            if !text.isEmpty { tokens.append(Token(kind: .text(String(String.UnicodeScalarView(text))), loc: textLoc)) }
            advance(tagAt - pos)
            guard let kind = tagKind else { break }
            let tagLoc = here
            advance(2)
            if modifier == "-" || modifier == "+" { advance() }
            switch kind {
            case "#": try comment(at: tagLoc)
            case "{":
                tokens.append(Token(kind: .variableBegin, loc: tagLoc))
                try expressionTokens(closer: "}", at: tagLoc)
            default:
                if try rawBlock(at: tagLoc) { continue }
                tokens.append(Token(kind: .blockBegin, loc: tagLoc))
                try expressionTokens(closer: "%", at: tagLoc)
            }
        }
        tokens.append(Token(kind: .eof, loc: here))
    }

    /// After a tag's closing marker: `-` strips following whitespace; otherwise trim_blocks eats one newline.
    private mutating func afterTag(stripped: Bool, plus: Bool, isBlock: Bool) {
        if stripped {
            while let c = peek(), Self.isSpace(c) { advance() }
        } else if isBlock, trimBlocks, !plus, peek() == "\n" {
            advance()
        }
    }

    private mutating func comment(at loc: SourceLocation) throws {
        while pos + 1 < src.count, !(src[pos] == "#" && src[pos + 1] == "}") { advance() }
        guard pos + 1 < src.count else {
            throw TemplateError.syntax("unterminated comment", line: loc.line, column: loc.column)
        }
        let stripped = pos > 0 && src[pos - 1] == "-"
        let plus = pos > 0 && src[pos - 1] == "+"
        advance(2)
        afterTag(stripped: stripped, plus: plus, isBlock: true)
    }

    /// `{% raw %}…{% endraw %}` is copied verbatim; returns false when this block tag is not `raw`.
    private mutating func rawBlock(at loc: SourceLocation) throws -> Bool {
        var p = pos
        while p < src.count, Self.isSpace(src[p]) { p += 1 }
        guard p + 3 <= src.count, String(String.UnicodeScalarView(src[p..<p + 3])) == "raw" else { return false }
        p += 3
        while p < src.count, Self.isSpace(src[p]) { p += 1 }
        var stripAfter = false
        if p < src.count, src[p] == "-" { stripAfter = true; p += 1 }
        guard p + 1 < src.count, src[p] == "%", src[p + 1] == "}" else { return false }
        advance(p + 2 - pos)
        afterTag(stripped: stripAfter, plus: false, isBlock: true)
        let bodyLoc = here
        var q = pos
        while q + 1 < src.count {
            if src[q] == "{", src[q + 1] == "%" {
                var r = q + 2
                let stripBefore = r < src.count && src[r] == "-"
                if r < src.count, src[r] == "-" || src[r] == "+" { r += 1 }
                while r < src.count, Self.isSpace(src[r]) { r += 1 }
                if r + 6 <= src.count, String(String.UnicodeScalarView(src[r..<r + 6])) == "endraw" {
                    r += 6
                    while r < src.count, Self.isSpace(src[r]) { r += 1 }
                    var stripEnd = false
                    if r < src.count, src[r] == "-" { stripEnd = true; r += 1 }
                    if r + 1 < src.count, src[r] == "%", src[r + 1] == "}" {
                        var body = Array(src[pos..<q])
                        if stripBefore { while let l = body.last, Self.isSpace(l) { body.removeLast() } }
                        if !body.isEmpty { tokens.append(Token(kind: .text(String(String.UnicodeScalarView(body))), loc: bodyLoc)) }
                        advance(r + 2 - pos)
                        afterTag(stripped: stripEnd, plus: false, isBlock: true)
                        return true
                    }
                }
            }
            q += 1
        }
        throw TemplateError.syntax("missing endraw", line: loc.line, column: loc.column)
    }

    // MARK: - Inside {{ }} and {% %}

    private static let twoCharOps: Set<String> = ["//", "**", "==", "!=", "<=", ">="]
    private static let oneCharOps: Set<Unicode.Scalar> = ["+", "-", "*", "/", "%", "~", "<", ">", "(", ")", "[", "]",
                                                          "{", "}", ",", ".", ":", "|", "="]

    private mutating func expressionTokens(closer: Unicode.Scalar, at loc: SourceLocation) throws {
        let isBlock = closer == "%"
        var depth = 0
        while true {
            while let c = peek(), Self.isSpace(c) { advance() }
            guard let c = peek() else {
                throw TemplateError.syntax(isBlock ? "unterminated block tag" : "unterminated variable tag",
                                           line: loc.line, column: loc.column)
            }
            let tokLoc = here
            // A closing marker only counts outside brackets, so `{{ {'a': 1} }}` works.
            if depth == 0 {
                if c == closer, peek(1) == "}" {
                    advance(2)
                    tokens.append(Token(kind: isBlock ? .blockEnd : .variableEnd, loc: tokLoc))
                    afterTag(stripped: false, plus: false, isBlock: isBlock)
                    return
                }
                if c == "-" || c == "+", peek(1) == closer, peek(2) == "}" {
                    advance(3)
                    tokens.append(Token(kind: isBlock ? .blockEnd : .variableEnd, loc: tokLoc))
                    afterTag(stripped: c == "-", plus: c == "+", isBlock: isBlock)
                    return
                }
            }
            if c == "_" || c.properties.isAlphabetic && c.isASCII {
                var name = String.UnicodeScalarView()
                while let d = peek(), d == "_" || (d.isASCII && (d.properties.isAlphabetic || ("0"..."9").contains(d))) {
                    name.append(d)
                    advance()
                }
                tokens.append(Token(kind: .name(String(name)), loc: tokLoc))
            } else if ("0"..."9").contains(c) {
                tokens.append(Token(kind: try number(), loc: tokLoc))
            } else if c == "'" || c == "\"" {
                tokens.append(Token(kind: .string(try stringLiteral(quote: c)), loc: tokLoc))
            } else {
                var op = String(c)
                if let d = peek(1), Self.twoCharOps.contains(op + String(d)) { op += String(d) }
                guard op.count == 2 || Self.oneCharOps.contains(c) else { throw error("unexpected character '\(c)'") }
                if op == "(" || op == "[" || op == "{" { depth += 1 }
                if op == ")" || op == "]" || op == "}" { depth = max(0, depth - 1) }
                advance(op.unicodeScalars.count)
                tokens.append(Token(kind: .op(op), loc: tokLoc))
            }
        }
    }

    private mutating func number() throws -> Token.Kind {
        var text = ""
        var isFloat = false
        while let d = peek(), ("0"..."9").contains(d) || d == "_" { if d != "_" { text.unicodeScalars.append(d) }; advance() }
        if peek() == ".", let d = peek(1), ("0"..."9").contains(d) {
            isFloat = true
            text += "."
            advance()
            while let d = peek(), ("0"..."9").contains(d) || d == "_" { if d != "_" { text.unicodeScalars.append(d) }; advance() }
        }
        if let e = peek(), e == "e" || e == "E" {
            var k = 1
            if let s = peek(1), s == "+" || s == "-" { k = 2 }
            if let d = peek(k), ("0"..."9").contains(d) {
                isFloat = true
                text += "e"
                if k == 2 { text.unicodeScalars.append(peek(1)!) }
                advance(k)
                while let d = peek(), ("0"..."9").contains(d) { text.unicodeScalars.append(d); advance() }
            }
        }
        if isFloat {
            guard let v = Double(text) else { throw error("bad number \(text)") }
            return .float(v)
        }
        guard let v = Int(text) else { throw error("integer \(text) out of range") }
        return .int(v)
    }

    /// Python string-literal escapes (\n, \t, \xHH, \uHHHH, …); an unknown escape keeps its backslash.
    private mutating func stringLiteral(quote: Unicode.Scalar) throws -> String {
        let start = here
        advance()
        var out = String.UnicodeScalarView()
        while let c = peek() {
            advance()
            if c == quote { return String(out) }
            guard c == "\\", let e = peek() else { out.append(c); continue }
            advance()
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "0": out.append("\0")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "\\", "'", "\"": out.append(e)
            case "\n": break
            case "x", "u", "U":
                let width = e == "x" ? 2 : (e == "u" ? 4 : 8)
                var hex = ""
                for _ in 0..<width { if let h = peek(), h.properties.isASCIIHexDigit { hex.unicodeScalars.append(h); advance() } }
                guard hex.count == width, let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else {
                    throw error("bad \\\(e) escape in string")
                }
                out.append(u)
            default:
                out.append("\\")
                out.append(e)
            }
        }
        throw TemplateError.syntax("unterminated string", line: start.line, column: start.column)
    }
}
