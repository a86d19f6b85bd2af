import Foundation
import HummingbirdTesting
import HummingbirdTLS
import NIOCore
import Testing

/// A throwaway self-signed P-256 certificate for `localhost`/127.0.0.1 (valid until 2126) and its key,
/// made with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
/// -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1`. Test-only: it protects
/// nothing.
private let testCertificate = """
    -----BEGIN CERTIFICATE-----
    MIIBmjCCAUGgAwIBAgIUZ9Yn66HU36gtCDicAWR3+QKytBMwCgYIKoZIzj0EAwIw
    FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjA1MTA1MVoYDzIxMjYxMDI5
    MDUxMDUxWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
    PQMBBwNCAASPaFDxoBHz6AhRxJdwFT3ZpKly2TZ4heiTNnTDgtSBK8UDrhIBJRNQ
    PPtspMhVDtbyTA9AhNjbxD4Sd4ulauRlo28wbTAdBgNVHQ4EFgQUbfgZiPHftMD2
    w9U/f762BA2XA60wHwYDVR0jBBgwFoAUbfgZiPHftMD2w9U/f762BA2XA60wDwYD
    VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
    zj0EAwIDRwAwRAIgINAHcwtEx2gb7+mspxzZqJUmF5l6Q4Rbj2lJG0GYkIkCIBlG
    E4KZEnGusdd57pdwaVxuN14I1OWvdVetjQEM5JPA
    -----END CERTIFICATE-----

    """

private let testKey = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgI4Z9jcQ8K9+BBpXn
    kC/mneAp19KDNrnhUEjPA/56SIShRANCAASPaFDxoBHz6AhRxJdwFT3ZpKly2TZ4
    heiTNnTDgtSBK8UDrhIBJRNQPPtspMhVDtbyTA9AhNjbxD4Sd4ulauRl
    -----END PRIVATE KEY-----

    """

@Suite(.serialized) struct LiveTLSTests {
    /// HTTPS through the environment variables text-generation-webui documents, verified against the
    /// test certificate as the only trust root.
    @Test func servesHTTPSWithCertificateFromEnvironment() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificatePath = directory.appendingPathComponent("cert.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        try Data(testCertificate.utf8).write(to: URL(fileURLWithPath: certificatePath))
        try Data(testKey.utf8).write(to: URL(fileURLWithPath: keyPath))

        let port = try freePort()
        let server = try ServerProcess(
            arguments: ["serve", "--api-port", "\(port)", "--models-dir", directory.path],
            environment: ["OPENEDAI_CERT_PATH": certificatePath, "OPENEDAI_KEY_PATH": keyPath])
        defer { server.kill() }

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(testCertificate.utf8)))
        let configuration = TestClient.Configuration(tlsConfiguration: tls, timeout: .seconds(5), serverName: "localhost")

        let deadline = ContinuousClock.now + .seconds(30)
        var body: String?
        while ContinuousClock.now < deadline, body == nil {
            guard server.process.isRunning else { throw LiveTestError.exitedEarly(log: server.log) }
            body = try? await TestClient.withClient(host: "127.0.0.1", port: port, configuration: configuration) { client in
                let response = try await client.execute(TestClient.Request("/health", method: .get, authority: "localhost"))
                return response.status == .ok ? response.body.map { String(buffer: $0) } : nil
            }
            if body == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(body == #"{"status":"ok"}"#, "\(server.log)")
        #expect(try await server.interruptAndWait() == 0)
        #expect(server.log.contains("Swiftlet listening on https://127.0.0.1:\(port)"))
    }

    @Test func unreadableCertificateExitsNonZero() async throws {
        let server = try ServerProcess(arguments: [
            "serve", "--api-port", "\(try freePort())", "--ssl-certfile", "/nonexistent/cert.pem",
            "--ssl-keyfile", "/nonexistent/key.pem",
        ])
        defer { server.kill() }
        #expect(try await server.waitForExit(timeout: .seconds(20)) == 2)
        #expect(server.log.contains("invalid value '/nonexistent/cert.pem, /nonexistent/key.pem' for --ssl-certfile/--ssl-keyfile"))
    }
}
