/// Everything the server module reports: bad configuration (before the server starts) and request
/// failures (translated to OpenAI's error envelope at the edge, see `ServerError+HTTP.swift`).
public enum ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    // MARK: - Configuration

    /// A configuration value that cannot be used. `key` names where it came from (`--api-port`,
    /// `OPENEDAI_PORT`, `settings.yaml: api-port`), `expected` says what would be accepted.
    case invalidSetting(key: String, value: String, expected: String)
    /// Only one of `--ssl-keyfile` / `--ssl-certfile` (or their environment variables) was given.
    case incompleteTLS(missing: String)
    /// Both IPv4 and IPv6 are switched off, so there is nothing to listen on.
    case noListenAddress
    /// The settings file cannot be read or is not a YAML mapping.
    case unreadableSettings(path: String, reason: String)
    /// `--model` names neither a file nor a model in the models directory.
    case unknownStartupModel(name: String, available: [String])

    // MARK: - Requests

    /// The request is malformed; `param` names the offending field when there is one.
    case badRequest(message: String, param: String? = nil, code: String? = nil)
    /// No or a wrong API key.
    case unauthorized
    /// The Host header names a host this server does not answer for (DNS-rebinding protection).
    case invalidHost(String)
    /// A CORS preflight from an origin that is not allowed.
    case forbiddenOrigin(String)
    /// No route has this path.
    case routeNotFound(method: String, path: String)
    /// The path exists but not with this method; `allowed` goes into the `Allow` header.
    case methodNotAllowed(method: String, path: String, allowed: [String])
    /// The request body exceeds `--max-body-size`.
    case payloadTooLarge(limit: Int)
    /// No model has this id (or file name).
    case modelNotFound(String)
    /// A model file exists but could not be loaded; `reason` describes the file's problem.
    case modelLoadFailed(model: String, reason: String)
    /// Another model load is already running.
    case loadInProgress(model: String)
    /// The server is not ready (a model is loading, or the last load failed).
    case unavailable(reason: String)
    /// `model` names a model that exists but is not the loaded one (`loaded` is nil when none is).
    case modelNotLoaded(requested: String, loaded: String?)
    /// The prompt (`param`: `messages` or `prompt`) leaves no room to generate within the context.
    case contextLengthExceeded(promptTokens: Int, contextLength: Int, param: String)
    /// `limit` requests already wait for the engine; answered with 503 and `Retry-After`.
    case queueFull(limit: Int)
    /// Anything unexpected. `requestID` lets an operator find the logged details; the client sees no
    /// more than that.
    case internalError(requestID: String)

    public var description: String {
        switch self {
        case let .invalidSetting(key, value, expected):
            "invalid value '\(value)' for \(key): expected \(expected)"
        case let .incompleteTLS(missing):
            "TLS needs both a certificate and a key file: \(missing) is missing"
        case .noListenAddress:
            "IPv4 is disabled and IPv6 is not enabled: there is no address to listen on"
        case let .unreadableSettings(path, reason):
            "cannot read settings file \(path): \(reason)"
        case let .unknownStartupModel(name, available):
            available.isEmpty
                ? "model '\(name)' not found: the models directory has no models"
                : "model '\(name)' not found; available: \(available.joined(separator: ", "))"
        case let .badRequest(message, _, _):
            message
        case .unauthorized:
            "Invalid or missing API key. Send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'."
        case let .invalidHost(host):
            "Host '\(host)' is not allowed. Use localhost, 127.0.0.1 or [::1], or start the server with --listen."
        case let .forbiddenOrigin(origin):
            "Origin '\(origin)' is not allowed by --cors-origins."
        case let .routeNotFound(method, path):
            "Unknown route: \(method) \(path)"
        case let .methodNotAllowed(method, path, allowed):
            "Method \(method) is not allowed on \(path); allowed: \(allowed.joined(separator: ", "))"
        case let .payloadTooLarge(limit):
            "Request body is larger than the limit of \(limit) bytes (--max-body-size)."
        case let .modelNotFound(id):
            "The model '\(id)' does not exist."
        case let .modelLoadFailed(model, reason):
            "Model '\(model)' could not be loaded: \(reason)"
        case let .loadInProgress(model):
            "Model '\(model)' is being loaded; try again when it is done."
        case let .unavailable(reason):
            reason
        case let .modelNotLoaded(requested, loaded?):
            "The model '\(requested)' is not loaded; the loaded model is '\(loaded)'. Load another with "
                + "POST /v1/internal/model/load {\"model_name\": \"\(requested)\"}, or leave 'model' out."
        case let .modelNotLoaded(requested, nil):
            "The model '\(requested)' is not loaded. Load it with POST /v1/internal/model/load "
                + "{\"model_name\": \"\(requested)\"}."
        case let .contextLengthExceeded(promptTokens, contextLength, param):
            "This model's context holds \(contextLength) tokens, but the \(param == "messages" ? "messages" : "prompt") "
                + "resulted in \(promptTokens) tokens, leaving no room to generate. Shorten it, or send "
                + "'truncation_length' to keep only its last tokens."
        case let .queueFull(limit):
            "The server is busy: \(limit) requests are already waiting for the model. Try again shortly."
        case let .internalError(requestID):
            "The server had an internal error (request id \(requestID))."
        }
    }
}
