import Hummingbird

/// Who may call a route.
public enum RouteAccess: Sendable, Equatable {
    /// No key needed (`GET /health`).
    case open
    /// An API key (or an admin key) when keys are configured.
    case user
    /// An admin key when one is configured (model load, unload, list).
    case admin
}

/// One endpoint: controllers return these and `SwiftletServer` registers them, so the auth and 405
/// logic see the same table the router uses.
public struct Route: Sendable {
    public typealias Handler = @Sendable (Request, SwiftletRequestContext) async throws -> Response

    public var method: HTTPRequest.Method
    /// Hummingbird path syntax; `{name}` captures one segment.
    public var path: String
    public var access: RouteAccess
    public var handler: Handler

    public init(_ method: HTTPRequest.Method, _ path: String, access: RouteAccess = .user, handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.access = access
        self.handler = handler
    }
}

/// The registered routes, matched by path segments for auth levels and `Allow` headers.
struct RouteTable: Sendable {
    enum Match: Equatable {
        case found(RouteAccess)
        /// The path exists, not with this method.
        case wrongMethod(allowed: [String])
        case unknown
    }

    private let entries: [(method: HTTPRequest.Method, segments: [Substring], access: RouteAccess)]

    init(_ routes: [Route]) {
        entries = routes.map { ($0.method, Self.segments($0.path), $0.access) }
    }

    func match(method: HTTPRequest.Method, path: String) -> Match {
        let requested = Self.segments(path)
        let candidates = entries.filter { Self.matches(pattern: $0.segments, path: requested) }
        if let hit = candidates.first(where: { $0.method == method }) { return .found(hit.access) }
        if candidates.isEmpty { return .unknown }
        var allowed = candidates.map(\.method.rawValue)
        allowed.append("OPTIONS")
        return .wrongMethod(allowed: Array(Set(allowed)).sorted())
    }

    private static func segments(_ path: String) -> [Substring] {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return withoutQuery.split(separator: "/")
    }

    private static func matches(pattern: [Substring], path: [Substring]) -> Bool {
        guard pattern.count == path.count else { return false }
        return zip(pattern, path).allSatisfy { pattern, segment in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
        }
    }
}
