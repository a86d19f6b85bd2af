/// Everything `swiftlet serve` runs with, validated. Built once by `resolve(flags:env:settings:)`.
public struct ServeConfiguration: Sendable, Equatable {
    /// Addresses to bind, in order (`127.0.0.1`, `::1`, `0.0.0.0`, `::` or a `--listen-host`).
    public var hosts: [String]
    /// TCP port; 0 lets the system pick a free one (the chosen port is logged).
    public var port: Int
    /// True when bound to a wildcard address; the Host-header check is off then.
    public var listensOnAllInterfaces: Bool
    /// Host names accepted in the Host header when not listening on all interfaces (lower-case, without
    /// port or brackets).
    public var allowedHosts: Set<String>
    /// Accepted API keys; empty means the API is open.
    public var apiKeys: [String]
    /// Keys accepted on the model administration routes; empty means those routes are open.
    public var adminKeys: [String]
    /// Certificate and key for HTTPS, or nil for plain HTTP.
    public var tls: TLSFiles?
    /// The model to load at startup (`--model`): a name in the models directory or a path.
    public var model: String?
    public var modelsDirectory: String
    /// Compute threads for inference; nil lets the engine decide.
    public var threads: Int?
    /// Context length to serve with (`--ctx-size`); nil means the model's trained length.
    public var contextSize: Int?
    /// The embedding model: a name in the models directory or a path.
    public var embeddingModel: String
    /// Always `cpu`: the only device Swiftlet computes on.
    public var embeddingDevice: String
    /// Allowed CORS origins; `["*"]` allows any.
    public var corsOrigins: [String]
    /// Log request bodies (prompts) at debug level; later endpoints log completions under the same
    /// switch. Off by default for privacy.
    public var verbose: Bool
    /// Largest accepted request body in bytes; larger bodies get 413.
    public var maxBodySize: Int
    /// Generation requests allowed to wait behind the running one (`--max-queue`); more get 503 with
    /// `Retry-After`.
    public var maxQueue: Int
    /// How long a stream may stay silent (queued, or evaluating a long prompt) before an SSE comment
    /// (`: keep-alive`) is sent, so proxies and clients do not time out. Not a flag; tests shorten it.
    public var keepAliveInterval: Duration
    /// The folder holding `instruction-templates/` and `characters/`; nil looks in the working
    /// directory, then next to the executable and its parent folders (a checkout's `.build/release/`).
    public var dataDirectory: String?

    public struct TLSFiles: Sendable, Equatable {
        public var certificatePath: String
        public var keyPath: String

        public init(certificatePath: String, keyPath: String) {
            self.certificatePath = certificatePath
            self.keyPath = keyPath
        }
    }

    public static let defaultPort = 5000
    public static let defaultModelsDirectory = "models"
    public static let defaultEmbeddingModel = "all-MiniLM-L6-v2"
    public static let defaultMaxBodySize = 16 * 1024 * 1024
    public static let defaultMaxQueue = 64
    public static let defaultKeepAliveInterval = Duration.seconds(5)
    /// Host names always accepted by the Host-header check.
    public static let loopbackHosts: Set<String> = ["localhost", "127.0.0.1", "::1"]

    /// A configuration with every default, bound to 127.0.0.1 (what `swiftlet serve` alone gives).
    public static var defaults: ServeConfiguration {
        ServeConfiguration(
            hosts: ["127.0.0.1"], port: defaultPort, listensOnAllInterfaces: false, allowedHosts: loopbackHosts,
            apiKeys: [], adminKeys: [], tls: nil, model: nil, modelsDirectory: defaultModelsDirectory,
            threads: nil, contextSize: nil, embeddingModel: defaultEmbeddingModel, embeddingDevice: "cpu",
            corsOrigins: ["*"], verbose: false, maxBodySize: defaultMaxBodySize)
    }

    public init(
        hosts: [String], port: Int, listensOnAllInterfaces: Bool, allowedHosts: Set<String>, apiKeys: [String],
        adminKeys: [String], tls: TLSFiles?, model: String?, modelsDirectory: String, threads: Int?,
        contextSize: Int?, embeddingModel: String, embeddingDevice: String, corsOrigins: [String], verbose: Bool,
        maxBodySize: Int, maxQueue: Int = defaultMaxQueue, keepAliveInterval: Duration = defaultKeepAliveInterval,
        dataDirectory: String? = nil
    ) {
        self.hosts = hosts
        self.port = port
        self.listensOnAllInterfaces = listensOnAllInterfaces
        self.allowedHosts = allowedHosts
        self.apiKeys = apiKeys
        self.adminKeys = adminKeys
        self.tls = tls
        self.model = model
        self.modelsDirectory = modelsDirectory
        self.threads = threads
        self.contextSize = contextSize
        self.embeddingModel = embeddingModel
        self.embeddingDevice = embeddingDevice
        self.corsOrigins = corsOrigins
        self.verbose = verbose
        self.maxBodySize = maxBodySize
        self.maxQueue = maxQueue
        self.keepAliveInterval = keepAliveInterval
        self.dataDirectory = dataDirectory
    }
}
