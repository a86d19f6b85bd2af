import Hummingbird

/// The per-request context: Hummingbird's core storage plus a request id that appears in the access
/// log, in the `x-request-id` response header and in 500 messages, so a user report can be matched to
/// the logged error.
public struct SwiftletRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let requestID: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        // Reuse Hummingbird's id (already in every log line's metadata) so logs show one id per request.
        self.requestID = source.logger[metadataKey: "hb.request.id"]?.description ?? Self.makeRequestID()
    }

    /// 16 hex digits from the system's random generator.
    static func makeRequestID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
