import GGUF

/// Opens and validates a GGUF file and reads what the server reports about it. The inference engine
/// will replace this with a loader that also builds the model; the validation stays the same.
public struct GGUFModelLoader: ModelLoader {
    public init() {}

    public func load(_ entry: ModelEntry, options: LoadOptions) async throws -> any LoadedModel {
        guard entry.kind == .gguf else {
            throw ServerError.modelLoadFailed(
                model: entry.id, reason: "it is an embedding model; embeddings are served by the embedding engine")
        }
        // Mapping and parsing touch the whole header; keep that off the cooperative pool's callers.
        let file = try await Task.detached(priority: .userInitiated) { try GGUFFile(path: entry.path) }.value
        return try GGUFModel(file: file, entry: entry, options: options)
    }
}

/// A validated GGUF file held open (memory-mapped) while it is the loaded model.
struct GGUFModel: LoadedModel {
    let file: GGUFFile
    let summary: ModelSummary

    init(file: GGUFFile, entry: ModelEntry, options: LoadOptions) throws(ServerError) {
        guard let architecture = file["general.architecture"]?.stringValue, !architecture.isEmpty else {
            throw .modelLoadFailed(model: entry.id, reason: "the file has no general.architecture")
        }
        guard !file.tensors.isEmpty else {
            throw .modelLoadFailed(model: entry.id, reason: "the file has no tensors")
        }
        let trained = file["\(architecture).context_length"]?.intValue
        var parameters = 0
        for tensor in file.tensors {
            let (sum, overflow) = parameters.addingReportingOverflow(tensor.elementCount)
            guard !overflow else { throw .modelLoadFailed(model: entry.id, reason: "the tensor sizes overflow") }
            parameters = sum
        }
        let served: Int? = switch (options.contextSize, trained) {
        case let (requested?, trained?): min(requested, trained)
        case let (requested?, nil): requested
        case let (nil, trained): trained
        }
        self.file = file
        self.summary = ModelSummary(
            id: entry.id, path: entry.path, architecture: architecture,
            displayName: file["general.name"]?.stringValue, trainedContextLength: trained, contextLength: served,
            parameterCount: parameters, tensorCount: file.tensors.count, fileSize: file.fileSize)
    }
}
