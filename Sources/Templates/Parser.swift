/// Turns tokens into statements. Nesting (of blocks and of expressions) is bounded so that a hostile
/// template cannot overflow the stack while parsing or, later, while being evaluated.
struct Parser {
    var tokens: [Token]
    var index = 0
    var depth = 0
    let maxDepth: Int

    init(tokens: [Token], maxDepth: Int) {
        self.tokens = tokens
        self.maxDepth = maxDepth
    }

    static func parse(_ source: String, maxDepth: Int) throws -> [Stmt] {
        var parser = Parser(tokens: try Lexer.tokenize(source), maxDepth: maxDepth)
        let (body, end) = try parser.statements(until: [])
        if let end { throw parser.syntax("unexpected '\(end)'", at: parser.current.loc) }
        return body
    }

    // MARK: - Token helpers

    var current: Token { tokens[index] }

    func syntax(_ message: String, at loc: SourceLocation) -> TemplateError {
        .syntax(message, line: loc.line, column: loc.column)
    }

    mutating func next() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func isOp(_ op: String) -> Bool { current.kind == .op(op) }
    func isName(_ name: String) -> Bool { current.kind == .name(name) }

    mutating func skipOp(_ op: String) -> Bool {
        if isOp(op) { index += 1; return true }
        return false
    }

    mutating func skipName(_ name: String) -> Bool {
        if isName(name) { index += 1; return true }
        return false
    }

    mutating func expectOp(_ op: String) throws {
        guard skipOp(op) else { throw syntax("expected '\(op)', found \(describe(current))", at: current.loc) }
    }

    mutating func expectName() throws -> String {
        guard case let .name(n) = current.kind else {
            throw syntax("expected a name, found \(describe(current))", at: current.loc)
        }
        index += 1
        return n
    }

    mutating func expectBlockEnd() throws {
        guard current.kind == .blockEnd else {
            throw syntax("expected end of block tag, found \(describe(current))", at: current.loc)
        }
        index += 1
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case let .text(s): return "text '\(s.prefix(20))'"
        case .variableBegin: return "'{{'"
        case .variableEnd: return "'}}'"
        case .blockBegin: return "'{%'"
        case .blockEnd: return "'%}'"
        case let .name(n): return "'\(n)'"
        case let .string(s): return "string '\(s.prefix(20))'"
        case let .int(i): return "\(i)"
        case let .float(f): return "\(f)"
        case let .op(o): return "'\(o)'"
        case .eof: return "end of template"
        }
    }

    mutating func enter(_ loc: SourceLocation) throws {
        depth += 1
        guard depth <= maxDepth else {
            throw TemplateError.limitExceeded("nesting deeper than \(maxDepth)", line: loc.line, column: loc.column)
        }
    }

    // MARK: - Statements

    /// Parses statements until a block tag whose keyword is in `ends`; returns that keyword (consumed,
    /// its tag still open) or nil at end of input.
    mutating func statements(until ends: Set<String>) throws -> ([Stmt], String?) {
        var body: [Stmt] = []
        while true {
            let t = current
            switch t.kind {
            case .eof:
                if !ends.isEmpty {
                    throw syntax("unexpected end of template, expected one of: \(ends.sorted().joined(separator: ", "))", at: t.loc)
                }
                return (body, nil)
            case let .text(s):
                index += 1
                body.append(Stmt(kind: .text(s), loc: t.loc))
            case .variableBegin:
                index += 1
                let e = try expression()
                guard current.kind == .variableEnd else { throw syntax("expected '}}', found \(describe(current))", at: current.loc) }
                index += 1
                body.append(Stmt(kind: .output(e), loc: t.loc))
            case .blockBegin:
                index += 1
                guard case let .name(keyword) = current.kind else {
                    throw syntax("expected a statement keyword, found \(describe(current))", at: current.loc)
                }
                if ends.contains(keyword) {
                    index += 1
                    return (body, keyword)
                }
                body.append(try statement(keyword, at: t.loc))
            default:
                throw syntax("unexpected \(describe(t))", at: t.loc)
            }
        }
    }

    mutating func statement(_ keyword: String, at loc: SourceLocation) throws -> Stmt {
        try enter(loc)
        defer { depth -= 1 }
        let keywordLoc = current.loc
        index += 1
        switch keyword {
        case "if": return try ifStatement(at: loc)
        case "for": return try forStatement(at: loc)
        case "set": return try setStatement(at: loc)
        case "macro": return try macroStatement(at: loc)
        case "call": return try callStatement(at: loc)
        case "filter":
            let filters = try filterChain(first: true)
            try expectBlockEnd()
            let (body, _) = try statements(until: ["endfilter"])
            try expectBlockEnd()
            return Stmt(kind: .filterBlock(filters: filters, body: body), loc: loc)
        case "break", "continue":
            try expectBlockEnd()
            return Stmt(kind: keyword == "break" ? .breakLoop : .continueLoop, loc: loc)
        case "generation":
            try expectBlockEnd()
            let (body, _) = try statements(until: ["endgeneration"])
            try expectBlockEnd()
            return Stmt(kind: .generation(body), loc: loc)
        case "include", "import", "from", "extends", "block":
            throw TemplateError.forbidden("'\(keyword)' is not available: templates cannot load other templates",
                                          line: keywordLoc.line, column: keywordLoc.column)
        case "elif", "else", "endif", "endfor", "endset", "endmacro", "endcall", "endfilter", "endraw", "endgeneration":
            throw syntax("unexpected '\(keyword)'", at: keywordLoc)
        default:
            throw syntax("unknown statement '\(keyword)'", at: keywordLoc)
        }
    }

    mutating func ifStatement(at loc: SourceLocation) throws -> Stmt {
        var branches: [(Expr, [Stmt])] = []
        var condition = try expression()
        while true {
            try expectBlockEnd()
            let (body, end) = try statements(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            switch end {
            case "elif":
                condition = try expression()
            case "else":
                try expectBlockEnd()
                let (otherwise, _) = try statements(until: ["endif"])
                try expectBlockEnd()
                return Stmt(kind: .ifChain(branches, otherwise: otherwise), loc: loc)
            default:
                try expectBlockEnd()
                return Stmt(kind: .ifChain(branches, otherwise: []), loc: loc)
            }
        }
    }

    mutating func forStatement(at loc: SourceLocation) throws -> Stmt {
        var targets = [try expectName()]
        while skipOp(",") { targets.append(try expectName()) }
        guard skipName("in") else { throw syntax("expected 'in' in for loop", at: current.loc) }
        let iterable = try expression(allowConditional: false)
        var condition: Expr?
        if skipName("if") { condition = try expression(allowConditional: false) }
        if skipName("recursive") {
            throw TemplateError.forbidden("recursive loops are not supported", line: loc.line, column: loc.column)
        }
        try expectBlockEnd()
        let (body, end) = try statements(until: ["else", "endfor"])
        var otherwise: [Stmt] = []
        try expectBlockEnd()
        if end == "else" {
            (otherwise, _) = try statements(until: ["endfor"])
            try expectBlockEnd()
        }
        return Stmt(kind: .forLoop(targets: targets, iterable: iterable, condition: condition, body: body,
                                   otherwise: otherwise), loc: loc)
    }

    mutating func setStatement(at loc: SourceLocation) throws -> Stmt {
        let first = try expectName()
        let target: SetTarget
        if skipOp(".") {
            target = .attribute(first, try expectName())
        } else {
            var names = [first]
            while skipOp(",") { names.append(try expectName()) }
            target = .names(names)
        }
        if skipOp("=") {
            let value = try tupleOrExpression()
            try expectBlockEnd()
            return Stmt(kind: .set(target, value), loc: loc)
        }
        let filters = isOp("|") ? try filterChain(first: false) : []
        try expectBlockEnd()
        let (body, _) = try statements(until: ["endset"])
        try expectBlockEnd()
        return Stmt(kind: .setBlock(target, body: body, filters: filters), loc: loc)
    }

    mutating func parameters() throws -> [(String, Expr?)] {
        var params: [(String, Expr?)] = []
        try expectOp("(")
        while !isOp(")") {
            let name = try expectName()
            params.append((name, skipOp("=") ? try expression() : nil))
            if !skipOp(",") { break }
        }
        try expectOp(")")
        return params
    }

    mutating func macroStatement(at loc: SourceLocation) throws -> Stmt {
        let name = try expectName()
        let params = try parameters()
        try expectBlockEnd()
        let (body, _) = try statements(until: ["endmacro"])
        if case .name = current.kind { index += 1 }
        try expectBlockEnd()
        return Stmt(kind: .macro(MacroSignature(name: name, params: params), body: body), loc: loc)
    }

    mutating func callStatement(at loc: SourceLocation) throws -> Stmt {
        let params = isOp("(") ? try parameters() : []
        let call = try expression()
        guard case .call = call.kind else { throw syntax("expected a macro call after 'call'", at: call.loc) }
        try expectBlockEnd()
        let (body, _) = try statements(until: ["endcall"])
        try expectBlockEnd()
        return Stmt(kind: .callBlock(call: call, params: params, body: body), loc: loc)
    }

    /// `name(args) | name …` after `{% filter` or `{% set x |`.
    mutating func filterChain(first: Bool) throws -> [(String, [Expr], [(String, Expr)])] {
        var chain: [(String, [Expr], [(String, Expr)])] = []
        var needPipe = !first
        while true {
            if needPipe { guard skipOp("|") else { break } }
            needPipe = true
            let name = try expectName()
            var args: [Expr] = []
            var kwargs: [(String, Expr)] = []
            if isOp("(") { (args, kwargs) = try callArguments() }
            chain.append((name, args, kwargs))
        }
        return chain
    }
}
