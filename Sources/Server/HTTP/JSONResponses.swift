import Foundation
import HTTPTypes
import Hummingbird
import OpenAIAPI

extension Response {
    /// A JSON response. Encoding the server's own wire types cannot fail; if it ever does, the error
    /// propagates to the edge and becomes a 500.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The OpenAI error envelope for `error`, with the headers its status calls for.
    static func error(_ error: ServerError, requestID: String) -> Response {
        var response: Response
        do {
            response = try .json(error.envelope, status: error.status)
        } catch {
            response = Response(status: .internalServerError)
        }
        response.headers[.requestID] = requestID
        switch error {
        case .unauthorized:
            response.headers[.wwwAuthenticate] = "Bearer"
        case let .methodNotAllowed(_, _, allowed):
            response.headers[.allow] = allowed.joined(separator: ", ")
        case .queueFull:
            response.headers[.retryAfter] = ServerError.retryAfterSeconds
        default:
            break
        }
        return response
    }
}

extension Request {
    /// Reads the body (at most `limit` bytes) and decodes it as JSON.
    ///
    /// Malformed JSON and wrong types become a 400 naming the problem; a body over the limit a 413.
    /// The body is logged only when `logBody` is set (`--verbose`/`OPENEDAI_DEBUG`): prompts are private.
    func decodeJSON<Value: Decodable>(
        _ type: Value.Type, limit: Int, logBody: Bool, context: SwiftletRequestContext
    ) async throws -> Value {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            throw ServerError.payloadTooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ServerError.payloadTooLarge(limit: limit)
        }
        let bytes = Data(buffer.readableBytesView)
        if logBody {
            context.logger.debug("request body", metadata: ["body": "\(String(decoding: bytes, as: UTF8.self))"])
        }
        guard !bytes.isEmpty else {
            throw ServerError.badRequest(message: "The request body is empty; expected a JSON object.", code: "invalid_json")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: bytes)
        } catch let error as DecodingError {
            throw ServerError.decoding(error, body: Array(bytes))
        }
    }
}
