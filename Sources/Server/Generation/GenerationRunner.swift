import Engine
import Logging
import OpenAIAPI

/// One choice to generate: its prompt tokens and options.
struct GenerationJob {
    var prompt: [Int32]
    var options: GenerationOptions
}

/// A finished (non-streamed) choice.
struct ChoiceOutput {
    /// The answer text (stop strings removed).
    var text = ""
    /// The tokens behind `text`, for logprobs.
    var tokens: [GeneratedToken] = []
    /// The prompt's tokens with their logprobs (completions with `echo` and `logprobs`).
    var prompt: [PromptToken]?
    var finishReason: CompletionFinishReason = .stop
    var completionTokens = 0
    var cachedPromptTokens = 0
}

/// Queues generations on the engine and reads their events for a response.
struct GenerationRunner: Sendable {
    let engine: InferenceEngine
    let registry: GenerationRegistry
    let keepAlive: Duration

    /// Queues every job (one per choice) together, so a full queue or a bad option is refused before
    /// anything is streamed. The jobs run one after another; the feed reads them in order.
    ///
    /// A streamed response notices a client that went away when a write fails; a non-streamed one
    /// polls `disconnected` and stops its generations when it turns true.
    func start(_ jobs: [GenerationJob], model: LoadedModel, streaming: Bool, requestID: String,
               param: String, disconnected: @escaping @Sendable () async -> Bool) throws(ServerError) -> GenerationFeed {
        let streams: [AsyncThrowingStream<GenerationEvent, Error>]
        do {
            streams = try engine.generate(model: model, choices: jobs.map { ($0.prompt, $0.options) })
        } catch let error as EngineError {
            throw ServerError(error, requestID: requestID, param: param)
        } catch {
            throw .internalError(requestID: requestID)
        }
        let watch: GenerationFeed.Watch = streaming ? .keepAlive(keepAlive) : .disconnection(disconnected)
        return GenerationFeed(streams: streams, watch: watch, registry: registry)
    }

    /// Reads every choice to its end. A stop request (`/v1/internal/stop-generation`) ends the choices
    /// early with what they have so far, as text-generation-webui does.
    /// `logOutput` logs the answers at debug level (`--verbose`; answers are as private as prompts).
    func collect(_ feed: GenerationFeed, choices: Int, requestID: String, param: String,
                 logger: Logger, logOutput: Bool) async throws(ServerError) -> [ChoiceOutput] {
        defer { feed.cancel() }
        var outputs = Array(repeating: ChoiceOutput(), count: choices)
        var texts = Array(repeating: ChoiceText(), count: choices)
        for await item in feed.items {
            switch item {
            case let .event(choice, .prompt(tokens)):
                outputs[choice].prompt = tokens
            case let .event(choice, .token(token)):
                outputs[choice].completionTokens += 1
                if let (piece, tokens) = texts[choice].add(token) {
                    outputs[choice].text += piece
                    outputs[choice].tokens += tokens
                }
            case let .event(choice, .finished(result)):
                if let (piece, tokens) = texts[choice].finish(result) {
                    outputs[choice].text += piece
                    outputs[choice].tokens += tokens
                }
                outputs[choice].finishReason = result.finishReason.wire
                outputs[choice].completionTokens = result.usage.completionTokens
                outputs[choice].cachedPromptTokens = result.usage.cachedPromptTokens
            case .choiceEnded:
                break
            case let .failed(error):
                throw Self.translate(error, requestID: requestID, param: param, logger: logger)
            case .tick:
                break
            }
        }
        if logOutput { logger.debug("completion", metadata: ["choices": "\(outputs.map(\.text))"]) }
        return outputs
    }

    /// A generation failure as the client sees it; unexpected ones are logged with the request id.
    static func translate(_ error: any Error, requestID: String, param: String, logger: Logger) -> ServerError {
        let translated: ServerError = if let error = error as? EngineError {
            ServerError(error, requestID: requestID, param: param)
        } else {
            .internalError(requestID: requestID)
        }
        if case .internalError = translated {
            logger.error("generation failed", metadata: ["error": "\(String(reflecting: error))"])
        }
        return translated
    }
}

extension FinishReason {
    /// `cancelled` only reaches a client when a stop request ended the generation: webui calls that "stop".
    var wire: CompletionFinishReason {
        switch self {
        case .stop, .cancelled: .stop
        case .length: .length
        }
    }
}

// MARK: - Usage

extension CompletionUsage {
    /// Usage of a request: its prompts counted once each, completion tokens over every choice, and the
    /// prompt-cache hits of each prompt's first choice.
    init(promptTokens: Int, outputs: [ChoiceOutput], firstChoicesOfPrompts: [Int]) {
        let cached = firstChoicesOfPrompts.reduce(0) { $0 + outputs[$1].cachedPromptTokens }
        self.init(promptTokens: promptTokens, completionTokens: outputs.reduce(0) { $0 + $1.completionTokens },
                  promptTokensDetails: PromptTokensDetails(cachedTokens: cached))
    }
}
