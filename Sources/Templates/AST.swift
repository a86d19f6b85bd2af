/// An expression node with the place in the source it came from.
struct Expr: Sendable {
    let kind: ExprKind
    let loc: SourceLocation
}

indirect enum ExprKind: Sendable {
    case literal(TemplateValue)
    case name(String)
    case list([Expr])
    case dict([(Expr, Expr)])
    case attribute(Expr, String)
    case `subscript`(Expr, Expr)
    case slice(Expr, start: Expr?, stop: Expr?, step: Expr?)
    case call(Expr, args: [Expr], kwargs: [(String, Expr)])
    case filter(Expr, name: String, args: [Expr], kwargs: [(String, Expr)])
    case test(Expr, name: String, args: [Expr], negated: Bool)
    case negate(Expr)
    case plus(Expr)
    case not(Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case binary(String, Expr, Expr)
    case compare(Expr, [(String, Expr)])
    case conditional(Expr, then: Expr, otherwise: Expr?)
}

/// Where a `set` stores: plain names (several for unpacking) or a namespace attribute.
enum SetTarget: Sendable {
    case names([String])
    case attribute(String, String)
}

/// A macro's parameter list.
struct MacroSignature: Sendable {
    let name: String
    let params: [(String, Expr?)]
}

/// A statement node with its source location.
struct Stmt: Sendable {
    let kind: StmtKind
    let loc: SourceLocation
}

indirect enum StmtKind: Sendable {
    case text(String)
    case output(Expr)
    case ifChain([(Expr, [Stmt])], otherwise: [Stmt])
    case forLoop(targets: [String], iterable: Expr, condition: Expr?, body: [Stmt], otherwise: [Stmt])
    case set(SetTarget, Expr)
    case setBlock(SetTarget, body: [Stmt], filters: [(String, [Expr], [(String, Expr)])])
    case macro(MacroSignature, body: [Stmt])
    case callBlock(call: Expr, params: [(String, Expr?)], body: [Stmt])
    case filterBlock(filters: [(String, [Expr], [(String, Expr)])], body: [Stmt])
    case breakLoop
    case continueLoop
    /// Hugging Face's `{% generation %}` marker: renders its body unchanged.
    case generation([Stmt])
}
