import Engine
import Hummingbird

/// What the generating controllers share: the model manager, the prompt builder, the engine runner,
/// and the body-decoding settings.
struct GenerationContext: Sendable {
    let manager: ModelManager
    let prompts: ChatPromptResolver
    let runner: GenerationRunner
    let maxBodySize: Int
    let logBodies: Bool

    func decode<Value: Decodable>(_ type: Value.Type, _ request: Request, _ context: SwiftletRequestContext)
        async throws -> Value {
        try await request.decodeJSON(type, limit: maxBodySize, logBody: logBodies, context: context)
    }
}
