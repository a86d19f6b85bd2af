import Engine
import Foundation
import OpenAIAPI
import Templates

/// A chat request's prompt and how its answers are split into reasoning, text and tool calls.
struct ChatTurn {
    var prompt: ChatPrompt
    var splitter: ChatOutputSplitter
}

/// Chat messages → prompt text and stop strings, through text-generation-webui's prompt builder with
/// the model's own chat template (GGUF `tokenizer.chat_template`) unless the request picks another
/// (`instruction_template`, `instruction_template_str`, `mode`).
struct ChatPromptResolver: Sendable {
    let builder: ChatPromptBuilder

    init(dataDirectory: URL) {
        builder = ChatPromptBuilder(
            instructionTemplatesDirectory: dataDirectory.appendingPathComponent("instruction-templates"),
            charactersDirectory: dataDirectory.appendingPathComponent("characters"))
    }

    /// The prompt for `request` and the splitter its answers go through.
    ///
    /// Active tools reach the template as `tools` when it uses them; otherwise a system paragraph
    /// teaches the Hermes call format. A required or named call is forced by starting the answer with
    /// the format's opening, which the splitter parses along with what the model adds.
    func turn(for request: ChatCompletionRequest, model: LoadedModel) throws(ServerError) -> ChatTurn {
        guard !request.messages.isEmpty else {
            throw .badRequest(message: "'messages' must contain at least one message.", param: "messages")
        }
        var messages = try request.messages.enumerated().map { index, message throws(ServerError) in
            try Self.templateMessage(message, index: index)
        }
        let tools = try ToolPolicy(request)
        let options = options(for: request, model: model)
        do {
            var templateTools: [TemplateValue]?
            var format = ToolPolicy.Format.hermes
            if tools.isActive {
                let template = options.mode == .instruct ? try builder.instructionTemplate(for: options).source : ""
                if template.contains("tools") {
                    templateTools = tools.templateValues
                    format = ToolPolicy.Format(template: template)
                } else {
                    messages = Self.addingSystemText(tools.instructions, to: messages)
                }
            }
            var prompt = try builder.build(messages: messages, tools: templateTools, options: options)
            let prefill = options.continueLastMessage ? "" : tools.prefill(format)
            prompt.prompt += prefill
            let splitter = ChatOutputSplitter(
                thinking: ChatOutputSplitter.endsInsideThink(prompt.prompt), declared: tools.names,
                firstCallOnly: !tools.parallel, prefill: prefill)
            return ChatTurn(prompt: prompt, splitter: splitter)
        } catch let error as TemplateError {
            throw Self.translate(error, request: request)
        } catch {
            throw .badRequest(message: "The prompt could not be built: \(error)", param: "messages")
        }
    }

    /// `messages` with `text` at the start of the system message (a new one when there is none).
    static func addingSystemText(_ text: String, to messages: [TemplateValue]) -> [TemplateValue] {
        if case let .dictionary(first)? = messages.first, case .string("system")? = first["role"] {
            var updated = first
            if case let .string(existing)? = first["content"], !existing.isEmpty {
                updated["content"] = .string(existing + "\n\n" + text)
            } else {
                updated["content"] = .string(text)
            }
            return [.dictionary(updated)] + messages.dropFirst()
        }
        return [.object([("role", .string("system")), ("content", .string(text))])] + messages
    }

    private func options(for request: ChatCompletionRequest, model: LoadedModel) -> PromptOptions {
        let chat = request.chat
        var options = PromptOptions()
        if let mode = chat.mode { options.mode = PromptMode(rawValue: mode.rawValue) ?? .instruct }
        options.instructionTemplate = chat.instructionTemplate.nonEmpty
        options.instructionTemplateStr = chat.instructionTemplateStr.nonEmpty
        options.chatTemplateStr = chat.chatTemplateStr.nonEmpty
        options.character = chat.character.nonEmpty
        options.name1 = chat.name1.nonEmpty
        options.name2 = chat.name2.nonEmpty
        options.context = chat.context.nonEmpty
        options.greeting = chat.greeting.nonEmpty
        options.userBio = chat.userBio.nonEmpty
        options.chatInstructCommand = chat.chatInstructCommand.nonEmpty
        options.continueLastMessage = chat.continueLastMessage ?? false
        options.modelTemplate = model.chatTemplate
        options.modelName = model.name
        let tokenizer = model.tokenizer
        options.bosToken = tokenizer.bos.flatMap(tokenizer.tokenString) ?? ""
        options.eosToken = tokenizer.eos.flatMap(tokenizer.tokenString) ?? ""
        for (key, value) in request.chatTemplateKwargs ?? [:] { options.extra[key] = Self.templateValue(value) }
        let g = request.generation
        if let value = g.enableThinking { options.extra["enable_thinking"] = .bool(value) }
        if let value = g.reasoningEffort { options.extra["reasoning_effort"] = .string(value) }
        if let value = g.preserveThinking { options.extra["preserve_thinking"] = .bool(value) }
        return options
    }

    // MARK: - Messages

    /// One message as chat templates expect it: `role`, `content` as text (text parts joined with a
    /// newline), and `name`, `tool_calls` (arguments parsed into objects, as templates index them),
    /// `tool_call_id`, `reasoning_content` when present.
    static func templateMessage(_ message: ChatMessage, index: Int) throws(ServerError) -> TemplateValue {
        // Chat templates know `system`; OpenAI's newer `developer` role means the same.
        let role = message.role == .developer ? "system" : message.role.rawValue
        var pairs: [(String, TemplateValue)] = [("role", .string(role))]
        switch message.content {
        case let .text(text)?:
            pairs.append(("content", .string(text)))
        case let .parts(parts)?:
            var texts: [String] = []
            for (partIndex, part) in parts.enumerated() {
                switch part {
                case let .text(text), let .refusal(text):
                    texts.append(text)
                case .imageURL, .inputAudio, .file:
                    let param = "messages.\(index).content.\(partIndex)"
                    throw .badRequest(
                        message: "Invalid content part '\(part.type)' at '\(param)': this server serves text-only "
                            + "models, so messages may only contain text.",
                        param: param, code: "unsupported_content_part")
                }
            }
            pairs.append(("content", .string(texts.joined(separator: "\n"))))
        case nil:
            pairs.append(("content", message.toolCalls == nil ? .string("") : .none))
        }
        if let name = message.name { pairs.append(("name", .string(name))) }
        if let calls = message.toolCalls {
            pairs.append(("tool_calls", .array(calls.map { call in
                let arguments = (try? TemplateValue(json: call.function.arguments)) ?? .string(call.function.arguments)
                return .object([
                    ("id", .string(call.id)), ("type", .string(call.type)),
                    ("function", .object([("name", .string(call.function.name)), ("arguments", arguments)])),
                ])
            })))
        }
        if let id = message.toolCallID { pairs.append(("tool_call_id", .string(id))) }
        if let reasoning = message.reasoningContent { pairs.append(("reasoning_content", .string(reasoning))) }
        return .object(pairs)
    }

    static func templateValue(_ value: JSONValue) -> TemplateValue {
        switch value {
        case .null: .none
        case let .bool(b): .bool(b)
        case let .integer(i): .int(i)
        case let .number(d): .double(d)
        case let .string(s): .string(s)
        case let .array(items): .array(items.map(templateValue))
        case let .object(fields): .object(fields.sorted { $0.key < $1.key }.map { ($0.key, templateValue($0.value)) })
        }
    }

    /// Template problems are the request's (a template or character it named, or messages the
    /// template refuses, e.g. roles that do not alternate): 400s naming the field.
    static func translate(_ error: TemplateError, request: ChatCompletionRequest) -> ServerError {
        switch error {
        case let .notFound(message):
            let param = message.hasPrefix("character") ? "character" : "instruction_template"
            return .badRequest(message: "\(message.prefix(1).uppercased() + message.dropFirst()).", param: param,
                               code: "not_found")
        case let .invalidOption(message):
            return .badRequest(message: message, param: "mode")
        case let .raised(message, _, _):
            return .badRequest(message: "The chat template refused the messages: \(message)", param: "messages")
        default:
            let param = request.chat.instructionTemplateStr != nil ? "instruction_template_str" : "messages"
            return .badRequest(message: "The chat template failed: \(error.description)", param: param,
                               code: "template_error")
        }
    }
}

extension Optional where Wrapped == String {
    /// nil for nil or "" (text-generation-webui treats empty strings as "not set").
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
