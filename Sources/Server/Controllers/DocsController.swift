import Foundation
import Hummingbird
import OpenAIAPI

/// `GET /openapi.json` (every endpoint and its parameters) and `GET /docs` (a page to read and try them).
/// Both are open, like `/health`: they describe the API, not its data.
enum DocsController {
    /// The two routes, with a document describing `api` and themselves.
    static func routes(describing api: [Route]) -> [Route] {
        let own = [OpenAPIDocument.Endpoint(method: .get, path: "/openapi.json", access: .open),
                   OpenAPIDocument.Endpoint(method: .get, path: "/docs", access: .open)]
        let endpoints = api.map { OpenAPIDocument.Endpoint(method: $0.method, path: $0.path, access: $0.access) } + own
        let document = encode(OpenAPIDocument.make(endpoints, version: SwiftletServer.version))
        return [
            Route(own[0].method, own[0].path, access: own[0].access) { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"],
                         body: .init(byteBuffer: ByteBuffer(bytes: document)))
            },
            Route(own[1].method, own[1].path, access: own[1].access) { _, _ in
                Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                         body: .init(byteBuffer: ByteBuffer(string: DocsPage.html)))
            },
        ]
    }

    static func encode(_ document: JSONValue) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A JSONValue built in code always encodes (no NaN or infinity in it).
        return (try? Array(encoder.encode(document))) ?? []
    }
}
