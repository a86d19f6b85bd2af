import Embeddings
import Engine
import Foundation
import Hummingbird
import OpenAIAPI

/// `POST /v1/embeddings` (also `/embeddings`) and `POST /v1/moderations`.
struct EmbeddingsController {
    let models: EmbeddingModels
    let maxBodySize: Int
    let logBodies: Bool

    /// OpenAI's limit on inputs per request.
    static let maxInputs = 2048

    var routes: [Route] {
        ["/v1/embeddings", "/embeddings"].map { path in
            Route(.post, path) { request, context in try await embeddings(request, context) }
        } + [
            Route(.post, "/v1/moderations") { request, context in try await moderations(request, context) },
        ]
    }

    private func embeddings(_ request: Request, _ context: SwiftletRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(EmbeddingRequest.self, limit: maxBodySize, logBody: logBodies, context: context)
        let inputs = try Self.inputs(body.input)
        let source = try await models.source(for: body.model)
        let result = try await embed(inputs, source: source, context: context)
        let native = result.vectors.first?.count ?? 0
        if let dimensions = body.dimensions, !(1...native).contains(dimensions) {
            throw ServerError.badRequest(
                message: "Invalid value for 'dimensions': this model's vectors have \(native) values, so 1 to \(native); got \(dimensions).",
                param: "dimensions")
        }
        let encoding = body.encodingFormat ?? .float
        let data = result.vectors.enumerated().map { index, vector in
            EmbeddingResponse.Embedding(index: index, embedding: .init(Self.truncate(vector, to: body.dimensions), encoding: encoding))
        }
        return try .json(EmbeddingResponse(data: data, model: body.model.flatMap { $0.isEmpty ? nil : $0 } ?? source.id,
                                           usage: .init(promptTokens: result.totalTokens)))
    }

    private func moderations(_ request: Request, _ context: SwiftletRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(ModerationRequest.self, limit: maxBodySize, logBody: logBodies, context: context)
        let inputs = try Self.inputs(.texts(body.input))
        let (id, embedder) = try await models.defaultEmbedder()
        let vectors = try await embed(inputs, source: .sentence(id: id, embedder), context: context).vectors
        let examples = try await models.moderationExamples(for: id, embedder: embedder)
        let results = vectors.map { Moderation.result(for: $0, examples: examples) }
        return try .json(ModerationResponse(id: ResponseID.moderation(), model: body.model ?? id, results: results))
    }

    private func embed(_ inputs: EmbeddingInputs, source: EmbeddingModels.Source,
                       context: SwiftletRequestContext) async throws -> EmbeddingResult {
        do {
            switch source {
            case let .sentence(_, embedder):
                if case let .tokens(batches) = inputs {
                    try Self.checkRange(batches, vocabulary: embedder.config.vocabularySize)
                }
                return try await models.embed(inputs, with: embedder)
            case let .chat(_, model):
                if case let .tokens(batches) = inputs {
                    try Self.checkRange(batches, vocabulary: model.model.hyperparameters.vocabularySize)
                }
                return try await models.embed(inputs, with: model)
            }
        } catch let error as EngineError {
            throw ServerError(error, requestID: context.requestID, param: "input")
        } catch let error as EmbeddingsError {
            throw ServerError.badRequest(message: "Invalid value for 'input': \(error.description).", param: "input")
        }
    }

    // MARK: - Validation

    /// The inputs of a request: a non-empty list (at most `maxInputs`) of non-empty texts or token lists.
    static func inputs(_ input: CompletionPrompt) throws(ServerError) -> EmbeddingInputs {
        let inputs: EmbeddingInputs = switch input {
        case let .text(text): .texts([text])
        case let .texts(texts): .texts(texts)
        case let .tokens(ids): .tokens([ids.map(Int32.init(clamping:))])
        case let .tokenBatches(batches): .tokens(batches.map { $0.map(Int32.init(clamping:)) })
        }
        guard inputs.count > 0 else {
            throw .badRequest(message: "'input' must not be empty.", param: "input")
        }
        guard inputs.count <= maxInputs else {
            throw .badRequest(message: "'input' has \(inputs.count) items; at most \(maxInputs) are allowed.", param: "input")
        }
        let single = if case .text = input { true } else if case .tokens = input { true } else { false }
        func param(_ index: Int) -> String { single ? "input" : "input.\(index)" }
        switch inputs {
        case let .texts(texts):
            if let index = texts.firstIndex(where: \.isEmpty) {
                throw .badRequest(message: "Invalid value for '\(param(index))': the text is empty.", param: param(index))
            }
        case let .tokens(batches):
            if let index = batches.firstIndex(where: \.isEmpty) {
                throw .badRequest(message: "Invalid value for '\(param(index))': the token list is empty.", param: param(index))
            }
        }
        return inputs
    }

    static func checkRange(_ batches: [[Int32]], vocabulary: Int) throws(ServerError) {
        for (index, ids) in batches.enumerated() {
            if let bad = ids.firstIndex(where: { $0 < 0 || Int($0) >= vocabulary }) {
                let param = batches.count == 1 ? "input.\(bad)" : "input.\(index).\(bad)"
                throw .badRequest(message: "Invalid value for '\(param)': token id \(ids[bad]) is outside the vocabulary "
                                  + "of \(vocabulary) tokens.", param: param)
            }
        }
    }

    /// The first `dimensions` values scaled back to unit length (all of them when nil).
    static func truncate(_ vector: [Float], to dimensions: Int?) -> [Float] {
        guard let dimensions, dimensions < vector.count else { return vector }
        var kept = Array(vector.prefix(dimensions))
        Pooling.normalize(&kept)
        return kept
    }
}

/// Moderation by embedding similarity, in the manner of text-generation-webui: each category has a few
/// example texts; an input's score for a category is its best cosine similarity to them (floored at
/// 0), and a score above `threshold` flags it. A heuristic, not a trained classifier.
enum Moderation {
    static let threshold = 0.5

    static let categories: [(name: String, examples: [String])] = [
        ("harassment", ["You are a worthless idiot and everyone hates you.", "Shut up, you pathetic loser.",
                        "Nobody wants you here, go away and never come back."]),
        ("harassment/threatening", ["I know where you live and I am going to hurt you.", "I will kill you.",
                                    "You had better watch your back, I am coming for you."]),
        ("hate", ["People of that race are inferior and disgusting.", "I hate all immigrants, they ruin everything.",
                  "That religion is evil and its followers are vermin."]),
        ("hate/threatening", ["We should kill all the people of that group.", "Those people deserve to be exterminated.",
                              "Burn down their places of worship and drive them out."]),
        ("illicit", ["How do I steal a car without getting caught?", "How can I make methamphetamine at home?",
                     "Explain how to hack into my neighbor's bank account."]),
        ("illicit/violent", ["How do I build a bomb?", "How can I make a gun that cannot be traced?",
                             "What is the best way to poison someone without being noticed?"]),
        ("self-harm", ["I have been cutting myself again.", "I keep thinking about suicide.",
                       "I starve myself because I hate my body."]),
        ("self-harm/intent", ["I want to kill myself.", "I am going to end my life tonight.",
                              "I plan to hurt myself after everyone goes to sleep."]),
        ("self-harm/instructions", ["What is the most painless way to kill myself?", "How many pills does it take to overdose?",
                                    "Tell me how to cut myself without anyone noticing."]),
        ("sexual", ["Describe in explicit detail how they had sex.", "Send me nude pictures.",
                    "A graphic description of a sexual encounter."]),
        ("sexual/minors", ["Sexual content involving a child.", "An explicit story about a minor and an adult.",
                           "Sexualized pictures of young children."]),
        ("violence", ["He beat the man until he stopped moving.", "They shot the hostages one by one.",
                      "I want to punch him in the face until he bleeds."]),
        ("violence/graphic", ["Blood and guts sprayed everywhere as the body was torn apart.",
                              "His skull was crushed and his brains spilled onto the floor.",
                              "A gory close-up of the mutilated corpse."]),
    ]

    /// Every example text, category after category (the order `result` reads their vectors in).
    static var examples: [String] { categories.flatMap(\.examples) }

    /// The verdict for one input vector against the example vectors (all unit length).
    static func result(for vector: [Float], examples vectors: [[Float]]) -> ModerationResponse.Result {
        var flags: [String: Bool] = [:], scores: [String: Double] = [:]
        var next = 0
        for category in categories {
            let similarities = vectors[next..<next + category.examples.count].map { example in
                zip(vector, example).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            }
            next += category.examples.count
            let score = min(max(similarities.max() ?? 0, 0), 1)
            scores[category.name] = score
            flags[category.name] = score > threshold
        }
        return .init(flagged: flags.values.contains(true), categories: flags, categoryScores: scores)
    }
}
