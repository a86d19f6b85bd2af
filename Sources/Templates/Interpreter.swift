import Collections

/// The bounds every render runs under. A template from a downloaded model is untrusted code: each of
/// these turns a runaway template into a `TemplateError.limitExceeded` instead of a hang or a crash.
public struct SandboxLimits: Sendable, Equatable {
    /// Largest rendered output, and largest single string or list a template may build (bytes/items).
    public var maxOutputBytes: Int
    /// Statements executed plus loop iterations, summed over the whole render.
    public var maxSteps: Int
    /// Macro (and caller) calls active at once.
    public var maxCallDepth: Int
    /// Nesting of blocks and expressions in the source; bounds the parser's and evaluator's recursion.
    public var maxNesting: Int
    /// Longest list `range()` may produce.
    public var maxRangeLength: Int
    /// Statements and expressions being evaluated inside one another at run time (macro calls
    /// multiply the source nesting), so evaluation never runs out of stack.
    public var maxEvaluationDepth: Int
    /// Wall-clock budget for one render, in seconds: the backstop for templates whose every step is
    /// within bounds but expensive (e.g. thousands of passes over a multi-megabyte string).
    public var maxSeconds: Double

    /// Limits with generous defaults for chat templates: a 50-message conversation uses well under 1% of each.
    public init(maxOutputBytes: Int = 4 << 20, maxSteps: Int = 2_000_000, maxCallDepth: Int = 32,
                maxNesting: Int = 64, maxRangeLength: Int = 100_000, maxEvaluationDepth: Int = 400,
                maxSeconds: Double = 2) {
        self.maxOutputBytes = maxOutputBytes
        self.maxSteps = maxSteps
        self.maxCallDepth = maxCallDepth
        self.maxNesting = maxNesting
        self.maxRangeLength = maxRangeLength
        self.maxEvaluationDepth = maxEvaluationDepth
        self.maxSeconds = maxSeconds
    }

    /// The defaults above.
    public static let `default` = SandboxLimits()
}

/// A variable frame. Loop iterations and macro calls open a new one, so a `set` inside them stays local
/// (that is why templates use `namespace()`), while `if` shares its parent's frame as in Jinja.
final class Scope {
    var vars: [String: TemplateValue] = [:]
    let parent: Scope?
    init(parent: Scope?) { self.parent = parent }

    func lookup(_ name: String) -> TemplateValue? {
        var s: Scope? = self
        while let cur = s {
            if let v = cur.vars[name] { return v }
            s = cur.parent
        }
        return nil
    }
}

/// Walks the statement tree of one render. Created per render, never shared between threads.
final class Interpreter {
    enum Flow { case normal, breakLoop, continueLoop }

    let limits: SandboxLimits
    var buffer = ""
    var bytesEmitted = 0
    var steps = 0
    var callDepth = 0
    var evaluationDepth = 0
    var scope: Scope
    /// Where the statement being run starts, for errors raised from inside filters and globals.
    var loc = SourceLocation(line: 1, column: 1)
    let now: @Sendable () -> Double
    private let started = ContinuousClock.now

    init(context: [String: TemplateValue], limits: SandboxLimits, now: @escaping @Sendable () -> Double) {
        self.limits = limits
        self.now = now
        let globals = Scope(parent: nil)
        globals.vars = Self.builtinGlobals
        scope = Scope(parent: globals)
        for (k, v) in context { scope.vars[k] = v }
    }

    // MARK: - Errors

    func runtime(_ message: String, _ at: SourceLocation? = nil) -> TemplateError {
        let l = at ?? loc
        return .runtime(message, line: l.line, column: l.column)
    }

    func limit(_ message: String, _ at: SourceLocation? = nil) -> TemplateError {
        let l = at ?? loc
        return .limitExceeded(message, line: l.line, column: l.column)
    }

    func forbidden(_ message: String, _ at: SourceLocation? = nil) -> TemplateError {
        let l = at ?? loc
        return .forbidden(message, line: l.line, column: l.column)
    }

    func step() throws {
        steps += 1
        if steps > limits.maxSteps { throw limit("more than \(limits.maxSteps) steps") }
        // Reading the clock costs more than a cheap step, so it is sampled here and read on every
        // expensive operation (checkSize, checkSearch) instead.
        if steps & 255 == 0 { try checkClock() }
    }

    func checkClock() throws {
        if ContinuousClock.now - started > .milliseconds(Int(limits.maxSeconds * 1000)) {
            throw limit("render took longer than \(limits.maxSeconds) s")
        }
    }

    /// Substring search is O(text × pattern) in the worst case; refuse inputs where that could take seconds.
    func checkSearch(_ text: String, _ pattern: String) throws {
        let cost = text.utf8.count.multipliedReportingOverflow(by: max(1, pattern.utf8.count))
        if cost.overflow || cost.partialValue > 200_000_000 { throw limit("substring search over too large an input") }
        if text.utf8.count > 1 << 14 { try checkClock() }
    }

    /// Every string or list a template builds goes through here, so no single value can outgrow the output bound.
    func checkSize(_ count: Int) throws {
        if count > limits.maxOutputBytes { throw limit("value larger than \(limits.maxOutputBytes)") }
        if count > 1 << 14 { try checkClock() }
    }

    /// `parts` joined by `separator`, refused before it is built when it would exceed the size bound
    /// (`[s] * n | join` can describe terabytes in a few bytes of template).
    func checkedJoin(_ parts: [String], separator: String) throws -> String {
        var total = max(0, parts.count - 1) * separator.utf8.count
        for part in parts {
            total += part.utf8.count
            try checkSize(total)
        }
        return parts.joined(separator: separator)
    }

    /// Python `str.replace`, refused before the result is built when it would exceed the size bound.
    func checkedReplace(_ s: String, _ old: String, _ new: String, count: Int) throws -> String {
        try checkSearch(s, old)
        if old.isEmpty {
            let inserts = count < 0 ? s.unicodeScalars.count + 1 : min(count, s.unicodeScalars.count + 1)
            let (grown, overflow) = inserts.multipliedReportingOverflow(by: new.utf8.count)
            guard !overflow else { throw limit("value larger than \(limits.maxOutputBytes)") }
            try checkSize(s.utf8.count + grown)
            return Strings.interleave(s, new, count: count)
        }
        return try checkedJoin(Strings.split(s, sep: old, maxsplit: count), separator: new)
    }

    func emit(_ s: String) throws {
        bytesEmitted += s.utf8.count
        if bytesEmitted > limits.maxOutputBytes { throw limit("output larger than \(limits.maxOutputBytes) bytes") }
        buffer += s
    }

    /// Runs `body` with output captured into a fresh buffer and returns what it wrote.
    func capture(_ body: () throws -> Void) rethrows -> String {
        let saved = buffer
        buffer = ""
        defer { buffer = saved }
        try body()
        return buffer
    }

    // MARK: - Statements

    func run(_ statements: [Stmt]) throws -> String {
        _ = try execute(statements)
        return buffer
    }

    func execute(_ statements: [Stmt]) throws -> Flow {
        for s in statements {
            let flow = try execute(s)
            if flow != .normal { return flow }
        }
        return .normal
    }

    func enter(_ at: SourceLocation) throws {
        evaluationDepth += 1
        if evaluationDepth > limits.maxEvaluationDepth {
            evaluationDepth -= 1
            throw limit("evaluation nested deeper than \(limits.maxEvaluationDepth)", at)
        }
    }

    func execute(_ s: Stmt) throws -> Flow {
        try step()
        try enter(s.loc)
        defer { evaluationDepth -= 1 }
        loc = s.loc
        switch s.kind {
        case let .text(t):
            try emit(t)
        case let .output(e):
            let v = try eval(e)
            if case .callable = v { throw runtime("cannot print a function", e.loc) }
            try emit(v.pyStr)
        case let .ifChain(branches, otherwise):
            for (condition, body) in branches where try eval(condition).isTruthy {
                return try execute(body)
            }
            return try execute(otherwise)
        case let .forLoop(targets, iterable, condition, body, otherwise):
            return try forLoop(targets: targets, iterable: iterable, condition: condition, body: body, otherwise: otherwise)
        case let .set(target, e):
            try assign(target, try eval(e), at: s.loc)
        case let .setBlock(target, body, filters):
            var value = TemplateValue.string(try capture { _ = try execute(body) })
            for (name, args, kwargs) in filters {
                value = try applyFilter(name, value, args: args.map(eval), kwargs: kwargs.map { ($0.0, try eval($0.1)) }, at: s.loc)
            }
            try assign(target, value, at: s.loc)
        case let .macro(signature, body):
            scope.vars[signature.name] = makeMacro(signature, body: body, closure: scope)
        case let .callBlock(call, params, body):
            let caller = makeMacro(MacroSignature(name: "caller", params: params), body: body, closure: scope)
            guard case let .call(callee, args, kwargs) = call.kind else { return .normal }
            let f = try eval(callee)
            var kw = try kwargs.map { ($0.0, try eval($0.1)) }
            kw.append(("caller", caller))
            let result = try invoke(f, args: try args.map(eval), kwargs: kw, at: call.loc)
            try emit(result.pyStr)
        case let .filterBlock(filters, body):
            var value = TemplateValue.string(try capture { _ = try execute(body) })
            for (name, args, kwargs) in filters {
                value = try applyFilter(name, value, args: args.map(eval), kwargs: kwargs.map { ($0.0, try eval($0.1)) }, at: s.loc)
            }
            try emit(value.pyStr)
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case let .generation(body):
            return try execute(body)
        }
        return .normal
    }

    /// Values that outlive one expression pass through `set`, so nesting is bounded here: a loop of
    /// `set ns.x = [ns.x]` would otherwise build a value whose deallocation recurses past the stack.
    /// The walk's cost is charged to the step budget.
    private func checkNesting(_ value: TemplateValue, at loc: SourceLocation) throws {
        var visited = 0
        func depth(_ v: TemplateValue, _ level: Int) -> Int {
            visited += 1
            // Namespaces can form cycles; the visit budget ends the walk on those.
            if level > TemplateValue.maxWalkDepth || visited > limits.maxSteps { return level }
            switch v {
            case let .array(a): return a.reduce(level) { max($0, depth($1, level + 1)) }
            case let .dictionary(d): return d.values.reduce(level) { max($0, depth($1, level + 1)) }
            case let .namespace(n): return n.attributes.values.reduce(level) { max($0, depth($1, level + 1)) }
            default: return level
            }
        }
        switch value {
        case .array, .dictionary, .namespace: break
        default: return
        }
        let d = depth(value, 0)
        steps += visited
        if steps > limits.maxSteps { throw limit("more than \(limits.maxSteps) steps", loc) }
        if d > TemplateValue.maxWalkDepth { throw limit("value nested deeper than \(TemplateValue.maxWalkDepth)", loc) }
    }

    func assign(_ target: SetTarget, _ value: TemplateValue, at loc: SourceLocation) throws {
        try checkNesting(value, at: loc)
        switch target {
        case let .names(names):
            if names.count == 1 {
                scope.vars[names[0]] = value
                return
            }
            let items = try iterate(value, at: loc)
            guard items.count == names.count else {
                throw runtime("cannot unpack \(items.count) values into \(names.count) names", loc)
            }
            for (n, v) in zip(names, items) { scope.vars[n] = v }
        case let .attribute(object, attribute):
            guard case let .namespace(ns) = scope.lookup(object) ?? .undefined else {
                throw runtime("cannot assign attribute on '\(object)': only namespace objects support it", loc)
            }
            if attribute.hasPrefix("_") { throw forbidden("attribute '\(attribute)' is not accessible", loc) }
            ns.attributes[attribute] = value
        }
    }

    func forLoop(targets: [String], iterable: Expr, condition: Expr?, body: [Stmt], otherwise: [Stmt]) throws -> Flow {
        let source = try eval(iterable)
        var items = try iterate(source, at: iterable.loc)
        let outer = scope
        scope = Scope(parent: outer)
        defer { scope = outer }
        if let condition {
            var kept: [TemplateValue] = []
            for item in items {
                try step()
                try bind(targets, item, at: iterable.loc)
                if try eval(condition).isTruthy { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            scope = outer
            return try execute(otherwise)
        }
        let count = items.count
        for (i, item) in items.enumerated() {
            try step()
            // Each iteration starts from the enclosing frame: Jinja does not carry a `set` from one
            // iteration into the next.
            scope = Scope(parent: outer)
            try bind(targets, item, at: iterable.loc)
            scope.vars["loop"] = loopObject(index: i, count: count, items: items)
            if try execute(body) == .breakLoop { break }
        }
        return .normal
    }

    private func bind(_ targets: [String], _ item: TemplateValue, at loc: SourceLocation) throws {
        if targets.count == 1 {
            scope.vars[targets[0]] = item
            return
        }
        let parts = try iterate(item, at: loc)
        guard parts.count == targets.count else {
            throw runtime("cannot unpack \(parts.count) values into \(targets.count) loop variables", loc)
        }
        for (n, v) in zip(targets, parts) { scope.vars[n] = v }
    }

    private func loopObject(index i: Int, count: Int, items: [TemplateValue]) -> TemplateValue {
        var d = OrderedDictionary<String, TemplateValue>(minimumCapacity: 12)
        d["index"] = .int(i + 1)
        d["index0"] = .int(i)
        d["revindex"] = .int(count - i)
        d["revindex0"] = .int(count - i - 1)
        d["first"] = .bool(i == 0)
        d["last"] = .bool(i == count - 1)
        d["length"] = .int(count)
        d["depth"] = .int(1)
        d["depth0"] = .int(0)
        d["previtem"] = i > 0 ? items[i - 1] : .undefined
        d["nextitem"] = i + 1 < count ? items[i + 1] : .undefined
        d["cycle"] = .callable(Callable(name: "cycle") { interp, args, _ in
            guard !args.isEmpty else { throw interp.runtime("loop.cycle needs at least one argument") }
            return args[i % args.count]
        })
        return .dictionary(d)
    }

    /// The items a `for` walks: list elements, dict keys, string characters.
    func iterate(_ value: TemplateValue, at loc: SourceLocation) throws -> [TemplateValue] {
        switch value {
        case let .array(a): return a
        case let .dictionary(d): return d.keys.map(TemplateValue.keyValue)
        case let .string(s): return s.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        default: throw runtime("'\(value.typeName)' object is not iterable", loc)
        }
    }

    // MARK: - Macros

    func makeMacro(_ signature: MacroSignature, body: [Stmt], closure: Scope) -> TemplateValue {
        .callable(Callable(name: signature.name) { interp, args, kwargs in
            try interp.callMacro(signature, body: body, closure: closure, args: args, kwargs: kwargs)
        })
    }

    private func callMacro(_ signature: MacroSignature, body: [Stmt], closure: Scope,
                           args: [TemplateValue], kwargs: [(String, TemplateValue)]) throws -> TemplateValue {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > limits.maxCallDepth { throw limit("macro calls nested deeper than \(limits.maxCallDepth)") }
        let frame = Scope(parent: closure)
        var extraKwargs = OrderedDictionary<String, TemplateValue>()
        for (k, v) in kwargs where k != "caller" && !signature.params.contains(where: { $0.0 == k }) { extraKwargs[k] = v }
        let savedScope = scope
        scope = frame
        defer { scope = savedScope }
        for (i, (name, defaultValue)) in signature.params.enumerated() {
            if i < args.count {
                frame.vars[name] = args[i]
            } else if let kw = kwargs.first(where: { $0.0 == name }) {
                frame.vars[name] = kw.1
            } else if let defaultValue {
                frame.vars[name] = try eval(defaultValue)
            } else {
                frame.vars[name] = .undefined
            }
        }
        frame.vars["varargs"] = .array(args.count > signature.params.count ? Array(args[signature.params.count...]) : [])
        frame.vars["kwargs"] = .dictionary(extraKwargs)
        if let caller = kwargs.first(where: { $0.0 == "caller" }) { frame.vars["caller"] = caller.1 }
        let savedLoc = loc
        defer { loc = savedLoc }
        return .string(try capture { _ = try execute(body) })
    }
}
