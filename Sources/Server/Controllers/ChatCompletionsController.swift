import Engine
import Foundation
import Hummingbird
import Logging
import OpenAIAPI
import Synchronization
import Templates
import Tokenizers

/// `POST /v1/chat/completions` (also `/chat/completions`) and text-generation-webui's
/// `POST /v1/internal/chat-prompt`, which renders the prompt without generating.
struct ChatCompletionsController {
    let context: GenerationContext

    /// text-generation-webui's default when `max_tokens` is absent or 0 (OpenAI's is "up to the context").
    static let defaultMaxTokens = 512

    var routes: [Route] {
        ["/v1/chat/completions", "/chat/completions"].map { path in
            Route(.post, path) { request, requestContext in try await complete(request, requestContext) }
        } + [
            Route(.post, "/v1/internal/chat-prompt") { request, requestContext in
                let body = try await context.decode(ChatCompletionRequest.self, request, requestContext)
                let (model, _) = try await context.manager.generationModel(requested: body.model)
                let prompt = try context.prompts.turn(for: body, model: model).prompt
                return try .json(ChatPromptResponse(prompt: prompt.prompt))
            },
        ]
    }

    private func complete(_ request: Request, _ requestContext: SwiftletRequestContext) async throws -> Response {
        let body = try await context.decode(ChatCompletionRequest.self, request, requestContext)
        try Self.rejectUnsupported(body)
        let (model, summary) = try await context.manager.generationModel(requested: body.model)
        let plan = try GenerationPlan.resolve(
            sampling: SamplingRequest(temperature: body.temperature, topP: body.topP,
                                      presencePenalty: body.presencePenalty, frequencyPenalty: body.frequencyPenalty,
                                      logitBias: body.logitBias, generation: body.generation),
            maxTokens: Self.maxTokens(body), stop: body.stop, n: body.n, stream: body.stream,
            streamOptions: body.streamOptions, topLogprobs: try Self.topLogprobs(body), promptLogprobs: false,
            model: model)
        let turn = try context.prompts.turn(for: body, model: model)
        let (prompt, jobs) = try plan.chatJobs(turn.prompt, model: model, param: "messages")
        let feed = try context.runner.start(jobs, model: model, streaming: plan.stream,
                                            requestID: requestContext.requestID, param: "messages",
                                            disconnected: { [requestContext] in await requestContext.clientDisconnected() })
        let id = ResponseID.chatCompletion()
        let created = Int(Date().timeIntervalSince1970)
        let withLogprobs = plan.base.topLogprobs != nil
        if plan.stream {
            let format = ChatStreamFormat(id: id, created: created, model: summary.id, logprobs: withLogprobs,
                                          usage: .pending(includeUsage: plan.includeUsage), tokenizer: model.tokenizer,
                                          splitters: Array(repeating: turn.splitter, count: plan.n))
            return ServerSentEvents.response(
                feed: feed, format: format, choices: plan.n, promptTokens: prompt.count,
                includeUsage: plan.includeUsage, maxTokensPerSecond: plan.maxTokensPerSecond,
                keepAlive: context.runner.keepAlive, requestID: requestContext.requestID, param: "messages",
                logger: requestContext.logger, logOutput: context.logBodies)
        }
        let outputs = try await context.runner.collect(feed, choices: plan.n, requestID: requestContext.requestID,
                                                       param: "messages", logger: requestContext.logger,
                                                       logOutput: context.logBodies)
        let choices = outputs.enumerated().map { index, output in
            let split = ChatOutput.split(output.text, with: turn.splitter)
            let calls = split.calls.map { ChatToolCall(id: ResponseID.toolCall(), function: $0) }
            return ChatCompletion.Choice(
                index: index,
                message: .init(content: calls.isEmpty || !split.content.isEmpty ? split.content : nil,
                               reasoningContent: split.reasoning, toolCalls: calls.isEmpty ? nil : calls),
                logprobs: withLogprobs ? ChatLogprobs(tokens: output.tokens, tokenizer: model.tokenizer) : nil,
                finishReason: calls.isEmpty ? output.finishReason : .toolCalls)
        }
        return try .json(ChatCompletion(
            id: id, created: created, model: summary.id, choices: choices,
            usage: CompletionUsage(promptTokens: prompt.count, outputs: outputs, firstChoicesOfPrompts: [0])))
    }

    // MARK: - Resolving

    static func maxTokens(_ body: ChatCompletionRequest) -> Int {
        // `max_tokens` wins over `max_completion_tokens` as in OpenAI's legacy handling; 0 means "default"
        // in text-generation-webui.
        let requested = body.maxTokens ?? body.maxCompletionTokens
        guard let requested, requested != 0 else { return defaultMaxTokens }
        return requested
    }

    static func topLogprobs(_ body: ChatCompletionRequest) throws(ServerError) -> Int? {
        if let top = body.topLogprobs {
            guard body.logprobs == true else {
                throw .badRequest(message: "'top_logprobs' needs 'logprobs' set to true.", param: "top_logprobs")
            }
            guard (0...20).contains(top) else {
                throw .badRequest(message: "Invalid value for 'top_logprobs': expected an integer from 0 to 20, got \(top).",
                                  param: "top_logprobs")
            }
            return top
        }
        return body.logprobs == true ? 0 : nil
    }

    /// What this server cannot honour yet is refused, naming the parameter, rather than ignored.
    static func rejectUnsupported(_ body: ChatCompletionRequest) throws(ServerError) {
        switch body.responseFormat {
        case nil, .text?:
            break
        case .jsonObject?, .jsonSchema?:
            throw SamplingResolver.unsupported(
                "response_format", "JSON output cannot be enforced yet; only {\"type\": \"text\"} is supported")
        }
    }
}

/// Chat's chunks: a role chunk first, then reasoning and content deltas as each choice's splitter
/// releases them, tool-call deltas when the choice ends, and a finish chunk with an empty delta.
final class ChatStreamFormat: StreamFormat {
    let id: String
    let created: Int
    let model: String
    let logprobs: Bool
    let usage: ChunkUsage
    let tokenizer: Tokenizer

    /// Per choice: its splitter, and the tokens whose text the splitter still holds (sent with the
    /// next piece).
    private struct Choices {
        var splitters: [ChatOutputSplitter]
        var heldTokens: [[GeneratedToken]]
    }

    private let choices: Mutex<Choices>

    init(id: String, created: Int, model: String, logprobs: Bool, usage: ChunkUsage, tokenizer: Tokenizer,
         splitters: [ChatOutputSplitter]) {
        self.id = id
        self.created = created
        self.model = model
        self.logprobs = logprobs
        self.usage = usage
        self.tokenizer = tokenizer
        choices = Mutex(Choices(splitters: splitters, heldTokens: Array(repeating: [], count: splitters.count)))
    }

    var opensEagerly: Bool { true }

    func opening(choice: Int, prompt: [PromptToken]?) -> ChatCompletionChunk? {
        chunk([.init(index: choice, delta: .opening)])
    }

    func content(choice: Int, text: String, tokens: [GeneratedToken]) -> [ChatCompletionChunk] {
        choices.withLock { state in
            state.heldTokens[choice] += tokens
            return chunks(state.splitters[choice].add(text), choice: choice, state: &state)
        }
    }

    func finish(choice: Int, reason: CompletionFinishReason) -> [ChatCompletionChunk] {
        let (pieces, calls, tokens) = choices.withLock { state in
            let (last, calls) = state.splitters[choice].finish()
            return (last, calls, state.heldTokens[choice])
        }
        var chunks = self.chunks(pieces, choice: choice, tokens: tokens)
        if !calls.isEmpty {
            let deltas = calls.enumerated().map { index, call in
                ChatToolCallDelta.start(index: index, id: ResponseID.toolCall(), name: call.name, arguments: call.arguments)
            }
            chunks.append(chunk([.init(index: choice, delta: .init(toolCalls: deltas))]))
        }
        chunks.append(chunk([.init(index: choice, delta: .init(), finishReason: calls.isEmpty ? reason : .toolCalls)]))
        return chunks
    }

    func usage(_ usage: CompletionUsage) -> ChatCompletionChunk {
        .usageChunk(id: id, created: created, model: model, usage: usage)
    }

    private func chunks(_ pieces: [ChatOutputPiece], choice: Int, state: inout Choices) -> [ChatCompletionChunk] {
        let tokens = state.heldTokens[choice]
        if pieces.contains(where: { $0 != .contentWasReasoning }) { state.heldTokens[choice] = [] }
        return chunks(pieces, choice: choice, tokens: tokens)
    }

    /// One chunk per piece; the first carries the logprobs of `tokens`.
    private func chunks(_ pieces: [ChatOutputPiece], choice: Int, tokens: [GeneratedToken]) -> [ChatCompletionChunk] {
        var tokens = tokens
        return pieces.compactMap { piece in
            let delta: ChatCompletionChunk.Delta
            switch piece {
            case let .content(text): delta = .init(content: text)
            case let .reasoning(text): delta = .init(reasoningContent: text)
            case .contentWasReasoning: return nil
            }
            defer { tokens = [] }
            return chunk([.init(index: choice, delta: delta,
                                logprobs: logprobs ? ChatLogprobs(tokens: tokens, tokenizer: tokenizer) : nil)])
        }
    }

    private func chunk(_ choices: [ChatCompletionChunk.Choice]) -> ChatCompletionChunk {
        ChatCompletionChunk(id: id, created: created, model: model, choices: choices, usage: usage)
    }
}
