import Collections

/// A value inside a template: the JSON-like data a caller passes in, plus the few runtime-only kinds
/// the interpreter creates (namespaces, macros and built-in functions). Dictionaries keep insertion
/// order because `tojson` and `items()` must print keys in the order the request had them.
public enum TemplateValue: Sendable {
    /// Jinja's `Undefined`: a missing variable, key or attribute. Prints as "", is falsy.
    case undefined
    /// Python's `None` (JSON `null`).
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([TemplateValue])
    case dictionary(OrderedDictionary<String, TemplateValue>)
    /// A `namespace()` object: the one mutable value, so `set ns.x = …` inside loops is visible outside.
    case namespace(Namespace)
    /// A macro, a caller block or a built-in global such as `range`.
    case callable(Callable)

    /// Builds a dictionary value from key/value pairs, keeping their order (later duplicates win).
    public static func object(_ pairs: [(String, TemplateValue)]) -> TemplateValue {
        var d = OrderedDictionary<String, TemplateValue>()
        for (k, v) in pairs { d[k] = v }
        return .dictionary(d)
    }
}

/// The storage of a `namespace()`; mutated only by the render that created it, on one thread.
public final class Namespace: @unchecked Sendable {
    var attributes: OrderedDictionary<String, TemplateValue>
    init(_ attributes: OrderedDictionary<String, TemplateValue>) { self.attributes = attributes }
}

/// A callable value. Built-ins and macros share one calling convention: positional and keyword arguments.
public final class Callable: @unchecked Sendable {
    let name: String
    let body: (_ interpreter: Interpreter, _ args: [TemplateValue], _ kwargs: [(String, TemplateValue)]) throws -> TemplateValue
    init(name: String,
         _ body: @escaping (Interpreter, [TemplateValue], [(String, TemplateValue)]) throws -> TemplateValue) {
        self.name = name
        self.body = body
    }
}

// MARK: - Literals, so callers and tests can write contexts naturally

/// Literal syntax (`["role": "user", "content": "hi"]`, `nil` for `None`) for building contexts in code.
extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .none }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        var d = OrderedDictionary<String, TemplateValue>()
        for (k, v) in elements { d[k] = v }
        self = .dictionary(d)
    }
}

// MARK: - Python semantics: truth, equality, str() and repr()

extension TemplateValue {
    /// Python truthiness.
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case let .bool(b): return b
        case let .int(i): return i != 0
        case let .double(d): return d != 0
        case let .string(s): return !s.isEmpty
        case let .array(a): return !a.isEmpty
        case let .dictionary(d): return !d.isEmpty
        case .namespace, .callable: return true
        }
    }

    /// The numeric value of ints, floats and bools (a bool is an int in Python).
    var number: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        case let .bool(b): return b ? 1 : 0
        default: return nil
        }
    }

    var isNumeric: Bool { number != nil }

    /// How deep printing and comparing descend into nested lists and dicts. Templates can build
    /// arbitrarily deep values (`set ns.x = [ns.x]` in a loop); past this depth the walk stops instead
    /// of exhausting the stack.
    static let maxWalkDepth = 200

    /// Python `==`, with int/float/bool comparing by value.
    func pyEquals(_ other: TemplateValue, depth: Int = 0) -> Bool {
        if depth > Self.maxWalkDepth { return false }
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.pyEquals($1, depth: depth + 1) }
        case let (.dictionary(a), .dictionary(b)):
            guard a.count == b.count else { return false }
            for (k, v) in a {
                guard let w = b[k], v.pyEquals(w, depth: depth + 1) else { return false }
            }
            return true
        case let (.namespace(a), .namespace(b)): return a === b
        case let (.callable(a), .callable(b)): return a === b
        case let (.int(a), .int(b)): return a == b
        default:
            if let x = number, let y = other.number { return x == y }
            return false
        }
    }

    /// Python `str()`; this is what `{{ value }}` prints.
    var pyStr: String {
        switch self {
        case .undefined: return ""
        case let .string(s): return s
        default: return pyRepr
        }
    }

    /// Python `repr()`, used for values nested inside printed lists and dicts.
    var pyRepr: String { repr(depth: 0) }

    private func repr(depth: Int) -> String {
        if depth > Self.maxWalkDepth { return "[...]" }
        switch self {
        case .undefined: return ""
        case .none: return "None"
        case let .bool(b): return b ? "True" : "False"
        case let .int(i): return String(i)
        case let .double(d): return Self.pyFloat(d)
        case let .string(s): return Self.pyReprString(s)
        case let .array(a): return "[" + a.map { $0.repr(depth: depth + 1) }.joined(separator: ", ") + "]"
        case let .dictionary(d):
            return "{" + d.map { Self.keyValue($0.key).pyRepr + ": " + $0.value.repr(depth: depth + 1) }.joined(separator: ", ") + "}"
        case let .namespace(n):
            return "<Namespace " + n.attributes.map { "\($0.key)=\($0.value.repr(depth: depth + 1))" }.joined(separator: ", ") + ">"
        case let .callable(c): return "<function \(c.name)>"
        }
    }

    /// Python's float repr: shortest round-trip digits, always with a dot or exponent.
    static func pyFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        // Swift's description is also shortest round-trip and switches to exponent form at the same
        // magnitudes (below 1e-4, from 1e16 up), printing the exponent with at least two digits like Python.
        return d.description
    }

    static func pyReprString(_ s: String) -> String {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        var out = String(quote)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(u) == quote {
                    out += "\\" + String(quote)
                } else if u.value < 0x20 || u.value == 0x7F {
                    out += "\\x" + hex(u.value, width: 2)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.append(quote)
        return out
    }

    static func hex(_ v: UInt32, width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Dictionaries store string keys. Templates also write integer keys (`{0: 0, 512: 128}`), which
    /// are stored behind this prefix (a Unicode noncharacter) so they stay distinct from strings and
    /// come back out as integers.
    static let intKeyPrefix = "\u{10FFFE}"

    /// The storage key for a dictionary key value, or nil for kinds that cannot be keys here.
    static func dictKey(_ v: TemplateValue) -> String? {
        switch v {
        case let .string(s): return s
        case let .int(i): return intKeyPrefix + String(i)
        default: return nil
        }
    }

    /// The template value of a stored dictionary key.
    static func keyValue(_ k: String) -> TemplateValue {
        if k.hasPrefix(intKeyPrefix), let i = Int(k.dropFirst(intKeyPrefix.count)) { return .int(i) }
        return .string(k)
    }

    /// The Python type name, for error messages.
    var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .dictionary: return "dict"
        case .namespace: return "Namespace"
        case .callable: return "function"
        }
    }
}
