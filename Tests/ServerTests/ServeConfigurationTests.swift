import Server
import Testing

private func resolve(
    _ flags: ServeFlags = ServeFlags(), env: [String: String] = [:], settings: [String: String]? = nil
) throws(ServerError) -> ServeConfiguration.Resolution {
    try ServeConfiguration.resolve(
        flags: flags, env: env, settings: settings.map { SettingsFile(path: "s.yaml", values: $0) })
}

// MARK: - Defaults and precedence

@Test func defaultsMatchTextGenerationWebUI() throws {
    let resolution = try resolve()
    #expect(resolution.configuration == .defaults)
    #expect(resolution.warnings.isEmpty)
    let configuration = resolution.configuration
    #expect(configuration.port == 5000)
    #expect(configuration.hosts == ["127.0.0.1"])
    #expect(!configuration.listensOnAllInterfaces)
    #expect(configuration.modelsDirectory == "models")
    #expect(configuration.corsOrigins == ["*"])
    #expect(configuration.apiKeys.isEmpty && configuration.adminKeys.isEmpty)
    #expect(configuration.embeddingModel == "all-MiniLM-L6-v2")
    #expect(!configuration.verbose)
}

@Test func portPrecedenceIsEnvThenFlagThenSettings() throws {
    let settings = ["api-port": "7000"]
    #expect(try resolve(settings: settings).configuration.port == 7000)
    #expect(try resolve(ServeFlags(apiPort: "6000"), settings: settings).configuration.port == 6000)
    #expect(try resolve(ServeFlags(apiPort: "6000"), env: ["OPENEDAI_PORT": "8000"], settings: settings)
        .configuration.port == 8000)
    #expect(try resolve(env: ["OPENEDAI_PORT": "8000"]).configuration.port == 8000)
}

@Test func tlsPathsFromEnvOverrideFlagsAndSettings() throws {
    let settings = ["ssl-certfile": "s.crt", "ssl-keyfile": "s.key"]
    #expect(try resolve(settings: settings).configuration.tls
        == .init(certificatePath: "s.crt", keyPath: "s.key"))
    let flags = ServeFlags(sslKeyfile: "f.key", sslCertfile: "f.crt")
    #expect(try resolve(flags, settings: settings).configuration.tls == .init(certificatePath: "f.crt", keyPath: "f.key"))
    let env = ["OPENEDAI_CERT_PATH": "e.crt", "OPENEDAI_KEY_PATH": "e.key"]
    #expect(try resolve(flags, env: env, settings: settings).configuration.tls
        == .init(certificatePath: "e.crt", keyPath: "e.key"))
}

@Test func tlsNeedsBothFiles() {
    #expect(throws: ServerError.incompleteTLS(missing: "the key file (--ssl-keyfile or OPENEDAI_KEY_PATH)")) {
        try resolve(ServeFlags(sslCertfile: "c.pem"))
    }
    #expect(throws: ServerError.self) { try resolve(env: ["OPENEDAI_KEY_PATH": "k.pem"]) }
}

@Test func debugPrecedenceLetsEnvSwitchVerboseOff() throws {
    #expect(try resolve(settings: ["openai-debug": "true"]).configuration.verbose)
    #expect(try resolve(settings: ["verbose": "yes"]).configuration.verbose)
    #expect(try resolve(ServeFlags(verbose: true), settings: ["verbose": "false"]).configuration.verbose)
    #expect(try !resolve(ServeFlags(verbose: true), env: ["OPENEDAI_DEBUG": "0"]).configuration.verbose)
    #expect(try resolve(env: ["OPENEDAI_DEBUG": "1"]).configuration.verbose)
}

@Test func embeddingModelPrecedenceAndSettingsSpellings() throws {
    #expect(try resolve(settings: ["openai-embedding_model": "s-model"]).configuration.embeddingModel == "s-model")
    #expect(try resolve(settings: ["embedding-model": "s2"]).configuration.embeddingModel == "s2")
    #expect(try resolve(ServeFlags(embeddingModel: "f-model"), settings: ["openai-embedding_model": "s"])
        .configuration.embeddingModel == "f-model")
    #expect(try resolve(ServeFlags(embeddingModel: "f"), env: ["OPENEDAI_EMBEDDING_MODEL": "e-model"])
        .configuration.embeddingModel == "e-model")
    #expect(throws: ServerError.self) {
        try resolve(settings: ["embedding-model": "a", "openai-embedding_model": "b"])
    }
}

@Test func nonCPUEmbeddingDeviceWarnsAndUsesCPU() throws {
    let fromEnv = try resolve(env: ["OPENEDAI_EMBEDDING_DEVICE": "cuda"])
    #expect(fromEnv.configuration.embeddingDevice == "cpu")
    #expect(fromEnv.warnings == ["OPENEDAI_EMBEDDING_DEVICE is 'cuda', but Swiftlet computes on the CPU only; using cpu"])
    let fromSettings = try resolve(settings: ["openai-embedding_device": "mps"])
    #expect(fromSettings.warnings.count == 1)
    #expect(try resolve(env: ["OPENEDAI_EMBEDDING_DEVICE": "CPU"]).warnings.isEmpty)
}

@Test func flagsOverrideSettingsForEveryPlainOption() throws {
    let settings = [
        "listen-host": "10.0.0.1", "api-key": "s", "admin-key": "sa", "model": "sm", "models-dir": "sd",
        "threads": "2", "ctx-size": "512", "cors-origins": "https://s.example", "max-body-size": "100",
    ]
    let fromSettings = try resolve(settings: settings).configuration
    #expect(fromSettings.apiKeys == ["s"] && fromSettings.adminKeys == ["sa"])
    #expect(fromSettings.model == "sm" && fromSettings.modelsDirectory == "sd")
    #expect(fromSettings.threads == 2 && fromSettings.contextSize == 512 && fromSettings.maxBodySize == 100)
    #expect(fromSettings.corsOrigins == ["https://s.example"])

    let flags = ServeFlags(
        listenHost: "10.0.0.2", apiKey: "f", adminKey: "fa", model: "fm", modelsDir: "fd", threads: "4",
        ctxSize: "1024", corsOrigins: "https://f.example", maxBodySize: "200")
    let fromFlags = try resolve(flags, settings: settings).configuration
    #expect(fromFlags.apiKeys == ["f"] && fromFlags.adminKeys == ["fa"])
    #expect(fromFlags.model == "fm" && fromFlags.modelsDirectory == "fd")
    #expect(fromFlags.threads == 4 && fromFlags.contextSize == 1024 && fromFlags.maxBodySize == 200)
    #expect(fromFlags.corsOrigins == ["https://f.example"])
}

@Test func settingsSwitchesApplyUnlessFlagsOrEnvSayOtherwise() throws {
    let listening = try resolve(settings: ["listen": "true"]).configuration
    #expect(listening.hosts == ["0.0.0.0"] && listening.listensOnAllInterfaces)
    let ipv6 = try resolve(settings: ["api-enable-ipv6": "on"]).configuration
    #expect(ipv6.hosts == ["127.0.0.1", "::1"])
    let noIPv4 = try resolve(env: ["OPENEDAI_ENABLE_IPV6": "1", "OPENEDAI_DISABLE_IPV4": "true"]).configuration
    #expect(noIPv4.hosts == ["::1"])
    let envWins = try resolve(ServeFlags(apiEnableIPv6: true), env: ["OPENEDAI_ENABLE_IPV6": "false"]).configuration
    #expect(envWins.hosts == ["127.0.0.1"])
}

// MARK: - Keys and addresses

@Test func apiKeysAreACommaSeparatedListAndAdminDefaultsToThem() throws {
    let configuration = try resolve(ServeFlags(apiKey: " one, two ,,three")).configuration
    #expect(configuration.apiKeys == ["one", "two", "three"])
    #expect(configuration.adminKeys == ["one", "two", "three"])
    let separate = try resolve(ServeFlags(apiKey: "user", adminKey: "boss")).configuration
    #expect(separate.adminKeys == ["boss"])
    #expect(try resolve(settings: ["api-key": "a,b"]).configuration.apiKeys == ["a", "b"])
}

@Test func listenHostFollowsTextGenerationWebUIRules() throws {
    let bound = try resolve(ServeFlags(listen: true, listenHost: "192.168.1.5")).configuration
    #expect(bound.hosts == ["192.168.1.5"])
    #expect(!bound.listensOnAllInterfaces)
    #expect(bound.allowedHosts.contains("192.168.1.5") && bound.allowedHosts.contains("localhost"))

    let ignored = try resolve(ServeFlags(listenHost: "192.168.1.5"))
    #expect(ignored.configuration.hosts == ["127.0.0.1"])
    #expect(ignored.warnings.count == 1)

    let wildcard = try resolve(ServeFlags(listen: true, apiEnableIPv6: true)).configuration
    #expect(wildcard.hosts == ["::"] && wildcard.listensOnAllInterfaces)
}

@Test func disablingBothAddressFamiliesIsAnError() {
    #expect(throws: ServerError.noListenAddress) { try resolve(ServeFlags(apiDisableIPv4: true)) }
}

// MARK: - Bad values

@Test(arguments: [
    (ServeFlags(apiPort: "http"), [String: String](), "--api-port", "http"),
    (ServeFlags(apiPort: "70000"), [:], "--api-port", "70000"),
    (ServeFlags(), ["OPENEDAI_PORT": "-1"], "OPENEDAI_PORT", "-1"),
    (ServeFlags(threads: "0"), [:], "--threads", "0"),
    (ServeFlags(ctxSize: "big"), [:], "--ctx-size", "big"),
    (ServeFlags(maxBodySize: "1.5"), [:], "--max-body-size", "1.5"),
    (ServeFlags(corsOrigins: "example.com"), [:], "--cors-origins", "example.com"),
    (ServeFlags(corsOrigins: " , "), [:], "--cors-origins", " , "),
    (ServeFlags(), ["OPENEDAI_DEBUG": "maybe"], "OPENEDAI_DEBUG", "maybe"),
    (ServeFlags(), ["OPENEDAI_ENABLE_IPV6": "2"], "OPENEDAI_ENABLE_IPV6", "2"),
])
func badValuesNameTheKeyAndValue(flags: ServeFlags, env: [String: String], key: String, value: String) {
    do {
        _ = try resolve(flags, env: env)
        Issue.record("expected an error for \(key)=\(value)")
    } catch {
        guard case let .invalidSetting(errorKey, errorValue, _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(errorKey == key)
        #expect(errorValue == value)
        #expect(error.description.contains("'\(value)'") && error.description.contains(key))
    }
}

@Test func badSettingsValueNamesTheFileKey() {
    #expect(throws: ServerError.invalidSetting(key: "threads in s.yaml", value: "many",
                                               expected: "a thread count from 1 to 1024")) {
        try resolve(settings: ["threads": "many"])
    }
    #expect(throws: ServerError.self) { try resolve(settings: ["listen": "perhaps"]) }
}

@Test func unknownSettingsKeysWarn() throws {
    let resolution = try resolve(settings: ["max_new_tokens": "200", "api-port": "5001"])
    #expect(resolution.configuration.port == 5001)
    #expect(resolution.warnings == ["unknown key 'max_new_tokens' in s.yaml ignored"])
}

// MARK: - Settings file parsing

@Test func settingsFileParsesScalarsListsAndUnderscoreKeys() throws {
    let yaml = """
        api_port: 5005
        listen: true
        api-key: [k1, k2]
        openai-embedding_model: mini
        ctx-size: ~
        """
    let file = try SettingsFile.parse(yaml: yaml, path: "t.yaml")
    #expect(file.values == ["api-port": "5005", "listen": "true", "api-key": "k1,k2",
                            "openai-embedding_model": "mini"])
    let configuration = try ServeConfiguration.resolve(flags: ServeFlags(), env: [:], settings: file).configuration
    #expect(configuration.port == 5005 && configuration.apiKeys == ["k1", "k2"] && configuration.embeddingModel == "mini")
}

@Test func settingsFileRejectsNonMappingsAndDuplicates() throws {
    #expect(throws: ServerError.self) { try SettingsFile.parse(yaml: "- a\n- b\n", path: "t.yaml") }
    #expect(throws: ServerError.self) { try SettingsFile.parse(yaml: "api-port: 1\napi_port: 2\n", path: "t.yaml") }
    #expect(throws: ServerError.self) { try SettingsFile.parse(yaml: "model: {a: 1}\n", path: "t.yaml") }
    #expect(throws: ServerError.self) { try SettingsFile.parse(yaml: "a: [\n", path: "t.yaml") }
    #expect(throws: ServerError.self) { try SettingsFile.load(path: "/nonexistent/settings.yaml") }
    #expect(try SettingsFile.parse(yaml: "", path: "t.yaml").values.isEmpty)
}

// MARK: - Queue limit

@Test func maxQueueComesFromTheFlagOrTheSettingsFile() throws {
    #expect(try resolve().configuration.maxQueue == 64)
    #expect(try resolve(settings: ["max-queue": "3"]).configuration.maxQueue == 3)
    #expect(try resolve(ServeFlags(maxQueue: "0"), settings: ["max-queue": "3"]).configuration.maxQueue == 0)
    #expect(throws: ServerError.invalidSetting(key: "--max-queue", value: "-1",
                                               expected: "a number of waiting requests from 0 to 100000")) {
        try resolve(ServeFlags(maxQueue: "-1"))
    }
    #expect(try resolve(settings: ["max-queue": "3"]).warnings.isEmpty)
}
