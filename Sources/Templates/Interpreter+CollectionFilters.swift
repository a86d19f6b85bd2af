import Collections

// Filters over sequences: map, select/reject(attr), unique, sort, dictsort.
extension Interpreter {
    func collectionFilter(_ name: String, _ value: TemplateValue, _ a: Args, at loc: SourceLocation) throws -> TemplateValue {
        // Jinja's map/select family yields nothing for a falsy input (`none | selectattr(…)` is empty).
        if ["map", "select", "reject", "selectattr", "rejectattr"].contains(name), !value.isTruthy { return .array([]) }
        if case let .array(items) = value, items.count > 1 << 14 { try checkClock() }
        switch name {
        case "map":
            let items = try iterate(value, at: loc)
            if let attr = a.keywords.first(where: { $0.0 == "attribute" })?.1 {
                let fallback = a.keywords.first { $0.0 == "default" }?.1
                return .array(try items.map { item in
                    let v = try path(of: item, attr)
                    if case .undefined = v, let fallback { return fallback }
                    return v
                })
            }
            guard case let .string(filterName)? = a.positional.first else { throw runtime("map needs a filter name or attribute=") }
            let rest = Array(a.positional.dropFirst())
            return .array(try items.map { try applyFilter(filterName, $0, args: rest, kwargs: a.keywords, at: loc) })
        case "select", "reject":
            let wanted = name == "select"
            let items = try iterate(value, at: loc)
            return .array(try items.filter { try passes($0, a.positional, at: loc) == wanted })
        case "selectattr", "rejectattr":
            let wanted = name == "selectattr"
            guard let attr = a.positional.first else { throw runtime("\(name) needs an attribute name") }
            let testArgs = Array(a.positional.dropFirst())
            return .array(try iterate(value, at: loc).filter { try passes(try path(of: $0, attr), testArgs, at: loc) == wanted })
        case "unique":
            let caseSensitive = try a.bool(0, "case_sensitive", false)
            // Hashed by a type-tagged rendering (numbers by value, so 1 and 1.0 collide as in Python),
            // keeping this linear where a pairwise scan would be quadratic on large lists.
            var seen = Set<String>()
            var out: [TemplateValue] = []
            for item in try iterate(value, at: loc) {
                var key = a.has(1, "attribute") ? try path(of: item, try a.value(1, "attribute")) : item
                if !caseSensitive, case let .string(s) = key { key = .string(s.lowercased()) }
                let tag: String
                switch key {
                case let .string(s): tag = "s" + s
                default: tag = key.number.map { "n" + TemplateValue.pyFloat($0) } ?? "r" + key.pyRepr
                }
                if seen.insert(tag).inserted { out.append(item) }
            }
            return .array(out)
        case "sort":
            let reverse = try a.bool(0, "reverse", false)
            let caseSensitive = try a.bool(1, "case_sensitive", false)
            let keyed = try iterate(value, at: loc).map { item -> (TemplateValue, TemplateValue) in
                var key = a.has(2, "attribute") ? try path(of: item, try a.value(2, "attribute")) : item
                if !caseSensitive, case let .string(s) = key { key = .string(s.lowercased()) }
                return (item, key)
            }
            return .array(try stableSort(keyed, reverse: reverse).map(\.0))
        case "dictsort":
            guard case let .dictionary(d) = value else { throw runtime("dictsort needs a mapping") }
            let caseSensitive = try a.bool(0, "case_sensitive", false)
            let byValue = try a.string(1, "by", "key") == "value"
            let reverse = try a.bool(2, "reverse", false)
            let keyed = d.map { pair -> (TemplateValue, TemplateValue) in
                var key = byValue ? pair.value : TemplateValue.keyValue(pair.key)
                if !caseSensitive, case let .string(s) = key { key = .string(s.lowercased()) }
                return (.array([TemplateValue.keyValue(pair.key), pair.value]), key)
            }
            return .array(try stableSort(keyed, reverse: reverse).map(\.0))
        case "batch":
            let size = try a.int(0, "linecount")
            guard size > 0 else { throw runtime("batch size must be positive") }
            try checkSize(size)
            let items = try iterate(value, at: loc)
            var out: [TemplateValue] = []
            var i = 0
            while i < items.count {
                var chunk = Array(items[i..<min(i + size, items.count)])
                if chunk.count < size, a.has(1, "fill_with") {
                    chunk += Array(repeating: try a.value(1, "fill_with"), count: size - chunk.count)
                }
                out.append(.array(chunk))
                i += size
            }
            return .array(out)
        default:
            throw forbidden("no filter named '\(name)'", loc)
        }
    }

    /// Python's sort is stable; a merge-friendly insertion into Swift's stable `sorted(by:)` keeps ties in order.
    private func stableSort(_ keyed: [(TemplateValue, TemplateValue)], reverse: Bool) throws -> [(TemplateValue, TemplateValue)] {
        var failure: TemplateError?
        let sorted = keyed.enumerated().sorted { x, y in
            do {
                let c = try ordering(x.element.1, y.element.1, at: loc)
                if c == 0 { return x.offset < y.offset }
                return reverse ? c > 0 : c < 0
            } catch {
                failure = error as? TemplateError
                return false
            }
        }
        if let failure { throw failure }
        return sorted.map(\.element)
    }

    /// `select`'s rule: no test name means truthiness; otherwise the named test with extra arguments.
    private func passes(_ v: TemplateValue, _ testArgs: [TemplateValue], at loc: SourceLocation) throws -> Bool {
        guard let first = testArgs.first else { return v.isTruthy }
        guard case let .string(testName) = first else { throw runtime("test name must be a string") }
        return try applyTest(testName, v, args: Array(testArgs.dropFirst()), at: loc)
    }

    /// Attribute lookup by a dotted path (`"function.name"`) or an integer index, as `map`/`selectattr` do.
    func path(of value: TemplateValue, _ attr: TemplateValue) throws -> TemplateValue {
        if let i = Self.intIndex(attr) { return try item(of: value, .int(i), at: loc) }
        guard case let .string(p) = attr else { throw runtime("attribute must be a string") }
        var v = value
        for part in p.split(separator: ".", omittingEmptySubsequences: false) {
            if case .undefined = v { return .undefined }
            if let i = Int(part) {
                v = try item(of: v, .int(i), at: loc)
            } else {
                v = try item(of: v, .string(String(part)), at: loc)
            }
        }
        return v
    }
}
