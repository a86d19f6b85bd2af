// Reading text-generation-webui's request fields (as sent to its OpenAI-compatible API) into options.
extension PromptOptions {
    /// Options from a request body's extra fields: `mode`, `instruction_template`,
    /// `instruction_template_str`, `chat_template_str`, `character`, `name1`, `name2`, `context`,
    /// `greeting`, `user_bio`, `chat_instruct_command` (or `chat-instruct_command`), `continue_`, and
    /// template variables such as `enable_thinking`. Unknown modes are a `TemplateError.invalidOption`
    /// naming the value. Fields the body lacks keep their defaults.
    public init(request body: [String: TemplateValue]) throws {
        self.init()
        func string(_ key: String) -> String? {
            if case let .string(s)? = body[key], !s.isEmpty { return s }
            return nil
        }
        if let mode = string("mode") {
            guard let m = PromptMode(rawValue: mode) else {
                throw TemplateError.invalidOption("unknown mode '\(mode)': use instruct, chat or chat-instruct")
            }
            self.mode = m
        }
        instructionTemplate = string("instruction_template")
        instructionTemplateStr = string("instruction_template_str")
        chatTemplateStr = string("chat_template_str")
        character = string("character")
        name1 = string("name1")
        name2 = string("name2")
        context = string("context")
        greeting = string("greeting")
        userBio = string("user_bio")
        chatInstructCommand = string("chat_instruct_command") ?? string("chat-instruct_command")
        continueLastMessage = body["continue_"]?.isTruthy ?? false
        for key in ["enable_thinking", "reasoning_effort", "documents", "date_string"] {
            if let v = body[key] { extra[key] = v }
        }
    }
}
