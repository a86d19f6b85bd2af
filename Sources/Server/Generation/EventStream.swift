import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAIAPI

/// How one endpoint's stream looks: the chunks it sends for a choice's start, its text, its end, and
/// the usage chunk. Chat and text completions differ only here.
protocol StreamFormat: Sendable {
    associatedtype Chunk: Encodable & Sendable
    /// Whether choice 0's opening chunk goes out before the engine says anything (chat's role chunk).
    var opensEagerly: Bool { get }
    /// The chunk that starts a choice (nil for none); `prompt` holds the prompt logprobs when asked for.
    func opening(choice: Int, prompt: [PromptToken]?) -> Chunk?
    /// The chunks for new text (none while a format holds text back).
    func content(choice: Int, text: String, tokens: [GeneratedToken]) -> [Chunk]
    /// The chunks that end a choice: anything held back, then the one with the finish reason.
    func finish(choice: Int, reason: CompletionFinishReason) -> [Chunk]
    func usage(_ usage: CompletionUsage) -> Chunk
}

/// Server-sent events as OpenAI sends them: `data: {json}\n\n` per chunk, `data: [DONE]\n\n` at the end,
/// and `: keep-alive\n\n` comments while nothing else is said.
enum ServerSentEvents {
    static let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
    static let done = ByteBuffer(string: "data: [DONE]\n\n")
    static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")

    static func data(_ value: some Encodable) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes(try encoder.encode(value))
        buffer.writeString("\n\n")
        return buffer
    }

    /// A streamed response that reads `feed` and writes `format`'s chunks.
    ///
    /// A write that fails (the client went away) ends the body closure, and `feed.cancel()` then stops
    /// the generations. An engine error after the stream began is sent as `data: {"error": …}` before
    /// `[DONE]`, since the status line is already out.
    static func response<Format: StreamFormat>(
        feed: GenerationFeed, format: Format, choices: Int, promptTokens: Int, includeUsage: Bool,
        maxTokensPerSecond: Int, keepAlive: Duration, requestID: String, param: String, logger: Logger,
        logOutput: Bool
    ) -> Response {
        let body = ResponseBody { writer in
            defer { feed.cancel() }
            var lastWrite = ContinuousClock.now
            func send(_ buffer: ByteBuffer) async throws {
                try await writer.write(buffer)
                lastWrite = .now
            }
            func send(_ chunks: [Format.Chunk]) async throws {
                for chunk in chunks { try await send(try data(chunk)) }
            }
            var opened = Array(repeating: false, count: choices)
            var texts = Array(repeating: ChoiceText(), count: choices)
            var completionTokens = Array(repeating: 0, count: choices)
            var cached = 0
            let started = ContinuousClock.now
            var paced = 0

            func open(_ choice: Int, prompt: [PromptToken]?) async throws {
                guard !opened[choice] else { return }
                opened[choice] = true
                if let chunk = format.opening(choice: choice, prompt: prompt) { try await send(try data(chunk)) }
            }

            if format.opensEagerly, choices > 0 { try await open(0, prompt: nil) }
            for await item in feed.items {
                switch item {
                case let .event(choice, .prompt(tokens)):
                    try await open(choice, prompt: tokens)
                case let .event(choice, .token(token)):
                    try await open(choice, prompt: nil)
                    completionTokens[choice] += 1
                    guard let (piece, tokens) = texts[choice].add(token) else { continue }
                    if maxTokensPerSecond > 0 {
                        // Pace delivery: token k goes out no earlier than k / rate seconds after the start.
                        paced += tokens.count
                        let due = started + .seconds(Double(paced) / Double(maxTokensPerSecond))
                        if due > .now { try await Task.sleep(until: due) }
                    }
                    try await send(format.content(choice: choice, text: piece, tokens: tokens))
                case let .event(choice, .finished(result)):
                    try await open(choice, prompt: nil)
                    if let (piece, tokens) = texts[choice].finish(result) {
                        try await send(format.content(choice: choice, text: piece, tokens: tokens))
                    }
                    completionTokens[choice] = result.usage.completionTokens
                    if choice == 0 { cached = result.usage.cachedPromptTokens }
                    try await send(format.finish(choice: choice, reason: result.finishReason.wire))
                case let .choiceEnded(choice, stopped):
                    if stopped {
                        // Ended by a stop request: close the choice as text-generation-webui does.
                        try await open(choice, prompt: nil)
                        try await send(format.finish(choice: choice, reason: .stop))
                    }
                case let .failed(error):
                    let translated = GenerationRunner.translate(error, requestID: requestID, param: param, logger: logger)
                    try await send(try data(translated.envelope))
                    try await send(done)
                    try await writer.finish(nil)
                    return
                case .tick:
                    if ContinuousClock.now - lastWrite >= keepAlive { try await send(ServerSentEvents.keepAlive) }
                }
            }
            if logOutput { logger.debug("completion", metadata: ["choices": "\(texts.map(\.text))"]) }
            if includeUsage {
                let usage = CompletionUsage(
                    promptTokens: promptTokens, completionTokens: completionTokens.reduce(0, +),
                    promptTokensDetails: .init(cachedTokens: cached))
                try await send(try data(format.usage(usage)))
            }
            try await send(done)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
