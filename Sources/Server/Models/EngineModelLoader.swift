import Engine
import GGUF

/// Builds the engine's model for a catalog entry: opens and validates the GGUF, builds the weights,
/// tokenizer and chat template. Runs on the engine's thread (`InferenceEngine.run`), so a load never
/// overlaps a generation and waits for the ones already queued.
public struct EngineModelLoader: ModelLoader {
    public let engine: InferenceEngine

    public init(engine: InferenceEngine) {
        self.engine = engine
    }

    public func load(_ entry: ModelEntry, options: LoadOptions) async throws -> any ServableModel {
        guard entry.kind == .gguf else {
            throw ServerError.modelLoadFailed(
                model: entry.id, reason: "it is an embedding model; embeddings are served by the embedding engine")
        }
        var loadOptions = ModelLoadOptions(contextLength: options.contextSize)
        if let threads = options.threads { loadOptions.threads = threads }
        let engineOptions = loadOptions
        let model: LoadedModel
        do {
            model = try await engine.run { try LoadedModel(path: entry.path, name: entry.id, options: engineOptions) }
        } catch let error as EngineError {
            switch error {
            case let .loadFailed(_, reason), let .invalidOption(_, reason):
                throw ServerError.modelLoadFailed(model: entry.id, reason: reason)
            default:
                throw ServerError.modelLoadFailed(model: entry.id, reason: error.description)
            }
        }
        return try EngineServableModel(model: model, entry: entry)
    }
}

/// An engine model with the summary `/v1/internal/model/info` reports.
struct EngineServableModel: ServableModel {
    let languageModel: LoadedModel
    let summary: ModelSummary

    init(model: LoadedModel, entry: ModelEntry) throws(ServerError) {
        let file = model.file
        var parameters = 0
        for tensor in file.tensors {
            let (sum, overflow) = parameters.addingReportingOverflow(tensor.elementCount)
            guard !overflow else { throw .modelLoadFailed(model: entry.id, reason: "the tensor sizes overflow") }
            parameters = sum
        }
        let hyperparameters = model.model.hyperparameters
        languageModel = model
        summary = ModelSummary(
            id: entry.id, path: entry.path, architecture: hyperparameters.architecture,
            displayName: file["general.name"]?.stringValue, trainedContextLength: hyperparameters.trainedContext,
            contextLength: model.contextLength, parameterCount: parameters, tensorCount: file.tensors.count,
            fileSize: file.fileSize)
    }
}
