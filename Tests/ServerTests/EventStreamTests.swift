import Engine
import OpenAIAPI
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Synchronization
import Testing

/// The SSE framing on its own, with engine streams made up for the purpose.
@Test func engineErrorAfterTheStreamBeganIsSentAsAnErrorEventThenDone() async throws {
    let failing = AsyncThrowingStream<GenerationEvent, Error> { continuation in
        continuation.finish(throwing: EngineError.invalidOption(name: "custom_token_bans", reason: "bans every token"))
    }
    let registry = GenerationRegistry()
    let feed = GenerationFeed(streams: [failing], watch: .keepAlive(.seconds(5)), registry: registry)
    #expect(registry.active == 1)
    let router = Router(context: SwiftletRequestContext.self)
    router.post("/stream") { _, context in
        ServerSentEvents.response(
            feed: feed, format: StubFormat(), choices: 1, promptTokens: 3, includeUsage: true, maxTokensPerSecond: 0,
            keepAlive: .seconds(5), requestID: context.requestID, param: "prompt", logger: context.logger, logOutput: false)
    }
    try await Application(router: router).test(.router) { client async throws in
        let response = try await client.execute(uri: "/stream", method: .post)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/event-stream")
        let events = response.events
        #expect(events.count == 3, "\(events)")
        #expect(events.first == #"{"opening":0}"#)
        let error = try #require(response.chunks.last?["error"] as? [String: Any])
        #expect(error["param"] as? String == "custom_token_bans")
        #expect(error["type"] as? String == "invalid_request_error")
        #expect(events.last == "[DONE]")
    }
    #expect(registry.active == 0)
}

@Test func stoppedFeedsEndTheirChoiceAndCountAsStoppedEarly() async throws {
    // A stream that never produces anything, as a generation waiting in a long queue.
    let (waiting, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
    let terminated = AsyncStream<Void>.makeStream()
    continuation.onTermination = { _ in terminated.continuation.yield() }
    let registry = GenerationRegistry()
    let feed = GenerationFeed(streams: [waiting], watch: .disconnection { false }, registry: registry)
    #expect(registry.stopAll() == 1)
    var items: [String] = []
    for await item in feed.items {
        if case let .choiceEnded(choice, stopped) = item { items.append("ended \(choice) stopped: \(stopped)") }
    }
    #expect(items == ["ended 0 stopped: true"])
    #expect(registry.stoppedEarly == 1)
    // The engine's stream was terminated, which is what cancels its job.
    for await _ in terminated.stream { break }
    feed.cancel()
    #expect(registry.active == 0)
}

@Test func aDisconnectedClientStopsItsGenerations() async throws {
    let (waiting, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
    let terminated = AsyncStream<Void>.makeStream()
    continuation.onTermination = { _ in terminated.continuation.yield() }
    let gone = Atomic<Bool>(false)
    let registry = GenerationRegistry()
    let feed = GenerationFeed(streams: [waiting], watch: .disconnection { gone.load(ordering: .relaxed) },
                              registry: registry)
    gone.store(true, ordering: .relaxed)
    var items: [String] = []
    for await item in feed.items {
        if case let .choiceEnded(choice, stopped) = item { items.append("ended \(choice) stopped: \(stopped)") }
    }
    #expect(items == ["ended 0 stopped: true"])
    for await _ in terminated.stream { break }
    feed.cancel()
    #expect(registry.active == 0)
}

private struct StubFormat: StreamFormat {
    struct Chunk: Encodable, Sendable {
        var opening: Int?
        var text: String?
    }

    var opensEagerly: Bool { true }
    func opening(choice: Int, prompt: [PromptToken]?) -> Chunk? { Chunk(opening: choice) }
    func content(choice: Int, text: String, tokens: [GeneratedToken]) -> [Chunk] { [Chunk(text: text)] }
    func finish(choice: Int, reason: CompletionFinishReason) -> [Chunk] { [Chunk(text: "finish")] }
    func usage(_ usage: CompletionUsage) -> Chunk { Chunk(text: "usage") }
}
