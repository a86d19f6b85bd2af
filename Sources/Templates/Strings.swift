/// Python `str` behaviours that templates rely on, over Unicode scalars (Python indexes code points).
enum Strings {
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        u.properties.isWhitespace || (0x1C...0x1F).contains(u.value)
    }

    static func strip(_ s: String, chars: String?, leading: Bool, trailing: Bool) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let shouldStrip: (Unicode.Scalar) -> Bool = { u in set.map { $0.contains(u) } ?? isSpace(u) }
        var scalars = Substring(s).unicodeScalars[...]
        if leading { while let f = scalars.first, shouldStrip(f) { scalars.removeFirst() } }
        if trailing { while let l = scalars.last, shouldStrip(l) { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    /// `str.split(sep, maxsplit)`; with no separator, splits on runs of whitespace and drops empty parts.
    static func split(_ s: String, sep: String?, maxsplit: Int) -> [String] {
        let u = Array(s.unicodeScalars)
        var parts: [String] = []
        func str(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(u[r])) }
        guard let sep else {
            var i = 0
            while i < u.count {
                while i < u.count, isSpace(u[i]) { i += 1 }
                if i == u.count { break }
                if maxsplit >= 0, parts.count == maxsplit {
                    var end = u.count
                    while end > i, isSpace(u[end - 1]) { end -= 1 }
                    parts.append(str(i..<end))
                    break
                }
                let start = i
                while i < u.count, !isSpace(u[i]) { i += 1 }
                parts.append(str(start..<i))
            }
            return parts
        }
        let p = Array(sep.unicodeScalars)
        var start = 0
        var i = 0
        while i + p.count <= u.count {
            if maxsplit >= 0, parts.count == maxsplit { break }
            if Array(u[i..<i + p.count]) == p {
                parts.append(str(start..<i))
                i += p.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(str(start..<u.count))
        return parts
    }

    static func rsplit(_ s: String, sep: String?, maxsplit: Int) -> [String] {
        if maxsplit < 0 { return split(s, sep: sep, maxsplit: -1) }
        let rev = String(String.UnicodeScalarView(s.unicodeScalars.reversed()))
        let revSep = sep.map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }
        return split(rev, sep: revSep, maxsplit: maxsplit).reversed()
            .map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }
    }

    /// Python `s.replace('', new, count)`: `new` before every character and at the end, at most `count`
    /// times (all when negative).
    static func interleave(_ s: String, _ new: String, count: Int) -> String {
        guard count != 0 else { return s }
        var out = new
        var n = 1
        for u in s.unicodeScalars {
            out.unicodeScalars.append(u)
            if count < 0 || n < count { out += new; n += 1 }
        }
        return out
    }

    /// Python `str.title()`: a cased letter after an uncased character starts a word.
    static func pythonTitle(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for ch in s {
            let cased = ch.isLetter
            out += previousCased ? ch.lowercased() : ch.uppercased()
            previousCased = cased
        }
        return out
    }

    /// Jinja's `title` filter: words start after spaces, `-`, and opening brackets.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atStart = true
        for ch in s {
            if ch.isWhitespace || "-({[<".contains(ch) {
                out.append(ch)
                atStart = true
            } else {
                out += atStart ? ch.uppercased() : ch.lowercased()
                atStart = false
            }
        }
        return out
    }

    static func capitalize(_ s: String) -> String {
        guard let f = s.first else { return s }
        return f.uppercased() + s.dropFirst().lowercased()
    }

    /// `str.format` with `{}`, `{0}`, `{name}`, `{{`/`}}`; format specs are not supported.
    static func format(_ s: String, _ args: [TemplateValue], _ kwargs: [(String, TemplateValue)],
                       _ interp: Interpreter) throws -> String {
        var out = ""
        var auto = 0
        var it = Array(s)[...]
        while let c = it.popFirst() {
            if c == "{" {
                if it.first == "{" { it.removeFirst(); out += "{"; continue }
                var field = ""
                while let d = it.popFirst(), d != "}" { field.append(d) }
                let value: TemplateValue
                if field.isEmpty {
                    guard auto < args.count else { throw interp.runtime("format: not enough arguments") }
                    value = args[auto]
                    auto += 1
                } else if let i = Int(field) {
                    guard i < args.count else { throw interp.runtime("format: index \(i) out of range") }
                    value = args[i]
                } else if let kw = kwargs.first(where: { $0.0 == field }) {
                    value = kw.1
                } else {
                    throw interp.runtime("format: unsupported field '{\(field)}'")
                }
                out += value.pyStr
            } else if c == "}" {
                if it.first == "}" { it.removeFirst() }
                out += "}"
            } else {
                out.append(c)
            }
        }
        try interp.checkSize(out.utf8.count)
        return out
    }
}
