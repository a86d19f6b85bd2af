// Jinja's `is` tests.
extension Interpreter {
    func applyTest(_ name: String, _ v: TemplateValue, args: [TemplateValue], at loc: SourceLocation) throws -> Bool {
        func arg() throws -> TemplateValue {
            guard let a = args.first else { throw runtime("test '\(name)' needs an argument", loc) }
            return a
        }
        switch name {
        case "defined": if case .undefined = v { return false }; return true
        case "undefined": if case .undefined = v { return true }; return false
        case "none": return v.isNone
        case "boolean": if case .bool = v { return true }; return false
        case "true": if case .bool(true) = v { return true }; return false
        case "false": if case .bool(false) = v { return true }; return false
        case "integer": if case .int = v { return true }; return false
        case "float": if case .double = v { return true }; return false
        case "number": return v.isNumeric
        case "string": if case .string = v { return true }; return false
        case "mapping":
            switch v { case .dictionary, .namespace: return true; default: return false }
        case "iterable":
            switch v { case .array, .dictionary, .string, .undefined: return true; default: return false }
        case "sequence":
            switch v { case .array, .dictionary, .string: return true; default: return false }
        case "callable": if case .callable = v { return true }; return false
        case "even", "odd":
            guard let i = Self.intIndex(v) else { throw runtime("test '\(name)' needs an integer", loc) }
            return (i % 2 == 0) == (name == "even")
        case "divisibleby":
            guard let i = Self.intIndex(v), let d = Self.intIndex(try arg()), d != 0 else {
                throw runtime("divisibleby needs non-zero integers", loc)
            }
            // Int.min % -1 traps in Swift; every integer is divisible by -1.
            return d == -1 || i % d == 0
        case "eq", "equalto", "==": return v.pyEquals(try arg())
        case "ne", "!=": return !v.pyEquals(try arg())
        case "lt", "lessthan", "<": return try ordering(v, try arg(), at: loc) < 0
        case "le", "<=": return try ordering(v, try arg(), at: loc) <= 0
        case "gt", "greaterthan", ">": return try ordering(v, try arg(), at: loc) > 0
        case "ge", ">=": return try ordering(v, try arg(), at: loc) >= 0
        case "in": return try contains(try arg(), v, at: loc)
        case "sameas":
            let other = try arg()
            switch (v, other) {
            case (.none, .none), (.undefined, .undefined): return true
            case let (.bool(a), .bool(b)): return a == b
            case let (.namespace(a), .namespace(b)): return a === b
            case let (.callable(a), .callable(b)): return a === b
            default: return false
            }
        case "lower": if case let .string(s) = v { return s == s.lowercased() }; return false
        case "upper": if case let .string(s) = v { return s == s.uppercased() }; return false
        default:
            throw forbidden("no test named '\(name)'", loc)
        }
    }
}
