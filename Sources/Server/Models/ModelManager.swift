import Engine
import GGUF
import Logging

/// Owns the loaded model: loads through a `ModelLoader`, swaps only on success (a failed load keeps
/// the previous model), and reports readiness for `/health`.
///
/// One load runs at a time; a second request while one runs gets `ServerError.loadInProgress`.
public actor ModelManager {
    /// Readiness as `/health` reports it.
    public enum Health: Sendable, Equatable {
        case ready
        case loading(model: String)
        /// The last load failed and nothing is loaded; an admin load or unload clears it.
        case failed(model: String, reason: String)
    }

    public nonisolated let catalog: ModelCatalog
    private let loader: any ModelLoader
    private let defaultOptions: LoadOptions
    private let logger: Logger
    private var current: (any ServableModel)?
    private var loading: String?
    private var failure: (model: String, reason: String)?
    private var startupEntry: ModelEntry?

    /// `startup` is loaded by `loadStartupModel()`; until then the manager reports `.loading`, so
    /// `/health` answers 503 from the first request on.
    public init(
        catalog: ModelCatalog, loader: any ModelLoader, defaultOptions: LoadOptions, startup: ModelEntry?,
        logger: Logger
    ) {
        self.catalog = catalog
        self.loader = loader
        self.defaultOptions = defaultOptions
        self.logger = logger
        self.startupEntry = startup
        self.loading = startup?.id
    }

    public var health: Health {
        if let loading { return .loading(model: loading) }
        if current == nil, let failure { return .failed(model: failure.model, reason: failure.reason) }
        return .ready
    }

    /// The loaded model's summary, if any.
    public var loaded: ModelSummary? { current?.summary }

    /// The model a generation request runs on.
    ///
    /// `requested` (the request's `model`) may be absent or name the loaded model (by id or file name).
    /// Another model in the catalog is a 400 that says how to load it (requests never swap the model:
    /// a load takes seconds and would pull the model from under other clients); an unknown name is a
    /// 404; no model ready is a 503.
    public func generationModel(requested: String?) throws(ServerError) -> (model: LoadedModel, summary: ModelSummary) {
        let requested = requested.flatMap { $0.isEmpty ? nil : $0 }
        if let current {
            let summary = current.summary
            guard let requested, requested != summary.id else { return (current.languageModel, summary) }
            guard let entry = catalog.find(requested) else { throw .modelNotFound(requested) }
            if entry.id == summary.id { return (current.languageModel, summary) }
            if entry.kind == .embedding {
                throw .badRequest(message: "The model '\(entry.id)' is an embedding model; use /v1/embeddings with it.",
                                  param: "model", code: "model_not_supported")
            }
            throw .modelNotLoaded(requested: entry.id, loaded: summary.id)
        }
        if let requested, catalog.find(requested) == nil { throw .modelNotFound(requested) }
        if let loading { throw .unavailable(reason: "Model '\(loading)' is loading; try again when it is ready.") }
        if let failure {
            throw .unavailable(reason: "No model is loaded: '\(failure.model)' failed to load (\(failure.reason)). "
                + "Load one with POST /v1/internal/model/load.")
        }
        throw .unavailable(reason: "No model is loaded. Load one with POST /v1/internal/model/load {\"model_name\": \"…\"} "
            + "or start the server with --model.")
    }

    /// Loads the `--model` given at startup. Called once the server listens; failures are logged and
    /// reported by `/health`, and the server keeps running so an admin can load another model.
    public func loadStartupModel() async {
        guard let entry = startupEntry else { return }
        startupEntry = nil
        do {
            let summary = try await perform(entry, options: defaultOptions)
            logger.info("model loaded", metadata: ["model": "\(summary.id)", "architecture": "\(summary.architecture)"])
        } catch {
            logger.error("model failed to load", metadata: ["model": "\(entry.id)", "error": "\(error)"])
        }
    }

    /// Loads `entry`, replacing the current model on success. `overrides` take precedence over the
    /// server's `--ctx-size`/`--threads`.
    @discardableResult
    public func load(_ entry: ModelEntry, overrides: LoadOptions = LoadOptions()) async throws -> ModelSummary {
        if let loading { throw ServerError.loadInProgress(model: loading) }
        loading = entry.id
        let options = LoadOptions(contextSize: overrides.contextSize ?? defaultOptions.contextSize,
                                  threads: overrides.threads ?? defaultOptions.threads)
        return try await perform(entry, options: options)
    }

    /// Drops the current model (if any) and clears a reported load failure.
    public func unload() {
        if let id = current?.summary.id { logger.info("model unloaded", metadata: ["model": "\(id)"]) }
        current = nil
        failure = nil
    }

    /// Runs the loader with `loading` already set to `entry.id`; clears it whatever happens. Errors
    /// other than `ServerError`/`GGUFError` are rethrown unchanged, so the edge logs them with the
    /// request id and answers a generic 500.
    private func perform(_ entry: ModelEntry, options: LoadOptions) async throws -> ModelSummary {
        defer { loading = nil }
        do {
            let model = try await loader.load(entry, options: options)
            current = model
            failure = nil
            return model.summary
        } catch let error as ServerError {
            failure = (entry.id, error.description)
            throw error
        } catch let error as GGUFError {
            let translated = ServerError.modelLoadFailed(model: entry.id, reason: error.description)
            failure = (entry.id, translated.description)
            throw translated
        } catch {
            failure = (entry.id, "internal error while loading (see the server log)")
            throw error
        }
    }
}
