import Collections

// MARK: - JSON in: request bodies become template values with their key order kept

extension TemplateValue {
    /// Parses JSON text into a value, keeping object key order (Foundation's decoders do not, and
    /// `tojson` of a tool schema must print keys as the client sent them).
    public init(json text: String) throws {
        var parser = JSONReader(scalars: Array(text.unicodeScalars))
        self = try parser.document()
    }
}

private struct JSONReader {
    let scalars: [Unicode.Scalar]
    var i = 0
    var depth = 0

    init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    func fail(_ message: String) -> TemplateError { .invalidFile("invalid JSON at offset \(i): \(message)") }

    mutating func document() throws -> TemplateValue {
        let v = try value()
        skipSpace()
        guard i == scalars.count else { throw fail("trailing characters") }
        return v
    }

    mutating func skipSpace() {
        while i < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[i]) { i += 1 }
    }

    mutating func value() throws -> TemplateValue {
        skipSpace()
        guard i < scalars.count else { throw fail("unexpected end") }
        switch scalars[i] {
        case "{": return try object()
        case "[": return try array()
        case "\"": return .string(try string())
        case "t": try literal("true"); return .bool(true)
        case "f": try literal("false"); return .bool(false)
        case "n": try literal("null"); return .none
        default: return try number()
        }
    }

    mutating func literal(_ word: String) throws {
        for u in word.unicodeScalars {
            guard i < scalars.count, scalars[i] == u else { throw fail("expected \(word)") }
            i += 1
        }
    }

    mutating func nest() throws {
        depth += 1
        // Bounded so hostile input cannot exhaust the stack.
        guard depth <= 256 else { throw fail("nesting deeper than 256") }
    }

    mutating func object() throws -> TemplateValue {
        try nest()
        defer { depth -= 1 }
        i += 1
        var d = OrderedDictionary<String, TemplateValue>()
        skipSpace()
        if i < scalars.count, scalars[i] == "}" { i += 1; return .dictionary(d) }
        while true {
            skipSpace()
            guard i < scalars.count, scalars[i] == "\"" else { throw fail("expected key") }
            let k = try string()
            skipSpace()
            guard i < scalars.count, scalars[i] == ":" else { throw fail("expected ':'") }
            i += 1
            d[k] = try value()
            skipSpace()
            guard i < scalars.count else { throw fail("unexpected end") }
            if scalars[i] == "," { i += 1; continue }
            if scalars[i] == "}" { i += 1; return .dictionary(d) }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func array() throws -> TemplateValue {
        try nest()
        defer { depth -= 1 }
        i += 1
        var a: [TemplateValue] = []
        skipSpace()
        if i < scalars.count, scalars[i] == "]" { i += 1; return .array(a) }
        while true {
            a.append(try value())
            skipSpace()
            guard i < scalars.count else { throw fail("unexpected end") }
            if scalars[i] == "," { i += 1; continue }
            if scalars[i] == "]" { i += 1; return .array(a) }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= scalars.count, let v = UInt32(String(String.UnicodeScalarView(scalars[i..<i + 4])), radix: 16)
        else { throw fail("bad \\u escape") }
        i += 4
        return v
    }

    mutating func string() throws -> String {
        i += 1
        var out = String.UnicodeScalarView()
        while i < scalars.count {
            let c = scalars[i]
            i += 1
            if c == "\"" { return String(out) }
            guard c == "\\" else { out.append(c); continue }
            guard i < scalars.count else { break }
            let e = scalars[i]
            i += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "u":
                var v = try hex4()
                if (0xD800..<0xDC00).contains(v), i + 6 <= scalars.count, scalars[i] == "\\", scalars[i + 1] == "u" {
                    i += 2
                    let low = try hex4()
                    v = 0x10000 + ((v - 0xD800) << 10) + (low &- 0xDC00)
                }
                out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            default: out.append(e)
            }
        }
        throw fail("unterminated string")
    }

    mutating func number() throws -> TemplateValue {
        let start = i
        var isFloat = false
        while i < scalars.count, "+-0123456789.eE".unicodeScalars.contains(scalars[i]) {
            if [".", "e", "E"].contains(scalars[i]) { isFloat = true }
            i += 1
        }
        let text = String(String.UnicodeScalarView(scalars[start..<i]))
        if !isFloat, let n = Int(text) { return .int(n) }
        guard let d = Double(text) else { throw fail("bad number '\(text)'") }
        return .double(d)
    }
}

// MARK: - JSON out: `tojson` as Hugging Face defines it (Python json.dumps, ensure_ascii=False)

extension TemplateValue {
    /// Python `json.dumps(self, ensure_ascii=False, indent:, separators:, sort_keys:)`. Without an indent
    /// the separators default to (", ", ": "); with one, to (",", ": ").
    func toJSON(indent: String?, itemSeparator: String? = nil, keySeparator: String? = nil,
                sortKeys: Bool = false) throws -> String {
        var out = ""
        let item = itemSeparator ?? (indent == nil ? ", " : ",")
        let key = keySeparator ?? ": "
        try writeJSON(into: &out, indent: indent, level: 0, item: item, key: key, sortKeys: sortKeys)
        return out
    }

    private func writeJSON(into out: inout String, indent: String?, level: Int, item: String, key: String,
                           sortKeys: Bool) throws {
        guard level < 256 else { throw JSONDumpError.tooDeep }
        switch self {
        case .none: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(n): out += String(n)
        case let .double(d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else {
                out += Self.pyFloat(d)
            }
        case let .string(s): Self.writeJSONString(s, into: &out)
        case let .array(a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (n, v) in a.enumerated() {
                if n > 0 { out += item }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                try v.writeJSON(into: &out, indent: indent, level: level + 1, item: item, key: key, sortKeys: sortKeys)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case .dictionary, .namespace:
            var pairs: [(String, TemplateValue)]
            if case let .dictionary(d) = self { pairs = d.map { ($0.key, $0.value) } } else if case let .namespace(n) = self {
                pairs = n.attributes.map { ($0.key, $0.value) }
            } else { pairs = [] }
            if pairs.isEmpty { out += "{}"; return }
            if sortKeys { pairs.sort { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) } }
            out += "{"
            for (n, (k, v)) in pairs.enumerated() {
                if n > 0 { out += item }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                // Python's json.dumps writes integer keys as strings.
                Self.writeJSONString(Self.keyValue(k).pyStr, into: &out)
                out += key
                try v.writeJSON(into: &out, indent: indent, level: level + 1, item: item, key: key, sortKeys: sortKeys)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        case .undefined: throw JSONDumpError.notSerializable("Undefined")
        case let .callable(c): throw JSONDumpError.notSerializable("function \(c.name)")
        }
    }

    static func writeJSONString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 { out += "\\u" + hex(u.value, width: 4) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }
}

enum JSONDumpError: Error {
    case tooDeep
    case notSerializable(String)
}
