import Hummingbird
import OpenAIAPI

/// `GET /health` (no key; for load balancers and the setup script) and `GET /v1/internal/health`
/// (text-generation-webui's, behind the API key): 200 `{"status":"ok"}` when ready, 503 with the
/// error envelope while a model loads or after the startup model failed to load.
struct HealthController {
    let manager: ModelManager

    var routes: [Route] {
        [
            Route(.get, "/health", access: .open) { _, context in try await health(context) },
            Route(.get, "/v1/internal/health") { _, context in try await health(context) },
        ]
    }

    private func health(_ context: SwiftletRequestContext) async throws -> Response {
        switch await manager.health {
        case .ready:
            return try .json(HealthResponse(status: "ok"))
        case let .loading(model):
            return .error(.unavailable(reason: "Loading model '\(model)'."), requestID: context.requestID)
        case let .failed(model, reason):
            return .error(.unavailable(reason: "Model '\(model)' failed to load: \(reason)"),
                          requestID: context.requestID)
        }
    }
}
