import HTTPTypes
import Hummingbird

/// DNS-rebinding protection: when the server is not bound to a wildcard address, only requests whose
/// Host names this machine (localhost, 127.0.0.1, [::1], or the `--listen-host`), on any port, pass.
struct HostCheckMiddleware: RouterMiddleware {
    typealias Context = SwiftletRequestContext

    let allowedHosts: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.head.authority ?? ""
        guard let host = Self.hostName(authority), allowedHosts.contains(host) else {
            throw ServerError.invalidHost(authority)
        }
        return try await next(request, context)
    }

    /// `Localhost:5000` → `localhost`, `[::1]:5000` → `::1`; nil for an empty or malformed value.
    static func hostName(_ authority: String) -> String? {
        let value = authority.lowercased()
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else { return nil }
            let rest = value[value.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isNumber)) else { return nil }
            return String(value[value.index(after: value.startIndex)..<close])
        }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1 where !value.isEmpty: return value
        case 2 where !parts[0].isEmpty && parts[1].allSatisfy(\.isNumber): return String(parts[0])
        default: return nil
        }
    }
}

/// Rejects a body whose declared length exceeds `--max-body-size` before any handler reads it.
/// Chunked bodies without a length are cut off by `Request.decodeJSON`.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = SwiftletRequestContext

    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw ServerError.payloadTooLarge(limit: limit)
        }
        return try await next(request, context)
    }
}

/// API-key check: `Authorization: Bearer KEY` or `x-api-key: KEY`, compared in constant time against
/// every configured key. Admin routes take the admin keys; other routes take API keys or admin keys.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = SwiftletRequestContext

    let routes: RouteTable
    let apiKeys: [[UInt8]]
    let adminKeys: [[UInt8]]

    init(routes: RouteTable, apiKeys: [String], adminKeys: [String]) {
        self.routes = routes
        self.apiKeys = apiKeys.map { Array($0.utf8) }
        self.adminKeys = adminKeys.map { Array($0.utf8) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let access: RouteAccess
        if case let .found(routeAccess) = routes.match(method: request.method, path: request.uri.path) {
            access = routeAccess
        } else {
            // Unknown routes need a key too, so the API's shape is not probeable without one.
            access = .user
        }
        let accepted: [[UInt8]] = switch access {
        case .open: []
        case .user: apiKeys.isEmpty ? [] : apiKeys + adminKeys
        case .admin: adminKeys
        }
        guard accepted.isEmpty || Self.presentedKey(request).map({ Self.matchesAny($0, accepted) }) == true else {
            throw ServerError.unauthorized
        }
        return try await next(request, context)
    }

    /// The key from `Authorization: Bearer …` (scheme case-insensitive), else from `x-api-key`.
    static func presentedKey(_ request: Request) -> [UInt8]? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return Array(parts[1].trimmingWhitespace.utf8)
            }
        }
        return request.headers[.apiKey].map { Array($0.trimmingWhitespace.utf8) }
    }

    /// Compares against every key without stopping early, and each comparison touches every byte of
    /// the longer input, so timing reveals neither which key matched nor how much of one did.
    static func matchesAny(_ presented: [UInt8], _ keys: [[UInt8]]) -> Bool {
        var found = false
        for key in keys {
            found = constantTimeEqual(presented, key) || found
        }
        return found
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        let length = max(lhs.count, rhs.count)
        var difference = UInt(lhs.count ^ rhs.count)
        for index in 0..<length {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= UInt(left ^ right)
        }
        return difference == 0
    }
}

extension Substring {
    var trimmingWhitespace: String { String(self).trimmingWhitespace }
}
