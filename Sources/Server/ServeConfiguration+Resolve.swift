// MARK: - Resolution

extension ServeConfiguration {
    /// The outcome of `resolve`: the configuration and any warnings to print before starting.
    public struct Resolution: Sendable, Equatable {
        public var configuration: ServeConfiguration
        public var warnings: [String]
    }

    /// Merges every source into one validated configuration. Precedence, highest first: environment
    /// variables (`OPENEDAI_*`, as text-generation-webui documents), command-line flags, the settings
    /// file, defaults. Pure: no file or network access, so every combination is unit-testable.
    ///
    /// A bad value from any source throws `ServerError.invalidSetting` naming that source's key
    /// (`OPENEDAI_PORT`, `--api-port` or `api-port in FILE`) and the value.
    public static func resolve(
        flags: ServeFlags, env: [String: String], settings: SettingsFile?
    ) throws(ServerError) -> Resolution {
        let sources = Sources(flags: flags, env: env, settings: settings)
        var warnings: [String] = []
        if let settings {
            for key in settings.values.keys.sorted() where !SettingsFile.knownKeys.contains(key) {
                warnings.append("unknown key '\(key)' in \(settings.path) ignored")
            }
        }

        let port = try sources.pick(flag: flags.apiPort, flagName: "--api-port", env: "OPENEDAI_PORT",
                                    setting: "api-port")
            .map { raw throws(ServerError) in try raw.integer(in: 0...65535, expected: "a port number from 0 to 65535") }
            ?? defaultPort

        let listen = try sources.bool(flag: flags.listen, env: nil, settings: ["listen"]) ?? false
        let listenHost = sources.pick(flag: flags.listenHost, flagName: "--listen-host", env: nil,
                                      setting: "listen-host")?.nonEmpty
        let enableIPv6 = try sources.bool(flag: flags.apiEnableIPv6, env: "OPENEDAI_ENABLE_IPV6",
                                          settings: ["api-enable-ipv6"]) ?? false
        let disableIPv4 = try sources.bool(flag: flags.apiDisableIPv4, env: "OPENEDAI_DISABLE_IPV4",
                                           settings: ["api-disable-ipv4"]) ?? false
        if listenHost != nil && !listen {
            warnings.append("--listen-host takes effect only together with --listen (as in text-generation-webui)")
        }
        let hosts = try bindHosts(listen: listen, listenHost: listenHost?.value, ipv6: enableIPv6,
                                  ipv4: !disableIPv4)
        let wildcards: Set<String> = ["0.0.0.0", "::", "[::]"]
        let allInterfaces = hosts.allSatisfy { wildcards.contains($0) }
        var allowedHosts = loopbackHosts
        for host in hosts where !wildcards.contains(host) {
            allowedHosts.insert(host.lowercased().trimmingBrackets)
        }

        let apiKeys = sources.pick(flag: flags.apiKey, flagName: "--api-key", env: nil, setting: "api-key")?
            .list ?? []
        let adminKeys = sources.pick(flag: flags.adminKey, flagName: "--admin-key", env: nil, setting: "admin-key")?
            .list ?? apiKeys

        let certificate = sources.pick(flag: flags.sslCertfile, flagName: "--ssl-certfile", env: "OPENEDAI_CERT_PATH",
                                       setting: "ssl-certfile")?.nonEmpty
        let key = sources.pick(flag: flags.sslKeyfile, flagName: "--ssl-keyfile", env: "OPENEDAI_KEY_PATH",
                               setting: "ssl-keyfile")?.nonEmpty
        let tls: TLSFiles?
        switch (certificate, key) {
        case let (certificate?, key?): tls = TLSFiles(certificatePath: certificate.value, keyPath: key.value)
        case (nil, nil): tls = nil
        case (_?, nil): throw .incompleteTLS(missing: "the key file (--ssl-keyfile or OPENEDAI_KEY_PATH)")
        case (nil, _?): throw .incompleteTLS(missing: "the certificate file (--ssl-certfile or OPENEDAI_CERT_PATH)")
        }

        let model = sources.pick(flag: flags.model, flagName: "--model", env: nil, setting: "model")?.nonEmpty?.value
        let modelsDirectory = sources.pick(flag: flags.modelsDir, flagName: "--models-dir", env: nil,
                                           setting: "models-dir")?.nonEmpty?.value ?? defaultModelsDirectory
        let threads = try sources.pick(flag: flags.threads, flagName: "--threads", env: nil, setting: "threads")
            .map { raw throws(ServerError) in try raw.integer(in: 1...1024, expected: "a thread count from 1 to 1024") }
        let contextSize = try sources.pick(flag: flags.ctxSize, flagName: "--ctx-size", env: nil, setting: "ctx-size")
            .map { raw throws(ServerError) in
                try raw.integer(in: 1...(1 << 24), expected: "a context length from 1 to 16777216 tokens")
            }

        if settings?.values["embedding-model"] != nil && settings?.values["openai-embedding_model"] != nil {
            throw .unreadableSettings(path: settings?.path ?? "",
                                      reason: "both 'embedding-model' and 'openai-embedding_model' are set")
        }
        let embeddingModel = (sources.pick(flag: flags.embeddingModel, flagName: "--embedding-model",
                                           env: "OPENEDAI_EMBEDDING_MODEL", setting: "embedding-model")
            ?? sources.pick(flag: nil, flagName: "", env: nil, setting: "openai-embedding_model"))?
            .nonEmpty?.value ?? defaultEmbeddingModel
        if let device = sources.pick(flag: nil, flagName: "", env: "OPENEDAI_EMBEDDING_DEVICE",
                                     setting: "openai-embedding_device"),
           device.value.lowercased() != "cpu" {
            warnings.append("\(device.key) is '\(device.value)', but Swiftlet computes on the CPU only; using cpu")
        }

        let corsOrigins = try sources.pick(flag: flags.corsOrigins, flagName: "--cors-origins", env: nil,
                                           setting: "cors-origins")
            .map { raw throws(ServerError) in try raw.origins() } ?? ["*"]
        let verbose = try sources.bool(flag: flags.verbose, env: "OPENEDAI_DEBUG",
                                       settings: ["verbose", "openai-debug"]) ?? false
        let maxBodySize = try sources.pick(flag: flags.maxBodySize, flagName: "--max-body-size", env: nil,
                                           setting: "max-body-size")
            .map { raw throws(ServerError) in
                try raw.integer(in: 1...(1 << 34), expected: "a size in bytes from 1 to 17179869184")
            } ?? defaultMaxBodySize
        // Not a text-generation-webui option (it has no queue limit), so there is no OPENEDAI_ variable.
        let maxQueue = try sources.pick(flag: flags.maxQueue, flagName: "--max-queue", env: nil, setting: "max-queue")
            .map { raw throws(ServerError) in
                try raw.integer(in: 0...100_000, expected: "a number of waiting requests from 0 to 100000")
            } ?? defaultMaxQueue

        let configuration = ServeConfiguration(
            hosts: hosts, port: port, listensOnAllInterfaces: allInterfaces, allowedHosts: allowedHosts,
            apiKeys: apiKeys, adminKeys: adminKeys, tls: tls, model: model, modelsDirectory: modelsDirectory,
            threads: threads, contextSize: contextSize, embeddingModel: embeddingModel, embeddingDevice: "cpu",
            corsOrigins: corsOrigins, verbose: verbose, maxBodySize: maxBodySize, maxQueue: maxQueue)
        return Resolution(configuration: configuration, warnings: warnings)
    }

    /// text-generation-webui's address rule: `--listen --listen-host H` binds H alone; otherwise IPv6
    /// (when enabled) binds `::1`, or `::` with `--listen`, and IPv4 (unless disabled) `127.0.0.1`, or
    /// `0.0.0.0` with `--listen`. With `--listen` and both families, `::` alone is bound: on Linux that
    /// socket accepts IPv4 too, and a second wildcard socket on the same port would fail to bind.
    static func bindHosts(listen: Bool, listenHost: String?, ipv6: Bool, ipv4: Bool) throws(ServerError) -> [String] {
        if listen, let listenHost { return [listenHost.trimmingBrackets] }
        switch (listen, ipv6, ipv4) {
        case (_, false, false): throw .noListenAddress
        case (true, true, _): return ["::"]
        case (true, false, true): return ["0.0.0.0"]
        case (false, true, true): return ["127.0.0.1", "::1"]
        case (false, true, false): return ["::1"]
        case (false, false, true): return ["127.0.0.1"]
        }
    }
}

// MARK: - Sources and raw values

/// A raw value and the name of the key it came from, so a parse error can name both.
struct RawSetting: Equatable {
    var value: String
    var key: String

    /// Nil for an empty or all-blank value, which counts as "not set".
    var nonEmpty: RawSetting? {
        value.trimmingWhitespace.isEmpty ? nil : RawSetting(value: value.trimmingWhitespace, key: key)
    }

    /// Comma-separated items, trimmed, empty ones dropped.
    var list: [String] {
        value.split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    func integer(in range: ClosedRange<Int>, expected: String) throws(ServerError) -> Int {
        guard let number = Int(value.trimmingWhitespace), range.contains(number) else {
            throw .invalidSetting(key: key, value: value, expected: expected)
        }
        return number
    }

    func bool() throws(ServerError) -> Bool {
        switch value.trimmingWhitespace.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off", "": return false
        default: throw .invalidSetting(key: key, value: value, expected: "true or false (also 1/0, yes/no, on/off)")
        }
    }

    /// `*` or a comma-separated list of origins such as `https://app.example:8443`.
    func origins() throws(ServerError) -> [String] {
        let items = list
        guard !items.isEmpty else {
            throw .invalidSetting(key: key, value: value, expected: "'*' or a comma-separated list of origins")
        }
        for item in items where item != "*" {
            guard item.contains("://"), !item.hasSuffix("/") else {
                throw .invalidSetting(key: key, value: value,
                                      expected: "'*' or origins like https://example.com (scheme, host, optional port; no path)")
            }
        }
        return items.contains("*") ? ["*"] : items
    }
}

/// The three configuration sources, queried in precedence order.
struct Sources {
    var flags: ServeFlags
    var env: [String: String]
    var settings: SettingsFile?

    /// The highest-precedence value present: environment, then the flag, then the settings file.
    func pick(flag: String?, flagName: String, env name: String?, setting: String) -> RawSetting? {
        if let name, let value = env[name] { return RawSetting(value: value, key: name) }
        if let flag { return RawSetting(value: flag, key: flagName) }
        if let settings, let value = settings.values[setting] {
            return RawSetting(value: value, key: "\(setting) in \(settings.path)")
        }
        return nil
    }

    /// A switch: the environment variable parsed as a boolean, else the flag if given, else the first
    /// settings key present.
    func bool(flag: Bool?, env name: String?, settings keys: [String]) throws(ServerError) -> Bool? {
        if let name, let value = env[name] { return try RawSetting(value: value, key: name).bool() }
        if let flag { return flag }
        for key in keys {
            if let settings, let value = settings.values[key] {
                return try RawSetting(value: value, key: "\(key) in \(settings.path)").bool()
            }
        }
        return nil
    }
}

extension String {
    var trimmingWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }

    /// `[::1]` → `::1`.
    var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
