import Foundation
import Hummingbird
import OpenAIAPI

/// `GET /v1/models` and `GET /v1/models/{id}` (also without `/v1`, and as OpenAI's legacy
/// `/v1/engines`): the models directory, the configured embedding model and any model configured by
/// path, in OpenAI's shape, loaded ones first.
///
/// Ids are file names without `.gguf` (or an embedding model's directory name); `{id}` also accepts
/// the full file name.
struct ModelsController {
    let manager: ModelManager
    static let owner = "swiftlet"

    var routes: [Route] {
        ["/v1/models", "/models", "/v1/engines"].flatMap { base in
            [
                Route(.get, base) { _, _ in try await list() },
                Route(.get, "\(base)/{id}") { _, context in
                    let raw = context.parameters.get("id") ?? ""
                    return try await model(raw.removingPercentEncoding ?? raw)
                },
            ]
        }
    }

    private func list() async throws -> Response {
        let loaded = await manager.loaded?.id
        let entries = manager.catalog.entries()
        let ordered = entries.filter { $0.id == loaded } + entries.filter { $0.id != loaded }
        return try .json(ModelListResponse(data: ordered.map(Self.wire)))
    }

    private func model(_ id: String) async throws -> Response {
        guard let entry = manager.catalog.find(id) else { throw ServerError.modelNotFound(id) }
        return try .json(Self.wire(entry))
    }

    static func wire(_ entry: ModelEntry) -> ModelObject {
        ModelObject(id: entry.id, created: entry.created, ownedBy: owner)
    }
}
