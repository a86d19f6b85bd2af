/// Finds where a JSON text first goes wrong, for 400 messages. Foundation's decoder on Linux reports
/// only "not valid JSON" without a position, so this scanner is run on bodies the decoder rejected.
///
/// It checks syntax only (RFC 8259 grammar) and stops at the first problem.
struct JSONSyntaxLocator {
    /// A syntax problem: 1-based line and column (in bytes) and what was expected there.
    struct Problem: Equatable {
        var line: Int
        var column: Int
        var message: String

        var description: String { "\(message) at line \(line), column \(column)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    /// Nesting limit, so a hostile body cannot exhaust the stack.
    private static let maxDepth = 512

    /// The first problem in `bytes`, or nil when they are syntactically valid JSON.
    static func firstProblem(in bytes: [UInt8]) -> Problem? {
        var scanner = JSONSyntaxLocator(bytes: bytes)
        do throws(Problem) {
            scanner.skipWhitespace()
            try scanner.value(depth: 0)
            scanner.skipWhitespace()
            if scanner.index < bytes.count { throw scanner.problem("unexpected data after the JSON value") }
            return nil
        } catch {
            return error
        }
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func value(depth: Int) throws(Problem) {
        guard depth < Self.maxDepth else { throw problem("nesting deeper than \(Self.maxDepth) levels") }
        guard index < bytes.count else { throw problem("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw problem("unexpected character \(describe(bytes[index])), expected a value")
        }
    }

    private mutating func object(depth: Int) throws(Problem) {
        index += 1
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { index += 1; return }
        while true {
            guard peek(UInt8(ascii: "\"")) else { throw problem(expecting: "a string key") }
            try string()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw problem(expecting: "':'") }
            index += 1
            skipWhitespace()
            try value(depth: depth + 1)
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; skipWhitespace(); continue }
            if peek(UInt8(ascii: "}")) { index += 1; return }
            throw problem(expecting: "',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws(Problem) {
        index += 1
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { index += 1; return }
        while true {
            try value(depth: depth + 1)
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; skipWhitespace(); continue }
            if peek(UInt8(ascii: "]")) { index += 1; return }
            throw problem(expecting: "',' or ']'")
        }
    }

    private mutating func string() throws(Problem) {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "u"):
                    for _ in 0..<4 {
                        index += 1
                        guard index < bytes.count, isHexDigit(bytes[index]) else {
                            throw problem("invalid \\u escape in string")
                        }
                    }
                    index += 1
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                default:
                    throw problem("invalid escape \\\(describeBare(bytes[index])) in string")
                }
            case 0..<0x20:
                throw problem("unescaped control character in string")
            default:
                index += 1
            }
        }
        throw problem("unterminated string")
    }

    private mutating func number() throws(Problem) {
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw problem(expecting: "a digit") }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw problem(expecting: "a digit after '.'") }
            skipDigits()
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw problem(expecting: "an exponent digit") }
            skipDigits()
        }
    }

    private mutating func literal(_ word: String) throws(Problem) {
        for expected in word.utf8 {
            guard index < bytes.count, bytes[index] == expected else {
                throw problem("invalid literal, expected '\(word)'")
            }
            index += 1
        }
    }

    // MARK: - Helpers

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }
    private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }

    private func problem(expecting what: String) -> Problem {
        guard index < bytes.count else { return problem("unexpected end of input, expected \(what)") }
        return problem("unexpected character \(describe(bytes[index])), expected \(what)")
    }

    private func problem(_ message: String) -> Problem {
        var line = 1
        var lineStart = 0
        for position in 0..<min(index, bytes.count) where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return Problem(line: line, column: index - lineStart + 1, message: message)
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private func describeBare(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(Character(Unicode.Scalar(byte))) : "0x\(String(byte, radix: 16))"
    }
}

extension JSONSyntaxLocator.Problem: Error {}
