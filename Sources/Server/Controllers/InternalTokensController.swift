import Engine
import Foundation
import Hummingbird
import Models
import OpenAIAPI
import Sampling
import Tokenizers

/// text-generation-webui's token utilities on the loaded model: `POST /v1/internal/encode`, `…/decode`,
/// `…/token-count`, `…/logits`, and `…/stop-generation`.
struct InternalTokensController {
    let context: GenerationContext
    let engine: InferenceEngine
    let registry: GenerationRegistry

    /// text-generation-webui's default number of `top_logits`.
    static let defaultTopLogits = 50

    var routes: [Route] {
        [
            Route(.post, "/v1/internal/encode") { request, requestContext in
                let body = try await context.decode(EncodeRequest.self, request, requestContext)
                let model = try await context.manager.generationModel(requested: nil).model
                return try .json(EncodeResponse(tokens: Self.encode(body.text, model: model).map(Int.init)))
            },
            Route(.post, "/v1/internal/token-count") { request, requestContext in
                let body = try await context.decode(TokenCountRequest.self, request, requestContext)
                let model = try await context.manager.generationModel(requested: nil).model
                return try .json(TokenCountResponse(length: Self.encode(body.text, model: model).count))
            },
            Route(.post, "/v1/internal/decode") { request, requestContext in
                let body = try await context.decode(DecodeRequest.self, request, requestContext)
                let model = try await context.manager.generationModel(requested: nil).model
                let vocabulary = model.tokenizer.vocabularySize
                var ids: [Int32] = []
                for (index, id) in body.tokens.enumerated() {
                    guard id >= 0, id < vocabulary else {
                        throw ServerError.badRequest(
                            message: "Invalid token id \(id) at 'tokens.\(index)': the vocabulary has \(vocabulary) tokens.",
                            param: "tokens.\(index)")
                    }
                    ids.append(Int32(id))
                }
                return try .json(DecodeResponse(text: model.tokenizer.decode(ids, skipSpecial: true)))
            },
            Route(.post, "/v1/internal/logits") { request, requestContext in
                try await logits(request, requestContext)
            },
            Route(.post, "/v1/internal/stop-generation") { _, _ in
                registry.stopAll()
                return try .json("OK")
            },
        ]
    }

    /// Tokens of `text` as text-generation-webui's `encode` gives them: BOS when the tokenizer adds one,
    /// special-token texts parsed.
    static func encode(_ text: String, model: LoadedModel) -> [Int32] {
        model.tokenizer.encode(text, addSpecial: true, parseSpecial: true)
    }

    /// The `top_logits` most likely next tokens after `prompt` with their probabilities, from a fresh
    /// evaluation (on the engine thread, between generations): the raw softmax, or with `use_samplers` the
    /// distribution the request's samplers leave (the prompt is the penalties' history).
    private func logits(_ request: Request, _ requestContext: SwiftletRequestContext) async throws -> Response {
        let body = try await context.decode(InternalLogitsRequest.self, request, requestContext)
        let top = body.topLogits ?? Self.defaultTopLogits
        guard top >= 1 else {
            throw ServerError.badRequest(message: "Invalid value for 'top_logits': expected a positive integer, got \(top).",
                                         param: "top_logits")
        }
        let model = try await context.manager.generationModel(requested: nil).model
        let tokens = Self.encode(body.prompt, model: model)
        guard !tokens.isEmpty else {
            throw ServerError.badRequest(message: "The prompt is empty: there is nothing to continue.", param: "prompt")
        }
        guard tokens.count <= model.contextLength else {
            throw ServerError.contextLengthExceeded(promptTokens: tokens.count, contextLength: model.contextLength,
                                                    param: "prompt")
        }
        let sampler = try body.useSamplers == true ? Self.sampler(for: body, model: model) : nil
        let logits: [Float]
        do {
            logits = try await engine.run {
                let sequence = try model.model.makeSequence(contextLength: tokens.count, cacheType: model.options.cacheType,
                                                            batchSize: model.options.batchSize)
                try model.model.forward(tokens, in: sequence, logits: .last)
                return sequence.logits
            }
        } catch {
            requestContext.logger.error("logits failed", metadata: ["error": "\(String(reflecting: error))"])
            throw ServerError.internalError(requestID: requestContext.requestID)
        }
        let probabilities = if let sampler {
            Self.topProbabilities(sampler.distribution(logits: logits, history: tokens[...]), count: top,
                                  tokenizer: model.tokenizer)
        } else {
            Self.topProbabilities(logits, count: top, tokenizer: model.tokenizer)
        }
        return try .json(InternalLogitsResponse(probabilities: probabilities))
    }

    /// The request's samplers, with the same defaults and validation as a completion's.
    static func sampler(for body: InternalLogitsRequest, model: LoadedModel) throws -> Sampler {
        let vocabulary = model.model.hyperparameters.vocabularySize
        let parameters = try SamplingResolver.resolve(
            SamplingRequest(temperature: body.temperature, topP: body.topP, presencePenalty: body.presencePenalty,
                            frequencyPenalty: body.frequencyPenalty, logitBias: nil, generation: body.generation),
            tokenizer: model.tokenizer, vocabularySize: vocabulary)
        do {
            return try Sampler(parameters: parameters, vocabularySize: vocabulary,
                               endOfGeneration: model.tokenizer.endOfGeneration,
                               seed: SamplingResolver.seed(body.generation.seed, offset: 0) ?? UInt64.random(in: 0...UInt64.max))
        } catch let error as SamplingError {
            throw SamplingResolver.sampling(error)
        }
    }

    /// Softmax of `logits`, the `count` largest, keyed by each token's decoded text.
    static func topProbabilities(_ logits: [Float], count: Int, tokenizer: Tokenizer) -> [String: Double] {
        guard let maximum = logits.max() else { return [:] }
        var sum = 0.0
        for value in logits { sum += Foundation.exp(Double(value - maximum)) }
        let order = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        return topProbabilities(order.map { (Int32($0), Foundation.exp(Double(logits[$0] - maximum)) / sum) },
                                count: count, tokenizer: tokenizer)
    }

    /// The first `count` of `ranked` (best first), keyed by each token's decoded text (a text shared by
    /// several tokens keeps the likelier).
    static func topProbabilities(_ ranked: [(token: Int32, probability: Double)], count: Int,
                                 tokenizer: Tokenizer) -> [String: Double] {
        var result: [String: Double] = [:]
        for entry in ranked.prefix(count) {
            let key = tokenizer.decode([entry.token], skipSpecial: false)
            if result[key] == nil { result[key] = entry.probability }
        }
        return result
    }
}
