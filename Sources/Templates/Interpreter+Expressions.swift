import Collections

extension Interpreter {
    func eval(_ e: Expr) throws -> TemplateValue {
        try enter(e.loc)
        defer { evaluationDepth -= 1 }
        switch e.kind {
        case let .literal(v): return v
        case let .name(n): return scope.lookup(n) ?? .undefined
        case let .list(items):
            return .array(try items.map(eval))
        case let .dict(pairs):
            var d = OrderedDictionary<String, TemplateValue>()
            for (k, v) in pairs {
                let key = try eval(k)
                guard let ks = TemplateValue.dictKey(key) else { throw runtime("unsupported dict key type \(key.typeName)", k.loc) }
                d[ks] = try eval(v)
            }
            return .dictionary(d)
        case let .attribute(target, name):
            return try attribute(of: try eval(target), name, at: e.loc)
        case let .subscript(target, index):
            return try item(of: try eval(target), try eval(index), at: e.loc)
        case let .slice(target, start, stop, stepExpr):
            let value = try eval(target)
            return try slice(value, start: try start.map(eval), stop: try stop.map(eval), step: try stepExpr.map(eval), at: e.loc)
        case let .call(callee, args, kwargs):
            let f = try eval(callee)
            return try invoke(f, args: try args.map(eval), kwargs: try kwargs.map { ($0.0, try eval($0.1)) }, at: e.loc)
        case let .filter(target, name, args, kwargs):
            // `default` must see an undefined value without it raising, so the target is evaluated plainly.
            let value = try eval(target)
            return try applyFilter(name, value, args: try args.map(eval), kwargs: try kwargs.map { ($0.0, try eval($0.1)) }, at: e.loc)
        case let .test(target, name, args, negated):
            let result = try applyTest(name, try eval(target), args: try args.map(eval), at: e.loc)
            return .bool(negated ? !result : result)
        case let .negate(inner):
            switch try eval(inner) {
            case let .int(i):
                let (negated, overflow) = 0.subtractingReportingOverflow(i)
                guard !overflow else { throw runtime("integer overflow", e.loc) }
                return .int(negated)
            case let .double(d): return .double(-d)
            case let .bool(b): return .int(b ? -1 : 0)
            case let v: throw runtime("bad operand type for unary -: '\(v.typeName)'", e.loc)
            }
        case let .plus(inner):
            let v = try eval(inner)
            guard v.isNumeric else { throw runtime("bad operand type for unary +: '\(v.typeName)'", e.loc) }
            return v
        case let .not(inner):
            return .bool(!(try eval(inner).isTruthy))
        case let .and(l, r):
            let lv = try eval(l)
            return lv.isTruthy ? try eval(r) : lv
        case let .or(l, r):
            let lv = try eval(l)
            return lv.isTruthy ? lv : try eval(r)
        case let .binary(op, l, r):
            return try binary(op, try eval(l), try eval(r), at: e.loc)
        case let .compare(first, rest):
            var left = try eval(first)
            for (op, rightExpr) in rest {
                let right = try eval(rightExpr)
                guard try compare(op, left, right, at: rightExpr.loc) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case let .conditional(condition, then, otherwise):
            if try eval(condition).isTruthy { return try eval(then) }
            return try otherwise.map(eval) ?? .undefined
        }
    }

    // MARK: - Access

    func attribute(of value: TemplateValue, _ name: String, at loc: SourceLocation) throws -> TemplateValue {
        // The sandbox's core rule: nothing private or magic is reachable, so no path leads to host objects.
        if name.hasPrefix("_") { throw forbidden("access to attribute '\(name)' is not allowed", loc) }
        switch value {
        case .undefined:
            throw runtime("cannot read attribute '\(name)' of an undefined value", loc)
        case let .dictionary(d):
            if let m = method(of: value, name) { return m }
            return d[name] ?? .undefined
        case let .namespace(ns):
            return ns.attributes[name] ?? .undefined
        default:
            return method(of: value, name) ?? .undefined
        }
    }

    func item(of value: TemplateValue, _ index: TemplateValue, at loc: SourceLocation) throws -> TemplateValue {
        // A string subscript on anything but a mapping is an attribute lookup in Jinja: same rule as `.name`.
        if case let .string(k) = index, k.hasPrefix("_") {
            switch value {
            case .dictionary, .namespace, .undefined: break
            default: throw forbidden("access to attribute '\(k)' is not allowed", loc)
            }
        }
        switch (value, index) {
        case (.undefined, _):
            throw runtime("cannot subscript an undefined value", loc)
        case let (.dictionary(d), .string(k)):
            return d[k] ?? method(of: value, k) ?? .undefined
        case let (.dictionary(d), .int(i)):
            return d[TemplateValue.intKeyPrefix + String(i)] ?? .undefined
        case let (.namespace(ns), .string(k)):
            return ns.attributes[k] ?? .undefined
        case let (.array(a), _):
            guard let i = Self.intIndex(index) else { return .undefined }
            let j = i < 0 ? i + a.count : i
            return (0..<a.count).contains(j) ? a[j] : .undefined
        case let (.string(s), _):
            guard let i = Self.intIndex(index) else { return .undefined }
            let scalars = s.unicodeScalars
            let count = scalars.count
            let j = i < 0 ? i + count : i
            guard (0..<count).contains(j) else { return .undefined }
            return .string(String(scalars[scalars.index(scalars.startIndex, offsetBy: j)]))
        case let (_, .string(k)):
            return method(of: value, k) ?? .undefined
        default:
            return .undefined
        }
    }

    static func intIndex(_ v: TemplateValue) -> Int? {
        switch v {
        case let .int(i): return i
        case let .bool(b): return b ? 1 : 0
        default: return nil
        }
    }

    func slice(_ value: TemplateValue, start: TemplateValue?, stop: TemplateValue?, step: TemplateValue?,
               at loc: SourceLocation) throws -> TemplateValue {
        func bound(_ v: TemplateValue?) throws -> Int? {
            guard let v, !(v.isNone) else { return nil }
            guard let i = Self.intIndex(v) else { throw runtime("slice indices must be integers", loc) }
            return i
        }
        let stepValue = try bound(step) ?? 1
        guard stepValue != 0 else { throw runtime("slice step cannot be zero", loc) }
        func indices(_ count: Int) throws -> [Int] {
            var lo = try bound(start)
            var hi = try bound(stop)
            if stepValue > 0 {
                lo = lo.map { $0 < 0 ? max(0, $0 + count) : min($0, count) } ?? 0
                hi = hi.map { $0 < 0 ? max(0, $0 + count) : min($0, count) } ?? count
                return lo! < hi! ? Array(stride(from: lo!, to: hi!, by: stepValue)) : []
            }
            lo = lo.map { $0 < 0 ? max(-1, $0 + count) : min($0, count - 1) } ?? count - 1
            hi = hi.map { $0 < 0 ? max(-1, $0 + count) : min($0, count - 1) } ?? -1
            return lo! > hi! ? Array(stride(from: lo!, to: hi!, by: stepValue)) : []
        }
        switch value {
        case let .array(a):
            return .array(try indices(a.count).map { a[$0] })
        case let .string(s):
            let scalars = Array(s.unicodeScalars)
            var out = String.UnicodeScalarView()
            for i in try indices(scalars.count) { out.append(scalars[i]) }
            return .string(String(out))
        case .undefined:
            throw runtime("cannot slice an undefined value", loc)
        default:
            throw runtime("'\(value.typeName)' object is not subscriptable", loc)
        }
    }

    func invoke(_ f: TemplateValue, args: [TemplateValue], kwargs: [(String, TemplateValue)],
                at loc: SourceLocation) throws -> TemplateValue {
        guard case let .callable(c) = f else {
            if case .undefined = f { throw runtime("called an undefined value", loc) }
            throw runtime("'\(f.typeName)' object is not callable", loc)
        }
        let saved = self.loc
        self.loc = loc
        defer { self.loc = saved }
        return try c.body(self, args, kwargs)
    }
}

extension TemplateValue {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}
