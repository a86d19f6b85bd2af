import Collections
import Foundation

// The filters chat templates use, with Jinja's argument names and defaults. `tojson` follows Hugging
// Face's override: Python json.dumps with ensure_ascii=False and no HTML escaping.
extension Interpreter {
    func applyFilter(_ name: String, _ value: TemplateValue, args positional: [TemplateValue],
                     kwargs: [(String, TemplateValue)], at loc: SourceLocation) throws -> TemplateValue {
        let saved = self.loc
        self.loc = loc
        defer { self.loc = saved }
        let a = Args(self, name, positional, kwargs)
        switch name {
        case "default", "d":
            let useDefault = try a.bool(1, "boolean", false) ? !value.isTruthy : { if case .undefined = value { return true }; return false }()
            return useDefault ? try a.value(0, "default_value", .string("")) : value
        case "length", "count":
            switch value {
            case let .string(s): return .int(s.unicodeScalars.count)
            case let .array(x): return .int(x.count)
            case let .dictionary(d): return .int(d.count)
            case .undefined: return .int(0)
            default: throw runtime("object of type '\(value.typeName)' has no len()")
            }
        case "first": return try iterate(value, at: loc).first ?? .undefined
        case "last":
            if case .dictionary = value { throw runtime("'last' needs a sequence") }
            return try iterate(value, at: loc).last ?? .undefined
        case "join":
            var items = try iterate(value, at: loc)
            if a.has(1, "attribute") { items = try items.map { try path(of: $0, try a.value(1, "attribute")) } }
            return .string(try checkedJoin(items.map(\.pyStr), separator: try a.string(0, "d", "")))
        case "trim":
            return .string(Strings.strip(try stringValue(value), chars: try a.optionalString(0, "chars"), leading: true, trailing: true))
        case "upper": return .string(try stringValue(value).uppercased())
        case "lower": return .string(try stringValue(value).lowercased())
        case "title": return .string(Strings.jinjaTitle(try stringValue(value)))
        case "capitalize": return .string(Strings.capitalize(try stringValue(value)))
        case "replace":
            return .string(try checkedReplace(try stringValue(value), try a.string(0, "old"), try a.string(1, "new"),
                                              count: a.has(2, "count") ? try a.int(2, "count") : -1))
        case "string": return .string(value.pyStr)
        case "safe": return value
        case "escape", "e": return .string(Self.htmlEscape(value.pyStr))
        case "list":
            return .array(try iterate(value, at: loc))
        case "items":
            switch value {
            case let .dictionary(d): return .array(d.map { .array([TemplateValue.keyValue($0.key), $0.value]) })
            case .undefined: return .array([])
            default: throw runtime("items filter needs a mapping, not \(value.typeName)")
            }
        case "int": return try toInt(value, a)
        case "float": return try toFloat(value, a)
        case "abs":
            switch value {
            case let .int(i): return i == Int.min ? .double(-Double(i)) : .int(abs(i))
            case let .double(d): return .double(abs(d))
            case let .bool(b): return .int(b ? 1 : 0)
            default: throw runtime("bad operand type for abs(): '\(value.typeName)'")
            }
        case "round": return try round(value, a)
        case "tojson": return .string(try toJSON(value, a))
        case "indent": return .string(try indent(try stringValue(value), a))
        case "center":
            let s = try stringValue(value)
            let width = try a.int(0, "width", 80)
            try checkSize(width)
            let pad = max(0, width - s.unicodeScalars.count)
            let left = pad / 2 + (pad % 2 & width % 2)
            return .string(String(repeating: " ", count: left) + s + String(repeating: " ", count: pad - left))
        case "wordcount": return .int(Strings.split(try stringValue(value), sep: nil, maxsplit: -1).count)
        case "format":
            let fmt = try stringValue(value)
            return try binary("%", .string(fmt), positional.count == 1 ? positional[0] : .array(positional), at: loc)
        case "reverse":
            if case let .string(s) = value { return .string(String(s.reversed())) }
            return .array(try iterate(value, at: loc).reversed())
        case "attr":
            return try attribute(of: value, try a.string(0, "name"), at: loc)
        case "sum":
            var total = try a.value(1, "start", .int(0))
            for item in try iterate(value, at: loc) {
                let x = a.has(0, "attribute") ? try path(of: item, try a.value(0, "attribute")) : item
                total = try binary("+", total, x, at: loc)
            }
            return total
        case "min", "max": return try extreme(value, a, wantMax: name == "max")
        default:
            return try collectionFilter(name, value, a, at: loc)
        }
    }

    func stringValue(_ v: TemplateValue) throws -> String {
        if case .undefined = v { return "" }
        return v.pyStr
    }

    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    private func toInt(_ v: TemplateValue, _ a: Args) throws -> TemplateValue {
        let fallback = try a.value(0, "default", .int(0))
        switch v {
        case let .int(i): return .int(i)
        case let .bool(b): return .int(b ? 1 : 0)
        case let .double(d): return d.isFinite && abs(d) < 9.2e18 ? .int(Int(d)) : fallback
        case let .string(s):
            let t = Strings.strip(s, chars: nil, leading: true, trailing: true).replacingOccurrences(of: "_", with: "")
            if let i = Int(t) { return .int(i) }
            if let d = Double(t), d.isFinite, abs(d) < 9.2e18 { return .int(Int(d)) }
            return fallback
        default: return fallback
        }
    }

    private func toFloat(_ v: TemplateValue, _ a: Args) throws -> TemplateValue {
        let fallback = try a.value(0, "default", .double(0))
        switch v {
        case let .int(i): return .double(Double(i))
        case let .bool(b): return .double(b ? 1 : 0)
        case let .double(d): return .double(d)
        case let .string(s): return Double(Strings.strip(s, chars: nil, leading: true, trailing: true)).map { .double($0) } ?? fallback
        default: return fallback
        }
    }

    private func round(_ v: TemplateValue, _ a: Args) throws -> TemplateValue {
        guard let x = v.number else { throw runtime("round needs a number, not \(v.typeName)") }
        let precision = try a.int(0, "precision", 0)
        let method = try a.string(1, "method", "common")
        let scale = pow(10.0, Double(precision))
        let scaled = x * scale
        let r: Double
        switch method {
        case "common": r = scaled.rounded(.toNearestOrEven) // Python round(): half to even
        case "ceil": r = scaled.rounded(.up)
        case "floor": r = scaled.rounded(.down)
        default: throw runtime("round method must be common, ceil or floor")
        }
        return .double(r / scale)
    }

    private func toJSON(_ v: TemplateValue, _ a: Args) throws -> String {
        var indent: String?
        switch try a.value(0, "indent", TemplateValue.none) {
        case .none: indent = nil
        case let .int(n):
            guard n <= 64 else { throw limit("tojson indent larger than 64") }
            indent = String(repeating: " ", count: max(0, n))
        case let .string(s): indent = s
        case let other: throw runtime("tojson indent must be an int or string, not \(other.typeName)")
        }
        var itemSep: String?
        var keySep: String?
        if case let .array(seps) = try a.value(2, "separators", TemplateValue.none), seps.count == 2,
           case let .string(i) = seps[0], case let .string(k) = seps[1] {
            itemSep = i
            keySep = k
        }
        do {
            let s = try v.toJSON(indent: indent, itemSeparator: itemSep, keySeparator: keySep,
                                 sortKeys: try a.bool(3, "sort_keys", false))
            try checkSize(s.utf8.count)
            return s
        } catch JSONDumpError.tooDeep {
            throw limit("tojson nesting deeper than 256")
        } catch let JSONDumpError.notSerializable(what) {
            throw runtime("Object of type \(what) is not JSON serializable")
        }
    }

    private func indent(_ s: String, _ a: Args) throws -> String {
        let prefix: String
        switch try a.value(0, "width", .int(4)) {
        case let .string(p): prefix = p
        case let w:
            guard let n = Self.intIndex(w) else { throw runtime("indent width must be an int or string") }
            try checkSize(n)
            prefix = String(repeating: " ", count: max(0, n))
        }
        let first = try a.bool(1, "first", false)
        let blank = try a.bool(2, "blank", false)
        // Jinja appends a newline before splitting so a trailing newline is kept.
        var lines = (s + "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()
        var out = lines.isEmpty ? "" : lines[0]
        for line in lines.dropFirst() {
            out += "\n" + ((blank || !line.isEmpty) ? prefix + line : line)
            try checkSize(out.utf8.count)
        }
        if first { out = prefix + out }
        try checkSize(out.utf8.count)
        return out
    }

    private func extreme(_ v: TemplateValue, _ a: Args, wantMax: Bool) throws -> TemplateValue {
        let items = try iterate(v, at: loc)
        let caseSensitive = try a.bool(0, "case_sensitive", false)
        var best: (TemplateValue, TemplateValue)?
        for item in items {
            var key = a.has(1, "attribute") ? try path(of: item, try a.value(1, "attribute")) : item
            if !caseSensitive, case let .string(s) = key { key = .string(s.lowercased()) }
            if let b = best {
                let c = try ordering(key, b.1, at: loc)
                if wantMax ? c > 0 : c < 0 { best = (item, key) }
            } else {
                best = (item, key)
            }
        }
        return best?.0 ?? .undefined
    }
}
