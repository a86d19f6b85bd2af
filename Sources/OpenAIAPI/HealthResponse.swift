/// `GET /health` and `GET /v1/internal/health` when the server is ready: `{"status": "ok"}`.
public struct HealthResponse: Codable, Sendable, Equatable {
    public var status: String

    public init(status: String) {
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case status
    }
}
