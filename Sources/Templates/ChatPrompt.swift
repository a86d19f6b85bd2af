import Foundation

/// How a conversation becomes a prompt, as in text-generation-webui.
public enum PromptMode: String, Sendable, CaseIterable {
    /// The instruction template renders the messages (the default).
    case instruct
    /// A plain "Name: text" transcript under a character's context.
    case chat
    /// The chat transcript wrapped in one instruction ("write the next reply for …") of the instruction template.
    case chatInstruct = "chat-instruct"
}

/// Everything besides messages and tools that shapes a prompt. Defaults match text-generation-webui.
public struct PromptOptions: Sendable {
    /// `instruct` (default), `chat` or `chat-instruct`.
    public var mode: PromptMode = .instruct
    /// A template from the instruction-templates folder, by file name (`"ChatML"`).
    public var instructionTemplate: String?
    /// Inline Jinja that wins over every other template choice.
    public var instructionTemplateStr: String?
    /// The chat-mode transcript template; nil means `PromptOptions.defaultChatTemplate`.
    public var chatTemplateStr: String?
    /// A character file name in the characters folder (chat and chat-instruct modes).
    public var character: String?
    /// The user's name in chat transcripts (default: the character's `your_name`, else "You").
    public var name1: String?
    /// The bot's name (default: the character's name, else "AI").
    public var name2: String?
    /// Replaces the character's context.
    public var context: String?
    /// Replaces the character's greeting.
    public var greeting: String?
    /// Text about the user, placed after the context.
    public var userBio: String?
    /// The chat-instruct wrapper; `<|character|>` becomes the bot's name and `<|prompt|>` the transcript.
    public var chatInstructCommand: String?
    /// Continue the last assistant message instead of starting a new one (webui's `continue_`).
    public var continueLastMessage = false
    /// The chat template stored in the model file (GGUF `tokenizer.chat_template`), if any.
    public var modelTemplate: String?
    /// The model's name, for guessing a template through `model-map.yaml`.
    public var modelName: String?
    /// The model's BOS/EOS token text, for templates that print `bos_token`/`eos_token`.
    public var bosToken = ""
    /// See `bosToken`.
    public var eosToken = ""
    /// More template variables (`enable_thinking`, `documents`, …).
    public var extra: [String: TemplateValue] = [:]
    /// Sandbox bounds for every render this request makes.
    public var limits: SandboxLimits = .default

    /// Options with text-generation-webui's defaults (instruct mode, template chosen automatically).
    public init() {}

    /// text-generation-webui's default chat-instruct command.
    public static let defaultChatInstructCommand =
        "Continue the chat dialogue below. Write a single reply for the character \"<|character|>\".\n\n<|prompt|>"

    /// The default chat transcript: context and user bio, then "Name: text" lines.
    public static let defaultChatTemplate = """
    {%- for message in messages -%}
        {%- if message['role'] == 'system' -%}
            {%- if message['content'] -%}{{- message['content'] + '\\n\\n' -}}{%- endif -%}
            {%- if user_bio -%}{{- user_bio + '\\n\\n' -}}{%- endif -%}
        {%- elif message['role'] == 'user' -%}
            {{- name1 + ': ' + message['content'] + '\\n' -}}
        {%- else -%}
            {{- name2 + ': ' + message['content'] + '\\n' -}}
        {%- endif -%}
    {%- endfor -%}
    """
}

/// A rendered prompt and the strings that should end generation.
public struct ChatPrompt: Sendable, Equatable {
    /// The text to tokenize and continue.
    public var prompt: String
    /// Strings that end generation when the model writes them (the template's turn markers, and in
    /// chat modes `\n<name>:`); merge the request's own `stop` strings in.
    public var stopStrings: [String]
    /// Which instruction template was used: `"inline"`, `"model"`, a file name, or nil in chat mode.
    public var instructionTemplate: String?
}

/// Turns (messages, tools, mode, template choice, options) into prompt text and stop strings; this is
/// what `/v1/internal/chat-prompt` exposes and what chat completions use.
public struct ChatPromptBuilder: Sendable {
    /// The instruction-templates folder.
    public let templates: InstructionTemplateLibrary
    /// The characters folder.
    public let charactersDirectory: URL

    /// A builder over the two data folders (`instruction-templates/` and `characters/` in the repository).
    public init(instructionTemplatesDirectory: URL, charactersDirectory: URL) {
        templates = InstructionTemplateLibrary(directory: instructionTemplatesDirectory)
        self.charactersDirectory = charactersDirectory
    }

    /// The instruction template for these options: inline text, else the named file, else the model's
    /// own template, else a guess from the model name, else Alpaca.
    public func instructionTemplate(for options: PromptOptions) throws -> (name: String, source: String) {
        if let inline = options.instructionTemplateStr, !inline.isEmpty { return ("inline", inline) }
        if let name = options.instructionTemplate, !name.isEmpty { return (name, try templates.source(named: name)) }
        if let model = options.modelTemplate, !model.isEmpty { return ("model", model) }
        if let modelName = options.modelName, let guess = try templates.guess(modelName: modelName) {
            return (guess, try templates.source(named: guess))
        }
        let fallback = InstructionTemplateLibrary.fallbackName
        return (fallback, try templates.source(named: fallback))
    }

    /// Renders `messages` (and `tools`, the function schemas) into a prompt under `options`.
    /// Throws `TemplateError.notFound` for an unknown template or character (a 400 at the API edge) and
    /// any render error of the template itself.
    public func build(messages: [TemplateValue], tools: [TemplateValue]? = nil, options: PromptOptions,
                      now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws -> ChatPrompt {
        switch options.mode {
        case .instruct:
            let (name, source) = try instructionTemplate(for: options)
            let renderer = Renderer(template: try ChatTemplate(source: source, limits: options.limits),
                                    base: baseContext(options, tools: tools), now: now)
            var prompt = try renderer.render(messages, generationPrompt: !options.continueLastMessage)
            if options.continueLastMessage { prompt = renderer.trimAssistantSuffix(prompt) }
            return ChatPrompt(prompt: prompt, stopStrings: Self.merge(renderer.stopStrings()), instructionTemplate: name)
        case .chat, .chatInstruct:
            return try buildChat(messages: messages, tools: tools, options: options, now: now)
        }
    }

    func baseContext(_ options: PromptOptions, tools: [TemplateValue]?) -> [String: TemplateValue] {
        var base: [String: TemplateValue] = ["bos_token": .string(options.bosToken), "eos_token": .string(options.eosToken)]
        base["tools"] = tools.map { .array($0) } ?? TemplateValue.none
        for (k, v) in options.extra { base[k] = v }
        return base
    }

    private func buildChat(messages: [TemplateValue], tools: [TemplateValue]?, options: PromptOptions,
                           now: @escaping @Sendable () -> Double) throws -> ChatPrompt {
        let character = try options.character.flatMap { $0.isEmpty ? nil : try ChatCharacter.load(named: $0, from: charactersDirectory) }
        let name1 = options.name1 ?? character?.yourName ?? "You"
        let name2 = options.name2 ?? character?.name ?? "AI"
        let contextText = ChatCharacter.substitute(options.context ?? character?.context ?? "", user: name1, bot: name2)
        let greeting = ChatCharacter.substitute(options.greeting ?? character?.greeting ?? "", user: name1, bot: name2)

        // The transcript: one system turn (context plus any system messages), the greeting before the
        // first exchange, then the user and assistant turns as plain text.
        var systemParts = contextText.isEmpty ? [] : [contextText]
        var turns: [TemplateValue] = []
        for case let .dictionary(m) in messages {
            let role = m["role"]?.pyStr ?? ""
            let text = Self.text(of: m["content"] ?? .none)
            if role == "system" || role == "developer" {
                if !text.isEmpty { systemParts.append(text) }
            } else if role == "user" || role == "assistant" {
                turns.append(["role": .string(role), "content": .string(text)])
            }
        }
        let hasAssistant = turns.contains { if case let .dictionary(d) = $0 { return d["role"]?.pyStr == "assistant" }; return false }
        if !greeting.isEmpty, !hasAssistant { turns.insert(["role": "assistant", "content": .string(greeting)], at: 0) }
        let transcript: [TemplateValue] = [["role": "system", "content": .string(systemParts.joined(separator: "\n\n"))]] + turns

        var chatBase = baseContext(options, tools: tools)
        chatBase["name1"] = .string(name1)
        chatBase["name2"] = .string(name2)
        chatBase["user_bio"] = .string(options.userBio ?? "")
        let chat = Renderer(template: try ChatTemplate(source: options.chatTemplateStr ?? PromptOptions.defaultChatTemplate,
                                                       limits: options.limits), base: chatBase, now: now)
        var prompt = try chat.render(transcript, generationPrompt: false)
        let prefix = chat.assistantPrefix(trimTrailingSpaces: !options.continueLastMessage)
        if options.continueLastMessage {
            prompt = chat.trimAssistantSuffix(prompt)
        } else {
            prompt += prefix
        }
        let nameStops = ["\n\(name1):", "\n\(name2):"]
        if options.mode == .chat {
            return ChatPrompt(prompt: prompt, stopStrings: Self.merge(chat.stopStrings() + nameStops), instructionTemplate: nil)
        }

        // chat-instruct: the transcript becomes one instruction; the bot's name prefix starts the answer
        // (followed by the unfinished reply when continuing).
        let (name, source) = try instructionTemplate(for: options)
        let instruct = Renderer(template: try ChatTemplate(source: source, limits: options.limits),
                                base: baseContext(options, tools: tools), now: now)
        var shown = transcript
        var answerStart = prefix
        if options.continueLastMessage, case let .dictionary(last)? = turns.last, last["role"]?.pyStr == "assistant" {
            shown.removeLast()
            answerStart = chat.assistantPrefix(trimTrailingSpaces: false) + (last["content"]?.pyStr ?? "")
        }
        let command = (options.chatInstructCommand ?? PromptOptions.defaultChatInstructCommand)
            .replacingOccurrences(of: "<|character|>", with: name2)
            .replacingOccurrences(of: "<|prompt|>", with: try chat.render(shown, generationPrompt: false))
        let outer: [TemplateValue] = [["role": "user", "content": .string(ChatCharacter.substitute(command, user: name1, bot: name2))],
                                      ["role": "assistant", "content": .string(answerStart)]]
        let wrapped = instruct.trimAssistantSuffix(try instruct.render(outer, generationPrompt: false))
        return ChatPrompt(prompt: wrapped, stopStrings: Self.merge(instruct.stopStrings() + nameStops), instructionTemplate: name)
    }

    /// The text of a message's content: a string, or the `text` parts of a content-part list.
    static func text(of content: TemplateValue) -> String {
        switch content {
        case let .string(s): return s
        case let .array(parts):
            return parts.compactMap { part -> String? in
                guard case let .dictionary(d) = part, d["type"]?.pyStr == "text" else { return nil }
                return d["text"]?.pyStr
            }.joined(separator: "\n")
        default: return ""
        }
    }

    /// Drops duplicates and strings that merely extend another stop string (the shorter one fires first).
    static func merge(_ stops: [String]) -> [String] {
        var out: [String] = []
        for s in stops where !s.isEmpty && !out.contains(s) {
            if stops.contains(where: { $0 != s && !$0.isEmpty && s.hasPrefix($0) }) { continue }
            out.append(s)
        }
        return out
    }
}
