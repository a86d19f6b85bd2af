import Engine

import HTTPTypes
import OpenAIAPI

// MARK: - Status and envelope

extension ServerError {
    /// The HTTP status a request error answers with. Configuration errors never reach a client; they
    /// map to 500 only so that the switch is total.
    public var status: HTTPResponse.Status {
        switch self {
        case .badRequest, .invalidHost, .modelNotLoaded, .contextLengthExceeded: .badRequest
        case .unauthorized: .unauthorized
        case .forbiddenOrigin: .forbidden
        case .routeNotFound, .modelNotFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .payloadTooLarge: .contentTooLarge
        case .loadInProgress: .conflict
        case .modelLoadFailed: .unprocessableContent
        case .unavailable, .queueFull: .serviceUnavailable
        case .internalError, .invalidSetting, .incompleteTLS, .noListenAddress, .unreadableSettings,
             .unknownStartupModel:
            .internalServerError
        }
    }

    /// The OpenAI error envelope for this error. Messages name the problem but never carry internals
    /// (stack traces, file offsets of server code, underlying error dumps).
    public var envelope: ErrorResponse {
        switch self {
        case let .badRequest(message, param, code):
            ErrorResponse(message: message, type: "invalid_request_error", param: param, code: code)
        case .unauthorized:
            ErrorResponse(message: description, type: "invalid_request_error", code: "invalid_api_key")
        case .invalidHost:
            ErrorResponse(message: description, type: "invalid_request_error", code: "invalid_host")
        case .forbiddenOrigin:
            ErrorResponse(message: description, type: "invalid_request_error", code: "origin_not_allowed")
        case .routeNotFound:
            ErrorResponse(message: description, type: "invalid_request_error", code: "unknown_url")
        case .methodNotAllowed:
            ErrorResponse(message: description, type: "invalid_request_error", code: "method_not_allowed")
        case .payloadTooLarge:
            ErrorResponse(message: description, type: "invalid_request_error", code: "request_too_large")
        case .modelNotFound:
            ErrorResponse(message: description, type: "invalid_request_error", param: "model", code: "model_not_found")
        case .modelLoadFailed:
            ErrorResponse(message: description, type: "invalid_request_error", param: "model_name", code: "model_load_failed")
        case .loadInProgress:
            ErrorResponse(message: description, type: "invalid_request_error", code: "model_loading")
        case .unavailable:
            ErrorResponse(message: description, type: "server_error", code: "service_unavailable")
        case .modelNotLoaded:
            ErrorResponse(message: description, type: "invalid_request_error", param: "model", code: "model_not_loaded")
        case let .contextLengthExceeded(_, _, param):
            ErrorResponse(message: description, type: "invalid_request_error", param: param,
                          code: "context_length_exceeded")
        case .queueFull:
            ErrorResponse(message: description, type: "server_error", code: "queue_full")
        case .internalError, .invalidSetting, .incompleteTLS, .noListenAddress, .unreadableSettings,
             .unknownStartupModel:
            ErrorResponse(message: description, type: "server_error", code: "internal_error")
        }
    }
}

// MARK: - Translating decoder errors

extension ServerError {
    /// A 400 describing why a JSON body could not be decoded: the field path and the expected type, or
    /// the parser's position for syntax errors. Only the decoder's user-facing description is used.
    static func decoding(_ error: DecodingError, body: [UInt8]) -> ServerError {
        switch error {
        case let .typeMismatch(_, context) where context.codingPath.isEmpty,
             let .valueNotFound(_, context) where context.codingPath.isEmpty:
            // Valid JSON, but `[1]`, `"x"` or `null` where the body must be an object.
            return .badRequest(message: "The request body must be a JSON object.", code: "invalid_json")
        case let .typeMismatch(type, context):
            let param = path(context.codingPath)
            return .badRequest(
                message: "Invalid type for '\(param)': expected \(jsonTypeName(type)).", param: param)
        case let .valueNotFound(type, context):
            let param = path(context.codingPath)
            return .badRequest(
                message: "Invalid value for '\(param)': expected \(jsonTypeName(type)), got null.", param: param)
        case let .keyNotFound(key, context):
            let param = path(context.codingPath + [key])
            return .badRequest(message: "Missing required parameter: '\(param)'.", param: param)
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                let detail = JSONSyntaxLocator.firstProblem(in: body).map { ": \($0.description)." } ?? "."
                return .badRequest(message: "The request body is not valid JSON" + detail, code: "invalid_json")
            }
            let param = path(context.codingPath)
            return .badRequest(message: "Invalid value for '\(param)': \(context.debugDescription)", param: param)
        @unknown default:
            return .badRequest(message: "The request body could not be decoded.")
        }
    }

    /// `messages.0.content` style: keys joined by dots, array positions as numbers.
    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map(String.init) ?? key.stringValue }.joined(separator: ".")
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a value of another type"
        }
    }
}

// MARK: - Translating engine errors

extension ServerError {
    /// Seconds a client should wait after a full queue (`Retry-After`).
    static let retryAfterSeconds = "1"

    /// The client-facing error for an engine error. `param` names the request field a prompt error is
    /// about (`messages` or `prompt`). A model failing while it runs is the server's fault: a 500 that
    /// carries only the request id (the caller logs the details).
    init(_ error: EngineError, requestID: String, param: String = "prompt") {
        switch error {
        case let .contextLengthExceeded(promptTokens, contextLength):
            self = .contextLengthExceeded(promptTokens: promptTokens, contextLength: contextLength, param: param)
        case .emptyPrompt:
            self = .badRequest(message: "The \(param) is empty: there is nothing to continue.", param: param)
        case let .invalidOption(name, reason):
            self = .badRequest(message: "Invalid value for '\(name)': \(reason).", param: name)
        case let .queueFull(limit):
            self = .queueFull(limit: limit)
        case let .loadFailed(_, reason):
            self = .unavailable(reason: "The model could not be loaded: \(reason)")
        case .model:
            self = .internalError(requestID: requestID)
        }
    }
}
