import Foundation

// Python semantics for arithmetic and comparison, with overflow and size checked instead of trapping.
extension Interpreter {
    func binary(_ op: String, _ l: TemplateValue, _ r: TemplateValue, at loc: SourceLocation) throws -> TemplateValue {
        if op == "~" {
            let s = l.pyStr + r.pyStr
            try checkSize(s.utf8.count)
            return .string(s)
        }
        switch (op, l, r) {
        case let ("+", .string(a), .string(b)):
            try checkSize(a.utf8.count + b.utf8.count)
            return .string(a + b)
        case let ("+", .array(a), .array(b)):
            try checkSize(a.count + b.count)
            return .array(a + b)
        case let ("*", .string(s), n), let ("*", n, .string(s)):
            guard let k = Self.intIndex(n) else { break }
            try checkSize(repeatedSize(s.utf8.count, k))
            return .string(String(repeating: s, count: max(0, k)))
        case let ("*", .array(a), n), let ("*", n, .array(a)):
            guard let k = Self.intIndex(n) else { break }
            try checkSize(repeatedSize(a.count, k))
            var out: [TemplateValue] = []
            for _ in 0..<max(0, k) { out += a }
            return .array(out)
        case let ("%", .string(format), args):
            return .string(try percentFormat(format, args, at: loc))
        default:
            break
        }
        if let a = Self.intIndex(l), let b = Self.intIndex(r), !isDouble(l), !isDouble(r) {
            return try intOp(op, a, b, at: loc)
        }
        guard let a = l.number, let b = r.number else {
            throw runtime("unsupported operand types for \(op): '\(l.typeName)' and '\(r.typeName)'", loc)
        }
        switch op {
        case "+": return .double(a + b)
        case "-": return .double(a - b)
        case "*": return .double(a * b)
        case "/":
            guard b != 0 else { throw runtime("division by zero", loc) }
            return .double(a / b)
        case "//":
            guard b != 0 else { throw runtime("division by zero", loc) }
            return .double((a / b).rounded(.down))
        case "%":
            guard b != 0 else { throw runtime("modulo by zero", loc) }
            let m = fmod(a, b)
            return .double(m != 0 && (m < 0) != (b < 0) ? m + b : m)
        case "**": return .double(pow(a, b))
        default: throw runtime("unknown operator \(op)", loc)
        }
    }

    /// `count * times` for sequence repetition, saturating instead of overflowing.
    private func repeatedSize(_ count: Int, _ times: Int) -> Int {
        let r = count.multipliedReportingOverflow(by: max(0, times))
        return r.overflow ? Int.max : r.partialValue
    }

    private func isDouble(_ v: TemplateValue) -> Bool {
        if case .double = v { return true }
        return false
    }

    private func intOp(_ op: String, _ a: Int, _ b: Int, at loc: SourceLocation) throws -> TemplateValue {
        func checked(_ r: (partialValue: Int, overflow: Bool)) throws -> TemplateValue {
            guard !r.overflow else { throw runtime("integer overflow", loc) }
            return .int(r.partialValue)
        }
        switch op {
        case "+": return try checked(a.addingReportingOverflow(b))
        case "-": return try checked(a.subtractingReportingOverflow(b))
        case "*": return try checked(a.multipliedReportingOverflow(by: b))
        case "/":
            guard b != 0 else { throw runtime("division by zero", loc) }
            return .double(Double(a) / Double(b))
        case "//", "%":
            guard b != 0 else { throw runtime(op == "%" ? "modulo by zero" : "division by zero", loc) }
            guard !(a == Int.min && b == -1) else { throw runtime("integer overflow", loc) }
            var q = a / b
            var m = a % b
            if m != 0, (m < 0) != (b < 0) { q -= 1; m += b }
            return .int(op == "//" ? q : m)
        case "**":
            if b < 0 { return .double(pow(Double(a), Double(b))) }
            var result = 1
            for _ in 0..<min(b, 64) {
                let r = result.multipliedReportingOverflow(by: a)
                guard !r.overflow else { throw runtime("integer overflow", loc) }
                result = r.partialValue
            }
            if b > 64, a != 0, a != 1, a != -1 { throw runtime("integer overflow", loc) }
            if b > 64, a == -1 { result = b % 2 == 0 ? 1 : -1 }
            return .int(result)
        default: throw runtime("unknown operator \(op)", loc)
        }
    }

    /// Python `%`-formatting for `%s`, `%d`, `%r`, `%%` (the forms chat templates use).
    private func percentFormat(_ format: String, _ args: TemplateValue, at loc: SourceLocation) throws -> String {
        var values: [TemplateValue]
        if case let .array(a) = args { values = a } else { values = [args] }
        var out = ""
        var it = format.makeIterator()
        while let c = it.next() {
            guard c == "%" else { out.append(c); continue }
            guard let spec = it.next() else { throw runtime("incomplete format", loc) }
            if spec == "%" { out += "%"; continue }
            guard !values.isEmpty else { throw runtime("not enough arguments for format string", loc) }
            let v = values.removeFirst()
            switch spec {
            case "s": out += v.pyStr
            case "r": out += v.pyRepr
            case "d", "i":
                if case let .int(i) = v { out += String(i); continue }
                guard let n = v.number, n.isFinite, abs(n) < 9.2e18 else {
                    throw runtime("%d format: a finite number within 64 bits is required", loc)
                }
                out += String(Int(n))
            default: throw runtime("unsupported format character '\(spec)'", loc)
            }
        }
        try checkSize(out.utf8.count)
        return out
    }

    func compare(_ op: String, _ l: TemplateValue, _ r: TemplateValue, at loc: SourceLocation) throws -> Bool {
        switch op {
        case "==": return l.pyEquals(r)
        case "!=": return !l.pyEquals(r)
        case "in": return try contains(r, l, at: loc)
        case "notin": return try !contains(r, l, at: loc)
        default: break
        }
        let order = try ordering(l, r, at: loc)
        switch op {
        case "<": return order < 0
        case ">": return order > 0
        case "<=": return order <= 0
        default: return order >= 0
        }
    }

    func ordering(_ l: TemplateValue, _ r: TemplateValue, at loc: SourceLocation, depth: Int = 0) throws -> Int {
        if depth > TemplateValue.maxWalkDepth { throw limit("comparison nested deeper than \(TemplateValue.maxWalkDepth)", loc) }
        switch (l, r) {
        case let (.string(a), .string(b)):
            if a == b { return 0 }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1
        case let (.array(a), .array(b)):
            for (x, y) in zip(a, b) {
                let c = try ordering(x, y, at: loc, depth: depth + 1)
                if c != 0 { return c }
            }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        default:
            if case let .int(a) = l, case let .int(b) = r { return a == b ? 0 : (a < b ? -1 : 1) }
            guard let a = l.number, let b = r.number else {
                throw runtime("cannot compare '\(l.typeName)' with '\(r.typeName)'", loc)
            }
            return a == b ? 0 : (a < b ? -1 : 1)
        }
    }

    func contains(_ container: TemplateValue, _ element: TemplateValue, at loc: SourceLocation) throws -> Bool {
        switch container {
        case let .string(s):
            guard case let .string(e) = element else {
                throw runtime("'in <string>' requires string as left operand, not \(element.typeName)", loc)
            }
            return e.isEmpty || s.contains(e)
        case let .array(a):
            if a.count > 1 << 14 { try checkClock() }
            return a.contains { $0.pyEquals(element) }
        case let .dictionary(d):
            guard let k = TemplateValue.dictKey(element) else { return false }
            return d[k] != nil
        case let .namespace(ns):
            guard case let .string(k) = element else { return false }
            return ns.attributes[k] != nil
        case .undefined:
            // Jinja's Undefined iterates as empty, so nothing is in it.
            return false
        default:
            throw runtime("argument of type '\(container.typeName)' is not iterable", loc)
        }
    }
}
