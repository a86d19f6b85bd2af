import HTTPTypes
import Hummingbird
import Engine
import Logging

/// Turns every error thrown below it into OpenAI's envelope with the right status, and tags every
/// response with `x-request-id`. Unknown errors are logged in full and answered with a generic 500
/// that carries only the request id.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = SwiftletRequestContext

    let routes: RouteTable
    let maxBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.requestID
            return response
        } catch let error as ServerError {
            return .error(error, requestID: context.requestID)
        } catch let error as EngineError {
            let translated = ServerError(error, requestID: context.requestID)
            if case .internalError = translated {
                context.logger.error("engine error", metadata: ["error": "\(error)"])
            }
            return .error(translated, requestID: context.requestID)
        } catch let error as HTTPError {
            return .error(translate(error, request: request), requestID: context.requestID)
        } catch {
            context.logger.error("internal error", metadata: ["error": "\(String(reflecting: error))"])
            return .error(.internalError(requestID: context.requestID), requestID: context.requestID)
        }
    }

    /// Hummingbird's own errors: its not-found (also raised for a known path with another method), a
    /// body over the limit, and anything else by status with a generic message.
    private func translate(_ error: HTTPError, request: Request) -> ServerError {
        switch error.status {
        case .notFound:
            switch routes.match(method: request.method, path: request.uri.path) {
            case let .wrongMethod(allowed):
                return .methodNotAllowed(method: request.method.rawValue, path: request.uri.path, allowed: allowed)
            case .found, .unknown:
                return .routeNotFound(method: request.method.rawValue, path: request.uri.path)
            }
        case .contentTooLarge:
            return .payloadTooLarge(limit: maxBodySize)
        case .badRequest:
            return .badRequest(message: error.body ?? "Bad request.")
        default:
            return .badRequest(message: "\(error.status.code) \(error.status.reasonPhrase)")
        }
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("x-request-id")!
    static let apiKey = HTTPField.Name("x-api-key")!
}

/// One line per request: method, path (without the query), status and duration; the request id is in
/// the logger's metadata. Never the body or the query, which can hold prompts.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = SwiftletRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        context.logger.info("\(request.method.rawValue) \(request.uri.path) \(response.status.code)", metadata: [
            "duration_ms": "\(Int(milliseconds.rounded()))",
        ])
        return response
    }
}
