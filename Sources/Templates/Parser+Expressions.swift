// Expression grammar, lowest precedence first, as Jinja defines it: conditional, or, and, not,
// comparisons, + -, ~, * / // %, **, unary - +, then primaries with postfix access, filters and tests.
extension Parser {
    mutating func expression(allowConditional: Bool = true) throws -> Expr {
        let loc = current.loc
        try enter(loc)
        defer { depth -= 1 }
        var node = try orExpr()
        guard allowConditional else { return node }
        while skipName("if") {
            let condition = try orExpr()
            let otherwise = skipName("else") ? try expression() : nil
            node = Expr(kind: .conditional(condition, then: node, otherwise: otherwise), loc: loc)
        }
        return node
    }

    /// `a, b` without brackets (as in `set x = a, b`) is a tuple; we model tuples as lists.
    mutating func tupleOrExpression() throws -> Expr {
        let loc = current.loc
        let first = try expression()
        guard isOp(",") else { return first }
        var items = [first]
        while skipOp(","), current.kind != .blockEnd { items.append(try expression()) }
        return Expr(kind: .list(items), loc: loc)
    }

    mutating func orExpr() throws -> Expr {
        var node = try andExpr()
        while isName("or") {
            let loc = next().loc
            node = Expr(kind: .or(node, try andExpr()), loc: loc)
        }
        return node
    }

    mutating func andExpr() throws -> Expr {
        var node = try notExpr()
        while isName("and") {
            let loc = next().loc
            node = Expr(kind: .and(node, try notExpr()), loc: loc)
        }
        return node
    }

    mutating func notExpr() throws -> Expr {
        if isName("not") {
            let loc = next().loc
            try enter(loc)
            defer { depth -= 1 }
            return Expr(kind: .not(try notExpr()), loc: loc)
        }
        return try compareExpr()
    }

    mutating func compareExpr() throws -> Expr {
        let loc = current.loc
        let first = try additive()
        var ops: [(String, Expr)] = []
        while true {
            if case let .op(o) = current.kind, ["==", "!=", "<", ">", "<=", ">="].contains(o) {
                index += 1
                ops.append((o, try additive()))
            } else if isName("in") {
                index += 1
                ops.append(("in", try additive()))
            } else if isName("not"), index + 1 < tokens.count, tokens[index + 1].kind == .name("in") {
                index += 2
                ops.append(("notin", try additive()))
            } else {
                break
            }
        }
        return ops.isEmpty ? first : Expr(kind: .compare(first, ops), loc: loc)
    }

    mutating func binaryLevel(_ ops: Set<String>, _ operand: (inout Parser) throws -> Expr) throws -> Expr {
        var node = try operand(&self)
        while case let .op(o) = current.kind, ops.contains(o) {
            let loc = next().loc
            node = Expr(kind: .binary(o, node, try operand(&self)), loc: loc)
        }
        return node
    }

    mutating func additive() throws -> Expr { try binaryLevel(["+", "-"]) { try $0.concat() } }
    mutating func concat() throws -> Expr { try binaryLevel(["~"]) { try $0.multiplicative() } }
    mutating func multiplicative() throws -> Expr { try binaryLevel(["*", "/", "//", "%"]) { try $0.power() } }
    mutating func power() throws -> Expr { try binaryLevel(["**"]) { try $0.unary(withFilter: true) } }

    mutating func unary(withFilter: Bool) throws -> Expr {
        let loc = current.loc
        var node: Expr
        if skipOp("-") {
            try enter(loc)
            defer { depth -= 1 }
            node = Expr(kind: .negate(try unary(withFilter: false)), loc: loc)
        } else if skipOp("+") {
            try enter(loc)
            defer { depth -= 1 }
            node = Expr(kind: .plus(try unary(withFilter: false)), loc: loc)
        } else {
            node = try postfix(try primary())
        }
        return withFilter ? try filterTail(node) : node
    }

    mutating func primary() throws -> Expr {
        let t = next()
        switch t.kind {
        case let .name(n):
            switch n {
            case "true", "True": return Expr(kind: .literal(.bool(true)), loc: t.loc)
            case "false", "False": return Expr(kind: .literal(.bool(false)), loc: t.loc)
            case "none", "None": return Expr(kind: .literal(.none), loc: t.loc)
            default: return Expr(kind: .name(n), loc: t.loc)
            }
        case var .string(s):
            // Adjacent string literals concatenate, as in Python.
            while case let .string(more) = current.kind { s += more; index += 1 }
            return Expr(kind: .literal(.string(s)), loc: t.loc)
        case let .int(i): return Expr(kind: .literal(.int(i)), loc: t.loc)
        case let .float(f): return Expr(kind: .literal(.double(f)), loc: t.loc)
        case .op("("):
            if skipOp(")") { return Expr(kind: .list([]), loc: t.loc) }
            let inner = try tupleOrExpressionInParens()
            try expectOp(")")
            return inner
        case .op("["):
            var items: [Expr] = []
            while !isOp("]") {
                items.append(try expression())
                if !skipOp(",") { break }
            }
            try expectOp("]")
            return Expr(kind: .list(items), loc: t.loc)
        case .op("{"):
            var pairs: [(Expr, Expr)] = []
            while !isOp("}") {
                let k = try expression()
                try expectOp(":")
                pairs.append((k, try expression()))
                if !skipOp(",") { break }
            }
            try expectOp("}")
            return Expr(kind: .dict(pairs), loc: t.loc)
        default:
            throw syntax("unexpected \(describe(t))", at: t.loc)
        }
    }

    mutating func tupleOrExpressionInParens() throws -> Expr {
        let loc = current.loc
        let first = try expression()
        guard isOp(",") else { return first }
        var items = [first]
        while skipOp(","), !isOp(")") { items.append(try expression()) }
        return Expr(kind: .list(items), loc: loc)
    }

    mutating func postfix(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if isOp(".") {
                let loc = next().loc
                switch next().kind {
                case let .name(n): node = Expr(kind: .attribute(node, n), loc: loc)
                case let .int(i): node = Expr(kind: .subscript(node, Expr(kind: .literal(.int(i)), loc: loc)), loc: loc)
                default: throw syntax("expected an attribute name after '.'", at: loc)
                }
            } else if isOp("[") {
                node = try subscriptTail(node)
            } else if isOp("(") {
                let loc = current.loc
                let (args, kwargs) = try callArguments()
                node = Expr(kind: .call(node, args: args, kwargs: kwargs), loc: loc)
            } else {
                return node
            }
        }
    }

    mutating func subscriptTail(_ target: Expr) throws -> Expr {
        let loc = next().loc
        var parts: [Expr?] = [nil]
        var isSlice = false
        if !isOp(":") { parts[0] = try expression() }
        while skipOp(":") {
            isSlice = true
            parts.append(isOp(":") || isOp("]") ? nil : try expression())
        }
        try expectOp("]")
        guard isSlice else { return Expr(kind: .subscript(target, parts[0]!), loc: loc) }
        guard parts.count <= 3 else { throw syntax("too many ':' in slice", at: loc) }
        return Expr(kind: .slice(target, start: parts[0], stop: parts.count > 1 ? parts[1] : nil,
                                 step: parts.count > 2 ? parts[2] : nil), loc: loc)
    }

    mutating func callArguments() throws -> ([Expr], [(String, Expr)]) {
        try expectOp("(")
        var args: [Expr] = []
        var kwargs: [(String, Expr)] = []
        while !isOp(")") {
            if case let .name(n) = current.kind, index + 1 < tokens.count, tokens[index + 1].kind == .op("=") {
                index += 2
                kwargs.append((n, try expression()))
            } else {
                if !kwargs.isEmpty { throw syntax("positional argument after keyword argument", at: current.loc) }
                args.append(try expression())
            }
            if !skipOp(",") { break }
        }
        try expectOp(")")
        return (args, kwargs)
    }

    mutating func filterTail(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if isOp("|") {
                let loc = next().loc
                let name = try expectName()
                var args: [Expr] = []
                var kwargs: [(String, Expr)] = []
                if isOp("(") { (args, kwargs) = try callArguments() }
                node = Expr(kind: .filter(node, name: name, args: args, kwargs: kwargs), loc: loc)
            } else if isName("is") {
                let loc = next().loc
                let negated = skipName("not")
                let name = try expectName()
                var args: [Expr] = []
                if isOp("(") {
                    (args, _) = try callArguments()
                } else if startsPrimaryArgument {
                    args = [try postfix(try primary())]
                }
                node = Expr(kind: .test(node, name: name, args: args, negated: negated), loc: loc)
            } else if isOp("(") {
                let loc = current.loc
                let (args, kwargs) = try callArguments()
                node = Expr(kind: .call(node, args: args, kwargs: kwargs), loc: loc)
            } else {
                return node
            }
        }
    }

    /// Jinja lets a test take one bare argument (`x is divisibleby 3`), except the keywords that
    /// continue the surrounding expression.
    var startsPrimaryArgument: Bool {
        switch current.kind {
        case let .name(n): return !["else", "or", "and"].contains(n)
        case .string, .int, .float, .op("["), .op("{"): return true
        default: return false
        }
    }
}
