import Embeddings
import Engine
import Foundation
import GGUF

/// The embedding models the server has opened, loaded on first use and kept. Loading and every
/// embedding run on the engine's compute thread, between generations, so they never compete with
/// them for the cores.
actor EmbeddingModels {
    /// What a request's vectors come from.
    enum Source {
        /// A sentence-transformers folder.
        case sentence(id: String, SentenceEmbedder)
        /// The loaded chat model (mean-pooled hidden states).
        case chat(id: String, LoadedModel)

        var id: String {
            switch self {
            case let .sentence(id, _), let .chat(id, _): id
            }
        }
    }

    /// OpenAI's embedding model names, answered by the default embedding model.
    static let openAINames: Set<String> = ["text-embedding-ada-002", "text-embedding-3-small", "text-embedding-3-large"]

    let manager: ModelManager
    let engine: InferenceEngine
    /// `--embedding-model`: an id in the catalog or a path (whose folder name is its id).
    let defaultModel: String
    let threads: Int?
    private var loaded: [String: SentenceEmbedder] = [:]
    /// Moderation example vectors, per embedding model id.
    private var exampleVectors: [String: [[Float]]] = [:]

    init(manager: ModelManager, engine: InferenceEngine, defaultModel: String, threads: Int?) {
        self.manager = manager
        self.engine = engine
        self.defaultModel = defaultModel
        self.threads = threads
    }

    /// The source for a request's `model`: absent, empty or an OpenAI name → the default embedding
    /// model; an embedding folder or GGUF BERT by id; or the loaded chat model by its id. Unknown names
    /// are a 404; another chat model than the loaded one is a 400 saying how to load it.
    func source(for requested: String?) async throws -> Source {
        guard let name = requested, !name.isEmpty, !Self.openAINames.contains(name) else {
            let (id, embedder) = try await defaultEmbedder()
            return .sentence(id: id, embedder)
        }
        guard let entry = manager.catalog.find(name) else { throw ServerError.modelNotFound(name) }
        switch entry.kind {
        case .embedding:
            return .sentence(id: entry.id, try await embedder(entry))
        case .gguf where Self.isBERT(entry):
            return .sentence(id: entry.id, try await embedder(entry))
        case .gguf:
            let (model, summary) = try await manager.generationModel(requested: entry.id)
            return .chat(id: summary.id, model)
        }
    }

    /// The default embedding model (`--embedding-model`), loaded on first use.
    func defaultEmbedder() async throws -> (id: String, embedder: SentenceEmbedder) {
        guard let entry = manager.catalog.find(defaultModel)
            ?? manager.catalog.find((defaultModel as NSString).lastPathComponent) else {
            throw ServerError.unavailable(reason: "The default embedding model '\(defaultModel)' is not available; "
                + "put it in the models directory or start the server with --embedding-model.")
        }
        return (entry.id, try await embedder(entry))
    }

    /// Whether a GGUF file holds a BERT embedding model rather than a chat model.
    static func isBERT(_ entry: ModelEntry) -> Bool {
        (try? GGUFFile(path: entry.path))?["general.architecture"]?.stringValue == "bert"
    }

    private func embedder(_ entry: ModelEntry) async throws -> SentenceEmbedder {
        if let embedder = loaded[entry.id] { return embedder }
        let threads = threads
        let embedder: SentenceEmbedder
        do {
            embedder = try await engine.run {
                entry.kind == .embedding ? try SentenceEmbedder(folder: entry.path, threads: threads)
                    : try SentenceEmbedder(gguf: entry.path, threads: threads)
            }
        } catch {
            throw ServerError.modelLoadFailed(model: entry.id, reason: "\(error)")
        }
        loaded[entry.id] = embedder
        return embedder
    }

    /// The vectors of `texts` from a sentence model, and their token counts.
    func embed(_ inputs: EmbeddingInputs, with embedder: SentenceEmbedder) async throws -> EmbeddingResult {
        switch inputs {
        case let .texts(texts): try await engine.run { try embedder.embed(texts: texts) }
        case let .tokens(batches): try await engine.run { try embedder.embed(tokenIDs: batches.map(embedder.wrap)) }
        }
    }

    /// The vectors of `inputs` from the loaded chat model (texts tokenized with BOS as generation does).
    func embed(_ inputs: EmbeddingInputs, with model: LoadedModel) async throws -> EmbeddingResult {
        let sequences = switch inputs {
        case let .texts(texts): texts.map { model.tokenizer.encode($0, addSpecial: true, parseSpecial: false) }
        case let .tokens(batches): batches
        }
        let vectors = try await engine.run { try sequences.map(model.embed) }
        return EmbeddingResult(vectors: vectors, tokenCounts: sequences.map(\.count))
    }

    /// The vectors of the moderation examples for `embedder` (computed once per model).
    func moderationExamples(for id: String, embedder: SentenceEmbedder) async throws -> [[Float]] {
        if let vectors = exampleVectors[id] { return vectors }
        let vectors = try await engine.run { try embedder.embed(texts: Moderation.examples).vectors }
        exampleVectors[id] = vectors
        return vectors
    }
}

/// A request's inputs, as texts or as token-id sequences (the model's own ids, without special tokens).
enum EmbeddingInputs {
    case texts([String])
    case tokens([[Int32]])

    var count: Int {
        switch self {
        case let .texts(texts): texts.count
        case let .tokens(batches): batches.count
        }
    }
}
