import Engine
import Foundation
import Hummingbird
import Logging
import OpenAIAPI
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
                let prompt = try context.prompts.prompt(for: body, model: model)
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
        let chatPrompt = try context.prompts.prompt(for: body, model: model)
        let (tokens, _) = plan.tokenize(chatPrompt.prompt, tokenizer: model.tokenizer)
        let prompt = try plan.fit(tokens, contextLength: model.contextLength, bos: model.tokenizer.bos, param: "messages")
        let jobs = (0..<plan.n).map { choice in
            GenerationJob(prompt: prompt, options: plan.options(
                choice: choice, promptTokens: prompt.count, contextLength: model.contextLength,
                extraStops: chatPrompt.stopStrings))
        }
        let feed = try context.runner.start(jobs, model: model, streaming: plan.stream,
                                            requestID: requestContext.requestID, param: "messages",
                                            disconnected: { [requestContext] in await requestContext.clientDisconnected() })
        let id = ResponseID.chatCompletion()
        let created = Int(Date().timeIntervalSince1970)
        let withLogprobs = plan.base.topLogprobs != nil
        if plan.stream {
            let format = ChatStreamFormat(id: id, created: created, model: summary.id, logprobs: withLogprobs,
                                          usage: .pending(includeUsage: plan.includeUsage), tokenizer: model.tokenizer)
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
            ChatCompletion.Choice(
                index: index, message: .init(content: output.text),
                logprobs: withLogprobs ? ChatLogprobs(tokens: output.tokens, tokenizer: model.tokenizer) : nil,
                finishReason: output.finishReason)
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
        if let tools = body.tools, !tools.isEmpty, body.toolChoice != .disabled {
            throw SamplingResolver.unsupported(
                "tools", "tool calling is not supported yet; leave 'tools' out or send \"tool_choice\": \"none\"")
        }
        if let choice = body.toolChoice, choice != .disabled, body.tools?.isEmpty ?? true {
            throw SamplingResolver.unsupported("tool_choice", "tool calling is not supported yet")
        }
        switch body.responseFormat {
        case nil, .text?:
            break
        case .jsonObject?, .jsonSchema?:
            throw SamplingResolver.unsupported(
                "response_format", "JSON output cannot be enforced yet; only {\"type\": \"text\"} is supported")
        }
    }
}

/// Chat's chunks: a role chunk first, content deltas, a finish chunk with an empty delta.
struct ChatStreamFormat: StreamFormat {
    let id: String
    let created: Int
    let model: String
    let logprobs: Bool
    let usage: ChunkUsage
    let tokenizer: Tokenizer

    var opensEagerly: Bool { true }

    func opening(choice: Int, prompt: [PromptToken]?) -> ChatCompletionChunk? {
        chunk([.init(index: choice, delta: .opening)])
    }

    func content(choice: Int, text: String, tokens: [GeneratedToken]) -> ChatCompletionChunk {
        chunk([.init(index: choice, delta: .init(content: text),
                     logprobs: logprobs ? ChatLogprobs(tokens: tokens, tokenizer: tokenizer) : nil)])
    }

    func finish(choice: Int, reason: CompletionFinishReason) -> ChatCompletionChunk {
        chunk([.init(index: choice, delta: .init(), finishReason: reason)])
    }

    func usage(_ usage: CompletionUsage) -> ChatCompletionChunk {
        .usageChunk(id: id, created: created, model: model, usage: usage)
    }

    private func chunk(_ choices: [ChatCompletionChunk.Choice]) -> ChatCompletionChunk {
        ChatCompletionChunk(id: id, created: created, model: model, choices: choices, usage: usage)
    }
}
