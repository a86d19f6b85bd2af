import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus a request id that appears in the access
/// log, in the `x-request-id` response header and in 500 messages, so a user report can be matched to
/// the logged error.
public struct SwiftletRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let requestID: String
    private let channel: any Channel
    private let connectedAtStart: Bool

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.connectedAtStart = source.channel.isActive
        // Reuse Hummingbird's id (already in every log line's metadata) so logs show one id per request.
        self.requestID = source.logger[metadataKey: "hb.request.id"]?.description ?? Self.makeRequestID()
    }

    /// Whether the client has gone: the connection the request came on was open and has closed, or
    /// (on Linux) the peer has sent its FIN or a reset, which the kernel's TCP state shows even while
    /// nothing reads from the connection. Test channels that were never active never count as gone.
    public func clientDisconnected() async -> Bool {
        guard connectedAtStart else { return false }
        if !channel.isActive { return true }
        #if os(Linux)
        guard let socket = channel as? any SocketOptionProvider,
              let info = try? await socket.getTCPInfo().get() else { return false }
        return info.tcpi_state != Self.tcpEstablished
        #else
        return false
        #endif
    }

    /// `TCP_ESTABLISHED` of Linux's `<netinet/tcp.h>` (the enum is not imported into Swift).
    private static let tcpEstablished: UInt8 = 1

    /// 16 hex digits from the system's random generator.
    static func makeRequestID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
