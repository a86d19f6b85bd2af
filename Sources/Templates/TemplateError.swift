/// Every failure of the Templates module: parse and render errors carry the 1-based line and column
/// of the template text they come from, so a broken template inside a model file can be pointed at.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The template text does not parse.
    case syntax(String, line: Int, column: Int)
    /// A value had the wrong type or shape while rendering (e.g. `1 + 'a'`, a call of a non-callable).
    case runtime(String, line: Int, column: Int)
    /// The template called `raise_exception(message)`.
    case raised(String, line: Int, column: Int)
    /// A sandbox bound was hit (output size, steps, call depth, nesting, range length).
    case limitExceeded(String, line: Int, column: Int)
    /// The template reached for something the sandbox does not expose (dunder attributes, mutation,
    /// `include`/`import`, unknown filters or tests).
    case forbidden(String, line: Int, column: Int)
    /// A named instruction template, character or file could not be found or read.
    case notFound(String)
    /// An instruction template, character or model map file is malformed.
    case invalidFile(String)
    /// A request option has a value this module does not accept (e.g. an unknown `mode`).
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .syntax(m, l, c): return "template syntax error at \(l):\(c): \(m)"
        case let .runtime(m, l, c): return "template error at \(l):\(c): \(m)"
        case let .raised(m, l, c): return "template raised at \(l):\(c): \(m)"
        case let .limitExceeded(m, l, c): return "template limit exceeded at \(l):\(c): \(m)"
        case let .forbidden(m, l, c): return "template forbidden operation at \(l):\(c): \(m)"
        case let .notFound(m): return m
        case let .invalidFile(m): return m
        case let .invalidOption(m): return m
        }
    }

    /// The (line, column) the error points at, if any.
    public var location: (line: Int, column: Int)? {
        switch self {
        case let .syntax(_, l, c), let .runtime(_, l, c), let .raised(_, l, c),
             let .limitExceeded(_, l, c), let .forbidden(_, l, c):
            return (l, c)
        case .notFound, .invalidFile, .invalidOption:
            return nil
        }
    }
}

/// A position in template source, 1-based.
struct SourceLocation: Sendable, Equatable {
    var line: Int
    var column: Int
}
