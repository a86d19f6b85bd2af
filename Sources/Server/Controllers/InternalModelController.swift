import Hummingbird
import Logging
import OpenAIAPI

/// text-generation-webui's model administration: `GET /v1/internal/model/info` (API key), and
/// `GET …/model/list`, `POST …/model/load`, `POST …/model/unload` (admin key when one is set).
struct InternalModelController {
    let manager: ModelManager
    let maxBodySize: Int
    let logBodies: Bool

    var routes: [Route] {
        [
            Route(.get, "/v1/internal/model/info") { _, _ in try await info() },
            Route(.get, "/v1/internal/model/list", access: .admin) { _, _ in try list() },
            Route(.post, "/v1/internal/model/load", access: .admin) { request, context in
                try await load(request, context: context)
            },
            Route(.post, "/v1/internal/model/unload", access: .admin) { _, _ in
                await manager.unload()
                return try .json("OK")
            },
        ]
    }

    private func info() async throws -> Response {
        guard let summary = await manager.loaded else { return try .json(ModelInfoResponse(modelName: "None")) }
        return try .json(ModelInfoResponse(
            modelName: summary.id, architecture: summary.architecture,
            trainedContextLength: summary.trainedContextLength, contextLength: summary.contextLength,
            parameterCount: summary.parameterCount, tensorCount: summary.tensorCount))
    }

    private func list() throws -> Response {
        let names = manager.catalog.entries().filter { $0.kind == .gguf }.map(\.id)
        return try .json(ModelNameListResponse(modelNames: names))
    }

    private func load(_ request: Request, context: SwiftletRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(LoadModelRequest.self, limit: maxBodySize, logBody: logBodies,
                                                context: context)
        let overrides = try Self.options(from: body.args ?? [:], logger: context.logger)
        guard let entry = manager.catalog.find(body.modelName) else {
            throw ServerError.modelNotFound(body.modelName)
        }
        try await manager.load(entry, overrides: overrides)
        return try .json("OK")
    }

    /// Reads the loader args Swiftlet understands (`ctx_size`/`n_ctx`, `threads`); text-generation-webui
    /// clients also send other loaders' flags (`n_gpu_layers`, `load_in_4bit`, …), which are ignored.
    static func options(from args: [String: JSONValue], logger: Logger) throws(ServerError) -> LoadOptions {
        var options = LoadOptions()
        for (key, value) in args.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "ctx_size", "n_ctx":
                options.contextSize = try positiveInteger(value, param: "args.\(key)")
            case "threads":
                options.threads = try positiveInteger(value, param: "args.\(key)")
            default:
                logger.debug("ignoring loader arg", metadata: ["arg": "\(key)"])
            }
        }
        return options
    }

    private static func positiveInteger(_ value: JSONValue, param: String) throws(ServerError) -> Int {
        guard case let .integer(number) = value else {
            throw .badRequest(message: "Invalid type for '\(param)': expected a positive integer, got \(value.typeName).",
                              param: param)
        }
        guard number > 0 else {
            throw .badRequest(message: "Invalid value for '\(param)': expected a positive integer, got \(number).",
                              param: param)
        }
        return number
    }
}
