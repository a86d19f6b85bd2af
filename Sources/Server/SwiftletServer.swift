import Engine
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// The HTTP server: routes, middleware and the model manager, bound to every configured address.
///
/// Later issues add endpoint families by appending controllers' `routes` in `makeRoutes()`.
public struct SwiftletServer: Sendable {
    /// Swiftlet's version, in `/openapi.json` and `swiftlet --version`.
    public static let version = "0.1.0"

    public let configuration: ServeConfiguration
    public let manager: ModelManager
    /// The one compute owner: every generation, model load and logits evaluation runs on its thread.
    public let engine: InferenceEngine
    /// Generations in flight, for `/v1/internal/stop-generation`.
    public let generations: GenerationRegistry
    /// Embedding models opened so far (`/v1/embeddings`, `/v1/moderations`).
    let embeddings: EmbeddingModels
    let logger: Logger

    /// Checks that `--model` names a model before anything listens (an unknown name throws
    /// `ServerError.unknownStartupModel`), and pins models configured by path to the catalog.
    ///
    /// `loader` defaults to building engine models on `engine`, which defaults to a new engine whose
    /// queue holds `configuration.maxQueue` waiting requests.
    public init(
        configuration: ServeConfiguration, loader: (any ModelLoader)? = nil, engine: InferenceEngine? = nil,
        logger: Logger = ServerLogging.makeLogger()
    ) throws(ServerError) {
        var catalog = ModelCatalog(directory: configuration.modelsDirectory)
        var startup: ModelEntry?
        if let model = configuration.model {
            if let entry = catalog.find(model) {
                startup = entry
            } else if let entry = ModelCatalog.entry(at: model) {
                catalog.pinned.append(entry)
                startup = entry
            } else {
                throw .unknownStartupModel(name: model, available: catalog.entries().map(\.id))
            }
        }
        if catalog.find(configuration.embeddingModel) == nil {
            if let entry = ModelCatalog.entry(at: configuration.embeddingModel) {
                catalog.pinned.append(entry)
            } else {
                logger.warning("embedding model not found; it is not listed", metadata: [
                    "embedding_model": "\(configuration.embeddingModel)",
                    "models_dir": "\(configuration.modelsDirectory)",
                ])
            }
        }
        let engine = engine ?? InferenceEngine(queueLimit: configuration.maxQueue)
        self.configuration = configuration
        self.logger = logger
        self.engine = engine
        self.generations = GenerationRegistry()
        self.manager = ModelManager(
            catalog: catalog, loader: loader ?? EngineModelLoader(engine: engine),
            defaultOptions: LoadOptions(contextSize: configuration.contextSize, threads: configuration.threads),
            startup: startup, logger: logger)
        embeddings = EmbeddingModels(manager: manager, engine: engine, defaultModel: configuration.embeddingModel,
                                     threads: configuration.threads)
    }

    /// Every endpoint, by family.
    func makeRoutes() -> [Route] {
        let generation = GenerationContext(
            manager: manager, prompts: ChatPromptResolver(dataDirectory: Self.dataDirectory(configuration.dataDirectory)),
            runner: GenerationRunner(engine: engine, registry: generations, keepAlive: configuration.keepAliveInterval),
            maxBodySize: configuration.maxBodySize, logBodies: configuration.verbose)
        let api = HealthController(manager: manager).routes
            + ModelsController(manager: manager).routes
            + InternalModelController(manager: manager, maxBodySize: configuration.maxBodySize,
                                      logBodies: configuration.verbose).routes
            + ChatCompletionsController(context: generation).routes
            + CompletionsController(context: generation).routes
            + EditsController(context: generation).routes
            + EmbeddingsController(models: embeddings, maxBodySize: configuration.maxBodySize,
                                   logBodies: configuration.verbose).routes
            + InternalTokensController(context: generation, engine: engine, registry: generations).routes
        return api + DocsController.routes(describing: api)
    }

    /// Where `instruction-templates/` and `characters/` are: the configured folder, else the working
    /// directory when it has them (`scripts/serve.sh` runs from the checkout), else the nearest folder
    /// above the executable that has them (`.build/release/swiftlet` in a checkout), else the working
    /// directory (named templates are then reported as not found).
    static func dataDirectory(_ configured: String?) -> URL {
        if let configured { return URL(fileURLWithPath: configured) }
        let fileManager = FileManager.default
        let workingDirectory = URL(fileURLWithPath: fileManager.currentDirectoryPath)
        func hasTemplates(_ url: URL) -> Bool {
            fileManager.fileExists(atPath: url.appendingPathComponent("instruction-templates").path)
        }
        if hasTemplates(workingDirectory) { return workingDirectory }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var directory = executable.deletingLastPathComponent()
            while directory.pathComponents.count > 1 {
                if hasTemplates(directory) { return directory }
                directory.deleteLastPathComponent()
            }
        }
        return workingDirectory
    }

    /// The router with the edge middleware, outermost first: CORS (answers preflights, decorates every
    /// response), access log, error envelope, Host check, body limit, auth.
    public func makeRouter() -> Router<SwiftletRequestContext> {
        let routes = makeRoutes()
        let table = RouteTable(routes)
        let router = Router(context: SwiftletRequestContext.self)
        router.add(middleware: CORSPolicyMiddleware(origins: configuration.corsOrigins))
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ErrorMiddleware(routes: table, maxBodySize: configuration.maxBodySize))
        if !configuration.listensOnAllInterfaces {
            router.add(middleware: HostCheckMiddleware(allowedHosts: configuration.allowedHosts))
        }
        router.add(middleware: BodyLimitMiddleware(limit: configuration.maxBodySize))
        router.add(middleware: AuthMiddleware(routes: table, apiKeys: configuration.apiKeys,
                                              adminKeys: configuration.adminKeys))
        for route in routes {
            let handler = route.handler
            router.on(RouterPath(route.path), method: route.method) { request, context in
                try await handler(request, context)
            }
        }
        return router
    }

    /// One application per bind address, sharing one router. The first one to listen starts loading
    /// the startup model, so `/health` answers (503) while it loads.
    public func makeApplications(
        onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }
    ) throws(ServerError) -> [Application<RouterResponder<SwiftletRequestContext>>] {
        let responder = makeRouter().buildResponder()
        let server = try httpServerBuilder()
        let manager = self.manager
        return configuration.hosts.map { host in
            Application(
                responder: responder, server: server,
                configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port),
                                                        serverName: "Swiftlet"),
                onServerRunning: { channel in
                    await onListening(host, channel.localAddress?.port ?? 0)
                    Task { await manager.loadStartupModel() }
                },
                logger: logger)
        }
    }

    /// Runs until SIGINT or SIGTERM, then stops accepting connections and lets in-flight requests
    /// finish.
    public func run() async throws {
        let scheme = configuration.tls == nil ? "http" : "https"
        let logger = self.logger
        let applications = try makeApplications { host, port in
            let shown = host.contains(":") ? "[\(host)]" : host
            logger.notice("Swiftlet listening on \(scheme)://\(shown):\(port)")
        }
        let group = ServiceGroup(configuration: .init(
            services: applications, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("Swiftlet stopped")
    }

    private func httpServerBuilder() throws(ServerError) -> HTTPServerBuilder {
        guard let tls = configuration.tls else { return .http1() }
        do {
            let certificates = try NIOSSLCertificate.fromPEMFile(tls.certificatePath)
            let key = try NIOSSLPrivateKey(file: tls.keyPath, format: .pem)
            let tlsConfiguration = TLSConfiguration.makeServerConfiguration(
                certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
            return try .tls(.http1(), tlsConfiguration: tlsConfiguration)
        } catch {
            throw .invalidSetting(key: "--ssl-certfile/--ssl-keyfile",
                                  value: "\(tls.certificatePath), \(tls.keyPath)",
                                  expected: "a readable PEM certificate chain and private key (\(error))")
        }
    }
}
