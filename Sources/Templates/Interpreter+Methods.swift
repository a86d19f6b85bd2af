import Collections

// Methods templates call on values (`s.strip()`, `d.items()`, …). Only side-effect-free ones exist:
// like Jinja's ImmutableSandboxedEnvironment, mutating methods raise instead of changing the value.
extension Interpreter {
    private static let mutators: Set<String> = ["append", "extend", "insert", "pop", "remove", "sort", "reverse",
                                                "clear", "update", "setdefault", "popitem", "add", "discard"]

    func method(of value: TemplateValue, _ name: String) -> TemplateValue? {
        if Self.mutators.contains(name) {
            switch value {
            case .array, .dictionary:
                return .callable(Callable(name: name) { interp, _, _ in
                    throw interp.forbidden("'\(name)' would modify an immutable \(value.typeName)")
                })
            default: break
            }
        }
        switch value {
        case let .string(s): return stringMethod(s, name)
        case let .dictionary(d): return dictMethod(d, name)
        case let .array(a): return listMethod(a, name)
        default: return nil
        }
    }

    private func bound(_ name: String, _ f: @escaping (Interpreter, Args) throws -> TemplateValue) -> TemplateValue {
        .callable(Callable(name: name) { interp, args, kwargs in try f(interp, Args(interp, name, args, kwargs)) })
    }

    private func dictMethod(_ d: OrderedDictionary<String, TemplateValue>, _ name: String) -> TemplateValue? {
        switch name {
        case "get":
            return bound(name) { _, a in
                guard let k = TemplateValue.dictKey(try a.value(0, "key")) else { return try a.value(1, "default", TemplateValue.none) }
                return try d[k] ?? a.value(1, "default", TemplateValue.none)
            }
        case "items": return bound(name) { _, _ in .array(d.map { .array([TemplateValue.keyValue($0.key), $0.value]) }) }
        case "keys": return bound(name) { _, _ in .array(d.keys.map(TemplateValue.keyValue)) }
        case "values": return bound(name) { _, _ in .array(Array(d.values)) }
        case "copy": return bound(name) { _, _ in .dictionary(d) }
        default: return nil
        }
    }

    private func listMethod(_ list: [TemplateValue], _ name: String) -> TemplateValue? {
        switch name {
        case "index":
            return bound(name) { interp, a in
                let x = try a.value(0, "value")
                guard let i = list.firstIndex(where: { $0.pyEquals(x) }) else { throw interp.runtime("value is not in list") }
                return .int(i)
            }
        case "count":
            return bound(name) { _, a in
                let x = try a.value(0, "value")
                return .int(list.filter { $0.pyEquals(x) }.count)
            }
        case "copy": return bound(name) { _, _ in .array(list) }
        default: return nil
        }
    }

    private func stringMethod(_ s: String, _ name: String) -> TemplateValue? {
        switch name {
        case "strip", "lstrip", "rstrip":
            return bound(name) { _, a in
                let chars = try a.optionalString(0, "chars")
                return .string(Strings.strip(s, chars: chars, leading: name != "rstrip", trailing: name != "lstrip"))
            }
        case "split", "rsplit":
            return bound(name) { interp, a in
                let sep = try a.optionalString(0, "sep")
                let maxsplit = try a.int(1, "maxsplit", -1)
                if sep == "" { throw interp.runtime("empty separator") }
                if let sep { try interp.checkSearch(s, sep) }
                let parts = name == "split" ? Strings.split(s, sep: sep, maxsplit: maxsplit)
                    : Strings.rsplit(s, sep: sep, maxsplit: maxsplit)
                return .array(parts.map { .string($0) })
            }
        case "splitlines":
            return bound(name) { _, _ in
                var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if lines.last == "" { lines.removeLast() }
                return .array(lines.map { .string($0) })
            }
        case "startswith", "endswith":
            return bound(name) { _, a in
                let arg = try a.value(0, "prefix")
                let options: [TemplateValue]
                if case let .array(xs) = arg { options = xs } else { options = [arg] }
                for case let .string(p) in options where name == "startswith" ? s.unicodeScalars.starts(with: p.unicodeScalars)
                    : s.unicodeScalars.reversed().starts(with: p.unicodeScalars.reversed()) {
                    return .bool(true)
                }
                return .bool(false)
            }
        case "upper": return bound(name) { _, _ in .string(s.uppercased()) }
        case "lower": return bound(name) { _, _ in .string(s.lowercased()) }
        case "title": return bound(name) { _, _ in .string(Strings.pythonTitle(s)) }
        case "capitalize": return bound(name) { _, _ in .string(Strings.capitalize(s)) }
        case "replace":
            return bound(name) { interp, a in
                .string(try interp.checkedReplace(s, try a.string(0, "old"), try a.string(1, "new"),
                                                  count: try a.int(2, "count", -1)))
            }
        case "find", "rfind", "index", "rindex":
            return bound(name) { interp, a in
                let sub = try a.string(0, "sub")
                try interp.checkSearch(s, sub)
                let hay = Array(s.unicodeScalars)
                let needle = Array(sub.unicodeScalars)
                var found = -1
                if needle.count <= hay.count {
                    let range = Array(0...(hay.count - needle.count))
                    for i in (name.hasPrefix("r") ? range.reversed() : range) where Array(hay[i..<i + needle.count]) == needle {
                        found = i
                        break
                    }
                }
                if found < 0, name.hasSuffix("index") { throw interp.runtime("substring not found") }
                return .int(found)
            }
        case "count":
            return bound(name) { interp, a in
                let sub = try a.string(0, "sub")
                try interp.checkSearch(s, sub)
                if sub.isEmpty { return .int(s.unicodeScalars.count + 1) }
                return .int(s.components(separatedBy: sub).count - 1)
            }
        case "join":
            return bound(name) { interp, a in
                let parts = try interp.iterate(try a.value(0, "iterable"), at: interp.loc).map(\.pyStr)
                return .string(try interp.checkedJoin(parts, separator: s))
            }
        case "format":
            return bound(name) { interp, a in .string(try Strings.format(s, a.positional, a.keywords, interp)) }
        case "isdigit": return bound(name) { _, _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal }) }
        case "isalpha": return bound(name) { _, _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic }) }
        case "isspace": return bound(name) { _, _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(Strings.isSpace)) }
        case "islower": return bound(name) { _, _ in .bool(s.contains { $0.isLetter } && s == s.lowercased()) }
        case "isupper": return bound(name) { _, _ in .bool(s.contains { $0.isLetter } && s == s.uppercased()) }
        default: return nil
        }
    }
}

/// Positional and keyword arguments of a filter, method or global, read by position or name.
struct Args {
    let interp: Interpreter
    let name: String
    let positional: [TemplateValue]
    let keywords: [(String, TemplateValue)]

    init(_ interp: Interpreter, _ name: String, _ positional: [TemplateValue], _ keywords: [(String, TemplateValue)]) {
        self.interp = interp
        self.name = name
        self.positional = positional
        self.keywords = keywords
    }

    func value(_ i: Int, _ key: String, _ fallback: TemplateValue? = nil) throws -> TemplateValue {
        if i >= 0, i < positional.count { return positional[i] }
        if let kw = keywords.first(where: { $0.0 == key }) { return kw.1 }
        if let fallback { return fallback }
        throw interp.runtime("\(name)() missing argument '\(key)'")
    }

    func has(_ i: Int, _ key: String) -> Bool {
        (i >= 0 && i < positional.count) || keywords.contains { $0.0 == key }
    }

    func string(_ i: Int, _ key: String, _ fallback: String? = nil) throws -> String {
        let v = try value(i, key, fallback.map { .string($0) })
        guard case let .string(s) = v else { throw interp.runtime("\(name)(): '\(key)' must be a string, not \(v.typeName)") }
        return s
    }

    func optionalString(_ i: Int, _ key: String) throws -> String? {
        let v = try value(i, key, TemplateValue.none)
        if v.isNone { return nil }
        guard case let .string(s) = v else { throw interp.runtime("\(name)(): '\(key)' must be a string, not \(v.typeName)") }
        return s
    }

    func int(_ i: Int, _ key: String, _ fallback: Int? = nil) throws -> Int {
        let v = try value(i, key, fallback.map { .int($0) })
        if let n = Interpreter.intIndex(v) { return n }
        throw interp.runtime("\(name)(): '\(key)' must be an integer, not \(v.typeName)")
    }

    func bool(_ i: Int, _ key: String, _ fallback: Bool) throws -> Bool {
        try value(i, key, .bool(fallback)).isTruthy
    }
}
