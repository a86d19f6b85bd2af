import ArgumentParser
import Foundation
import Server

/// `swiftlet serve`: text-generation-webui's API flags. Precedence and validation live in
/// `ServeConfiguration.resolve`; this file only collects the command line.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the OpenAI-compatible API.",
        discussion: """
            Environment variables override flags, and flags override the --settings file: \
            OPENEDAI_PORT, OPENEDAI_CERT_PATH, OPENEDAI_KEY_PATH, OPENEDAI_DEBUG, OPENEDAI_EMBEDDING_MODEL, \
            OPENEDAI_EMBEDDING_DEVICE, OPENEDAI_ENABLE_IPV6, OPENEDAI_DISABLE_IPV4.
            """)

    @Flag(help: "Accepted for text-generation-webui compatibility; the API is always on.")
    var api = false
    @Flag(help: "Listen on all interfaces (0.0.0.0, or :: with IPv6) instead of localhost.")
    var listen = false
    @Option(help: "With --listen: the address to bind instead of all interfaces.")
    var listenHost: String?
    @Option(help: "Port to listen on (default 5000; 0 picks a free port).")
    var apiPort: String?
    @Option(help: "API key(s), comma-separated; requests must send one as 'Authorization: Bearer KEY' or 'x-api-key'.")
    var apiKey: String?
    @Option(help: "Admin key(s) for model load/unload/list (default: the API keys).")
    var adminKey: String?
    @Option(help: "TLS private key (PEM); needs --ssl-certfile.")
    var sslKeyfile: String?
    @Option(help: "TLS certificate chain (PEM); needs --ssl-keyfile.")
    var sslCertfile: String?
    @Flag(name: .customLong("api-enable-ipv6"), help: "Also listen on IPv6 (::1, or :: with --listen).")
    var apiEnableIPv6 = false
    @Flag(name: .customLong("api-disable-ipv4"), help: "Do not listen on IPv4.")
    var apiDisableIPv4 = false
    @Option(help: "Model to load at startup: an id from the models directory, a .gguf file name, or a path.")
    var model: String?
    @Option(help: "Directory scanned for models (*.gguf, and directories with model.safetensors). Default: models")
    var modelsDir: String?
    @Option(help: "YAML settings file; keys are the flag names (api-port, …) plus openai-embedding_model, openai-embedding_device, openai-debug.")
    var settings: String?
    @Option(help: "Compute threads.")
    var threads: String?
    @Option(help: "Context length in tokens (capped at the model's trained length).")
    var ctxSize: String?
    @Option(help: "Embedding model: a name in the models directory or a path. Default: all-MiniLM-L6-v2")
    var embeddingModel: String?
    @Option(help: "Allowed CORS origins, comma-separated, or * (default).")
    var corsOrigins: String?
    @Flag(help: "Log request bodies (prompts) at debug level; off by default for privacy.")
    var verbose = false
    @Option(help: "Largest accepted request body in bytes (default 16777216); larger ones get 413.")
    var maxBodySize: String?
    @Option(help: "Requests allowed to wait behind the running generation (default 64); more get 503 with Retry-After.")
    var maxQueue: String?

    /// The command line as `ServeFlags`; an unset switch is nil so the settings file can supply it.
    var flags: ServeFlags {
        ServeFlags(
            api: api ? true : nil, listen: listen ? true : nil, listenHost: listenHost, apiPort: apiPort,
            apiKey: apiKey, adminKey: adminKey, sslKeyfile: sslKeyfile, sslCertfile: sslCertfile,
            apiEnableIPv6: apiEnableIPv6 ? true : nil, apiDisableIPv4: apiDisableIPv4 ? true : nil, model: model,
            modelsDir: modelsDir, settings: settings, threads: threads, ctxSize: ctxSize,
            embeddingModel: embeddingModel, corsOrigins: corsOrigins, verbose: verbose ? true : nil,
            maxBodySize: maxBodySize, maxQueue: maxQueue)
    }

    func run() async throws {
        let resolution: ServeConfiguration.Resolution
        do {
            let settingsFile = try settings.map { path throws(ServerError) in try SettingsFile.load(path: path) }
            resolution = try ServeConfiguration.resolve(
                flags: flags, env: ProcessInfo.processInfo.environment, settings: settingsFile)
        } catch {
            Self.fail(error)
        }
        ServerLogging.bootstrap(verbose: resolution.configuration.verbose)
        let logger = ServerLogging.makeLogger()
        for warning in resolution.warnings {
            logger.warning("\(warning)")
        }
        let server: SwiftletServer
        do {
            server = try SwiftletServer(configuration: resolution.configuration, logger: logger)
        } catch {
            Self.fail(error)
        }
        do {
            try await server.run()
        } catch let error as ServerError {
            // TLS files are read when the listeners are built, after the checks above.
            Self.fail(error)
        }
    }

    /// Configuration errors name the key and value; print that alone and exit non-zero.
    private static func fail(_ error: ServerError) -> Never {
        FileHandle.standardError.write(Data("swiftlet: error: \(error)\n".utf8))
        Foundation.exit(2)
    }
}
