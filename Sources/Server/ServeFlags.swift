/// The `swiftlet serve` command line as given, before validation: nil means "not on the command line",
/// so lower-precedence sources (the settings file, defaults) can fill it in.
///
/// Values stay strings here so `ServeConfiguration.resolve` validates every source the same way and
/// names the flag in its error. `settings` is only the file's path: the caller loads it with
/// `SettingsFile.load(path:)` and passes the result to `resolve`.
public struct ServeFlags: Sendable, Equatable {
    /// `--api`: accepted for text-generation-webui compatibility; the API is always on.
    public var api: Bool?
    public var listen: Bool?
    public var listenHost: String?
    public var apiPort: String?
    public var apiKey: String?
    public var adminKey: String?
    public var sslKeyfile: String?
    public var sslCertfile: String?
    public var apiEnableIPv6: Bool?
    public var apiDisableIPv4: Bool?
    public var model: String?
    public var modelsDir: String?
    public var settings: String?
    public var threads: String?
    public var ctxSize: String?
    public var embeddingModel: String?
    public var corsOrigins: String?
    public var verbose: Bool?
    public var maxBodySize: String?
    /// `--max-queue`: generation requests that may wait for the engine (default 64).
    public var maxQueue: String?

    public init(
        api: Bool? = nil, listen: Bool? = nil, listenHost: String? = nil, apiPort: String? = nil,
        apiKey: String? = nil, adminKey: String? = nil, sslKeyfile: String? = nil, sslCertfile: String? = nil,
        apiEnableIPv6: Bool? = nil, apiDisableIPv4: Bool? = nil, model: String? = nil, modelsDir: String? = nil,
        settings: String? = nil, threads: String? = nil, ctxSize: String? = nil, embeddingModel: String? = nil,
        corsOrigins: String? = nil, verbose: Bool? = nil, maxBodySize: String? = nil, maxQueue: String? = nil
    ) {
        self.api = api
        self.listen = listen
        self.listenHost = listenHost
        self.apiPort = apiPort
        self.apiKey = apiKey
        self.adminKey = adminKey
        self.sslKeyfile = sslKeyfile
        self.sslCertfile = sslCertfile
        self.apiEnableIPv6 = apiEnableIPv6
        self.apiDisableIPv4 = apiDisableIPv4
        self.model = model
        self.modelsDir = modelsDir
        self.settings = settings
        self.threads = threads
        self.ctxSize = ctxSize
        self.embeddingModel = embeddingModel
        self.corsOrigins = corsOrigins
        self.verbose = verbose
        self.maxBodySize = maxBodySize
        self.maxQueue = maxQueue
    }
}
