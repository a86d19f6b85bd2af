import Foundation
import Hummingbird
import OpenAIAPI

/// `POST /v1/edits`, OpenAI's legacy edits API: the instruction and the input become one user message
/// rendered with the model's chat template (and the request's text-generation-webui options), and the
/// answer is the edited text.
struct EditsController {
    let context: GenerationContext

    var routes: [Route] {
        [Route(.post, "/v1/edits") { request, requestContext in try await edit(request, requestContext) }]
    }

    /// The user message: the instruction, then the input after a blank line.
    static func message(_ body: EditRequest) -> String {
        guard let input = body.input, !input.isEmpty else { return body.instruction }
        return body.instruction + "\n\n" + input
    }

    private func edit(_ request: Request, _ requestContext: SwiftletRequestContext) async throws -> Response {
        let body = try await context.decode(EditRequest.self, request, requestContext)
        guard !body.instruction.allSatisfy(\.isWhitespace) else {
            throw ServerError.badRequest(message: "'instruction' must say what to do with the input.", param: "instruction")
        }
        let (model, summary) = try await context.manager.generationModel(requested: body.model)
        var chat = ChatCompletionRequest(model: summary.id, messages: [ChatMessage(role: .user, content: .text(Self.message(body)))])
        chat.generation = body.generation
        let plan = try GenerationPlan.resolve(
            sampling: SamplingRequest(temperature: body.temperature, topP: body.topP, presencePenalty: nil,
                                      frequencyPenalty: nil, logitBias: nil, generation: body.generation),
            maxTokens: body.maxTokens.flatMap { $0 == 0 ? nil : $0 } ?? ChatCompletionsController.defaultMaxTokens,
            stop: nil, n: body.n, stream: false,
            streamOptions: nil, topLogprobs: nil, promptLogprobs: false, model: model)
        let (prompt, jobs) = try plan.chatJobs(try context.prompts.turn(for: chat, model: model).prompt, model: model,
                                               param: "input")
        let feed = try context.runner.start(jobs, model: model, streaming: false, requestID: requestContext.requestID,
                                            param: "input",
                                            disconnected: { [requestContext] in await requestContext.clientDisconnected() })
        let outputs = try await context.runner.collect(feed, choices: plan.n, requestID: requestContext.requestID,
                                                       param: "input", logger: requestContext.logger,
                                                       logOutput: context.logBodies)
        return try .json(EditResponse(
            created: Int(Date().timeIntervalSince1970),
            choices: outputs.enumerated().map { EditResponse.Choice(text: $1.text, index: $0) },
            usage: CompletionUsage(promptTokens: prompt.count, outputs: outputs, firstChoicesOfPrompts: [0])))
    }
}
