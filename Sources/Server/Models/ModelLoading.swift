import Engine

/// What the server knows about a model that is loaded and ready to serve.
public struct ModelSummary: Sendable, Equatable {
    /// The id clients use (`/v1/models`, `model` fields): the file name without `.gguf`, or the directory
    /// name of an embedding model.
    public var id: String
    public var path: String
    /// `general.architecture` (`llama`, `qwen2`, `gemma3`, …).
    public var architecture: String
    /// `general.name`, when the file has one.
    public var displayName: String?
    /// `<architecture>.context_length`: what the model was trained for.
    public var trainedContextLength: Int?
    /// What requests are served with: `--ctx-size` (or the load request's `ctx_size`) capped at the
    /// trained length, else the trained length capped at 4096 (`ModelLoadOptions.defaultContextCap`).
    public var contextLength: Int?
    /// Elements over all tensors.
    public var parameterCount: Int
    public var tensorCount: Int
    public var fileSize: Int

    public init(
        id: String, path: String, architecture: String, displayName: String?, trainedContextLength: Int?,
        contextLength: Int?, parameterCount: Int, tensorCount: Int, fileSize: Int
    ) {
        self.id = id
        self.path = path
        self.architecture = architecture
        self.displayName = displayName
        self.trainedContextLength = trainedContextLength
        self.contextLength = contextLength
        self.parameterCount = parameterCount
        self.tensorCount = tensorCount
        self.fileSize = fileSize
    }
}

/// Settings a load applies: the server's flags, overridden by a load request's `args`.
public struct LoadOptions: Sendable, Equatable {
    /// Requested context length in tokens; nil means the trained length, at most 4096.
    public var contextSize: Int?
    /// Compute threads; nil lets the engine decide.
    public var threads: Int?

    public init(contextSize: Int? = nil, threads: Int? = nil) {
        self.contextSize = contextSize
        self.threads = threads
    }
}

/// A model in memory, ready to generate: the engine's model and what the server reports about it.
/// (Named apart from `Engine.LoadedModel`, which it wraps.)
public protocol ServableModel: Sendable {
    var summary: ModelSummary { get }
    /// The engine's model that generations run on.
    var languageModel: LoadedModel { get }
}

/// Turns a catalog entry into a loaded model. `ModelManager` calls it off the request path and keeps
/// the previous model when it throws.
///
/// Throw `ServerError.modelLoadFailed` (or a `GGUFError`, which the manager translates) for problems
/// with the file; anything else is reported to clients as an internal error.
public protocol ModelLoader: Sendable {
    func load(_ entry: ModelEntry, options: LoadOptions) async throws -> any ServableModel
}
