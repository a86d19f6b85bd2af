import Models

/// Every way a generation request can be refused or fail.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    /// The prompt leaves no room to generate within the context.
    case contextLengthExceeded(promptTokens: Int, contextLength: Int)
    /// An empty prompt (nothing to condition on).
    case emptyPrompt
    /// A bad option value, naming the option.
    case invalidOption(name: String, reason: String)
    /// Too many requests already waiting.
    case queueFull(limit: Int)
    /// The model failed while running.
    case model(ModelError)
    /// The model file could not be loaded.
    case loadFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .contextLengthExceeded(prompt, context):
            "the prompt has \(prompt) tokens but the context holds \(context); shorten it or raise the context size"
        case .emptyPrompt: "the prompt is empty"
        case let .invalidOption(name, reason): "invalid \(name): \(reason)"
        case let .queueFull(limit): "the server is busy: \(limit) requests are already waiting"
        case let .model(error): error.description
        case let .loadFailed(path, reason): "cannot load \(path): \(reason)"
        }
    }
}
