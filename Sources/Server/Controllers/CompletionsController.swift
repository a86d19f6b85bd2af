import Engine
import Foundation
import Hummingbird
import Logging
import OpenAIAPI
import Synchronization
import Tokenizers

/// `POST /v1/completions` (also `/completions`, and the legacy `/v1/engines/{id}/completions`): continue
/// raw prompts, without a chat template.
struct CompletionsController {
    let context: GenerationContext

    /// OpenAI's and text-generation-webui's default `max_tokens` for text completions.
    static let defaultMaxTokens = 16
    /// OpenAI's limit on `logprobs` for text completions.
    static let maxLogprobs = 5

    var routes: [Route] {
        ["/v1/completions", "/completions"].map { path in
            Route(.post, path) { request, requestContext in try await complete(request, requestContext, engine: nil) }
        } + [
            Route(.post, "/v1/engines/{id}/completions") { request, requestContext in
                let id = requestContext.parameters.get("id") ?? ""
                return try await complete(request, requestContext, engine: id.removingPercentEncoding ?? id)
            },
        ]
    }

    /// One prompt of the request, tokenized and fitted to the context.
    struct Prompt {
        var text: String
        var tokens: [Int32]
        var addedBOS: Bool
    }

    func complete(_ request: Request, _ requestContext: SwiftletRequestContext, engine: String?) async throws -> Response {
        let body = try await context.decode(CompletionRequest.self, request, requestContext)
        try Self.rejectUnsupported(body)
        let (model, summary) = try await context.manager.generationModel(requested: engine ?? body.model)
        let echo = body.echo ?? false
        let maxTokens = body.maxTokens ?? Self.defaultMaxTokens
        if let logprobs = body.logprobs, !(0...Self.maxLogprobs).contains(logprobs) {
            throw ServerError.badRequest(
                message: "Invalid value for 'logprobs': expected an integer from 0 to \(Self.maxLogprobs), got \(logprobs).",
                param: "logprobs")
        }
        let plan = try GenerationPlan.resolve(
            sampling: SamplingRequest(temperature: body.temperature, topP: body.topP,
                                      presencePenalty: body.presencePenalty, frequencyPenalty: body.frequencyPenalty,
                                      logitBias: body.logitBias, generation: body.generation),
            maxTokens: maxTokens, stop: body.stop, n: body.n, stream: body.stream, streamOptions: body.streamOptions,
            topLogprobs: body.logprobs, promptLogprobs: echo && body.logprobs != nil, model: model)
        if maxTokens == 0 && plan.stream {
            throw ServerError.badRequest(message: "'max_tokens' 0 is only supported without streaming.",
                                         param: "max_tokens")
        }
        let prompts = try Self.prompts(body.prompt, plan: plan, model: model)
        let promptTokens = prompts.reduce(0) { $0 + $1.tokens.count }
        let id = ResponseID.completion()
        let created = Int(Date().timeIntervalSince1970)
        let choiceCount = prompts.count * plan.n
        let promptOf = { (choice: Int) in prompts[choice / plan.n] }

        // max_tokens 0 only scores (echo + logprobs) or returns the prompt; nothing is generated.
        let needsEngine = maxTokens > 0 || plan.base.promptLogprobs
        var outputs: [ChoiceOutput]
        if needsEngine {
            let jobs = (0..<choiceCount).map { choice in
                let prompt = promptOf(choice)
                return GenerationJob(prompt: prompt.tokens, options: plan.options(
                    choice: choice % plan.n, promptTokens: prompt.tokens.count, contextLength: model.contextLength))
            }
            let feed = try context.runner.start(jobs, model: model, streaming: plan.stream,
                                                requestID: requestContext.requestID, param: "prompt",
                                                disconnected: { [requestContext] in await requestContext.clientDisconnected() })
            if plan.stream {
                let format = CompletionStreamFormat(
                    id: id, created: created, model: summary.id, echo: echo, logprobs: body.logprobs != nil,
                    prompts: prompts.map { ($0.text, $0.addedBOS) }, choicesPerPrompt: plan.n,
                    usage: .pending(includeUsage: plan.includeUsage), tokenizer: model.tokenizer)
                return ServerSentEvents.response(
                    feed: feed, format: format, choices: choiceCount, promptTokens: promptTokens,
                    includeUsage: plan.includeUsage, maxTokensPerSecond: plan.maxTokensPerSecond,
                    keepAlive: context.runner.keepAlive, requestID: requestContext.requestID, param: "prompt",
                    logger: requestContext.logger, logOutput: context.logBodies)
            }
            outputs = try await context.runner.collect(feed, choices: choiceCount, requestID: requestContext.requestID,
                                                       param: "prompt", logger: requestContext.logger,
                                                       logOutput: context.logBodies)
        } else {
            outputs = Array(repeating: ChoiceOutput(), count: choiceCount)
        }
        if maxTokens == 0 {
            // The one token generated to reach the prompt's logprobs is not part of the answer.
            for index in outputs.indices {
                outputs[index].text = ""
                outputs[index].tokens = []
                outputs[index].completionTokens = 0
                outputs[index].finishReason = .length
            }
        }

        let choices = outputs.enumerated().map { index, output in
            let prompt = promptOf(index)
            var logprobs: CompletionLogprobs?
            if body.logprobs != nil {
                var builder = CompletionLogprobsBuilder(tokenizer: model.tokenizer)
                if echo, let promptLogprobs = output.prompt {
                    builder.add(prompt: promptLogprobs, addedBOS: prompt.addedBOS)
                    builder.move(to: prompt.text.unicodeScalars.count)
                }
                builder.add(generated: output.tokens)
                logprobs = builder.result
            }
            return CompletionChoice(text: (echo ? prompt.text : "") + output.text, index: index, logprobs: logprobs,
                                    finishReason: output.finishReason)
        }
        let firstChoices = stride(from: 0, to: choiceCount, by: plan.n).map { $0 }
        return try .json(Completion(
            id: id, created: created, model: summary.id, choices: choices,
            usage: CompletionUsage(promptTokens: promptTokens, outputs: outputs, firstChoicesOfPrompts: firstChoices)))
    }

    // MARK: - Resolving

    /// Every prompt form as token lists: texts are tokenized like chat prompts (special tokens parsed,
    /// BOS as the tokenizer wants), token ids are used as given.
    static func prompts(_ prompt: CompletionPrompt, plan: GenerationPlan, model: LoadedModel) throws(ServerError) -> [Prompt] {
        let tokenizer = model.tokenizer
        let vocabulary = model.model.hyperparameters.vocabularySize
        func fromText(_ text: String, param: String) throws(ServerError) -> Prompt {
            let (tokens, added) = plan.tokenize(text, tokenizer: tokenizer)
            return Prompt(text: text, tokens: try fit(tokens, param: param), addedBOS: added)
        }
        func fromTokens(_ ids: [Int], param: String) throws(ServerError) -> Prompt {
            guard !ids.isEmpty else {
                throw .badRequest(message: "'\(param)' is empty: there is nothing to continue.", param: param)
            }
            var tokens: [Int32] = []
            for (index, id) in ids.enumerated() {
                guard id >= 0, id < vocabulary else {
                    throw .badRequest(message: "Invalid token id \(id) at '\(param).\(index)': the vocabulary has \(vocabulary) tokens.",
                                      param: "\(param).\(index)")
                }
                tokens.append(Int32(id))
            }
            let fitted = try fit(tokens, param: param)
            return Prompt(text: tokenizer.decode(fitted, skipSpecial: plan.base.skipSpecialTokens), tokens: fitted,
                          addedBOS: false)
        }
        func fit(_ tokens: [Int32], param: String) throws(ServerError) -> [Int32] {
            guard !tokens.isEmpty else {
                throw .badRequest(message: "'\(param)' is empty: there is nothing to continue.", param: param)
            }
            return try plan.fit(tokens, contextLength: model.contextLength, bos: tokenizer.bos, param: param)
        }
        switch prompt {
        case let .text(text):
            return [try fromText(text, param: "prompt")]
        case let .texts(texts):
            guard !texts.isEmpty else { throw .badRequest(message: "'prompt' must not be an empty array.", param: "prompt") }
            return try texts.enumerated().map { index, text throws(ServerError) in
                try fromText(text, param: texts.count == 1 ? "prompt" : "prompt.\(index)")
            }
        case let .tokens(ids):
            return [try fromTokens(ids, param: "prompt")]
        case let .tokenBatches(batches):
            guard !batches.isEmpty else { throw .badRequest(message: "'prompt' must not be an empty array.", param: "prompt") }
            return try batches.enumerated().map { index, ids throws(ServerError) in
                try fromTokens(ids, param: "prompt.\(index)")
            }
        }
    }

    static func rejectUnsupported(_ body: CompletionRequest) throws(ServerError) {
        if let suffix = body.suffix, !suffix.isEmpty {
            throw SamplingResolver.unsupported("suffix", "fill-in-the-middle completions are not supported")
        }
        if let bestOf = body.bestOf, bestOf != (body.n ?? 1), bestOf != 1 {
            throw SamplingResolver.unsupported(
                "best_of", "choosing the best of several completions is not supported; send best_of equal to n")
        }
    }
}

/// Text completion chunks: the echoed prompt (if asked), text pieces, and a finish chunk with empty
/// text. Keeps each choice's running character offset for `text_offset`.
final class CompletionStreamFormat: StreamFormat {
    let id: String
    let created: Int
    let model: String
    let echo: Bool
    let logprobs: Bool
    /// Each prompt's text and whether the server prepended BOS to it.
    let prompts: [(text: String, addedBOS: Bool)]
    let choicesPerPrompt: Int
    let usage: ChunkUsage
    let tokenizer: Tokenizer
    private let offsets: Mutex<[Int: Int]> = Mutex([:])

    init(id: String, created: Int, model: String, echo: Bool, logprobs: Bool, prompts: [(text: String, addedBOS: Bool)],
         choicesPerPrompt: Int, usage: ChunkUsage, tokenizer: Tokenizer) {
        self.id = id
        self.created = created
        self.model = model
        self.echo = echo
        self.logprobs = logprobs
        self.prompts = prompts
        self.choicesPerPrompt = choicesPerPrompt
        self.usage = usage
        self.tokenizer = tokenizer
    }

    var opensEagerly: Bool { false }

    func opening(choice: Int, prompt: [PromptToken]?) -> CompletionChunk? {
        guard echo else { return nil }
        let (text, addedBOS) = prompts[choice / choicesPerPrompt]
        var wire: CompletionLogprobs?
        if logprobs {
            var builder = CompletionLogprobsBuilder(tokenizer: tokenizer)
            builder.add(prompt: prompt ?? [], addedBOS: addedBOS)
            wire = builder.result
        }
        offsets.withLock { $0[choice] = text.unicodeScalars.count }
        return chunk(CompletionChoice(text: text, index: choice, logprobs: wire, finishReason: nil))
    }

    func content(choice: Int, text: String, tokens: [GeneratedToken]) -> [CompletionChunk] {
        var wire: CompletionLogprobs?
        if logprobs {
            let start = offsets.withLock { $0[choice] ?? 0 }
            var builder = CompletionLogprobsBuilder(tokenizer: tokenizer, offset: start)
            builder.add(generated: tokens)
            wire = builder.result
        }
        offsets.withLock { $0[choice, default: 0] += text.unicodeScalars.count }
        return [chunk(CompletionChoice(text: text, index: choice, logprobs: wire, finishReason: nil))]
    }

    func finish(choice: Int, reason: CompletionFinishReason) -> [CompletionChunk] {
        [chunk(CompletionChoice(text: "", index: choice, logprobs: nil, finishReason: reason))]
    }

    func usage(_ usage: CompletionUsage) -> CompletionChunk {
        .usageChunk(id: id, created: created, model: model, usage: usage)
    }

    private func chunk(_ choice: CompletionChoice) -> CompletionChunk {
        CompletionChunk(id: id, created: created, model: model, choices: [choice], usage: usage)
    }
}
