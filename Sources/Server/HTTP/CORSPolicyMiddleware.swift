import HTTPTypes
import Hummingbird

/// CORS for browser clients: answers preflights (OPTIONS with `Access-Control-Request-Method`) before
/// auth, since browsers send them without credentials, and adds the allow-origin header to every
/// response, errors included, so pages can read error messages.
struct CORSPolicyMiddleware: RouterMiddleware {
    typealias Context = SwiftletRequestContext

    /// `["*"]` or exact origins (`https://app.example:8443`).
    let origins: [String]
    static let allowedMethods = "GET, POST, OPTIONS"
    static let allowedHeaders = "Authorization, Content-Type, X-API-Key"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin]
        if request.method == .options, let origin, request.headers[.accessControlRequestMethod] != nil {
            guard let allowOrigin = allowOrigin(for: origin) else {
                return .error(.forbiddenOrigin(origin), requestID: context.requestID)
            }
            var headers: HTTPFields = [
                .accessControlAllowOrigin: allowOrigin,
                .accessControlAllowMethods: Self.allowedMethods,
                .accessControlAllowHeaders: request.headers[.accessControlRequestHeaders] ?? Self.allowedHeaders,
                .accessControlMaxAge: "600",
                .requestID: context.requestID,
            ]
            if allowOrigin != "*" { headers[.vary] = "Origin" }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if let origin, let allowOrigin = allowOrigin(for: origin) {
            response.headers[.accessControlAllowOrigin] = allowOrigin
            response.headers[.accessControlExposeHeaders] = "x-request-id"
            if allowOrigin != "*" { response.headers[.vary] = "Origin" }
        }
        return response
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, or nil when it is not allowed.
    func allowOrigin(for origin: String) -> String? {
        if origins.contains("*") { return "*" }
        return origins.contains(origin) ? origin : nil
    }
}
