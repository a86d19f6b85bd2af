import Foundation
import OpenAIAPI
import Templates

/// A request's tools as the prompt and the parser use them: which functions are declared, how the
/// template hears of them, and what starts the answer when a call is required.
struct ToolPolicy {
    /// The tools, validated; empty when the request has none or `tool_choice` is `"none"`.
    var tools: [ChatTool]
    var choice: ChatToolChoice
    var parallel: Bool

    var isActive: Bool { !tools.isEmpty }
    var names: Set<String> { Set(tools.map(\.function.name)) }

    /// The three ways models write calls, by what their templates teach.
    enum Format {
        /// `<tool_call>{…}</tool_call>` (also what Swiftlet teaches templates that know no tools).
        case hermes
        /// `[TOOL_CALLS][…]`.
        case mistral
        /// A bare JSON object (Llama 3.x).
        case json

        init(template: String) {
            if template.contains("<tool_call>") {
                self = .hermes
            } else if template.contains("[TOOL_CALLS]") {
                self = .mistral
            } else if template.contains("tools") {
                self = .json
            } else {
                self = .hermes
            }
        }
    }

    /// Validates `tools` and `tool_choice` (400s name the parameter).
    init(_ request: ChatCompletionRequest) throws(ServerError) {
        let tools = request.tools ?? []
        choice = request.toolChoice ?? (tools.isEmpty ? .disabled : .auto)
        parallel = request.parallelToolCalls ?? true
        var seen: Set<String> = []
        for (index, tool) in tools.enumerated() {
            guard tool.type == "function" else {
                throw .badRequest(message: "Invalid value for 'tools.\(index).type': only 'function' tools are supported, "
                                  + "got '\(tool.type)'.", param: "tools.\(index).type")
            }
            let name = tool.function.name
            guard Self.isValidName(name) else {
                throw .badRequest(message: "Invalid value for 'tools.\(index).function.name': names are 1 to 64 letters, "
                                  + "digits, underscores or dashes, got '\(name)'.", param: "tools.\(index).function.name")
            }
            guard seen.insert(name).inserted else {
                throw .badRequest(message: "Invalid value for 'tools.\(index).function.name': '\(name)' is declared twice.",
                                  param: "tools.\(index).function.name")
            }
        }
        switch choice {
        case .required where tools.isEmpty:
            throw .badRequest(message: "'tool_choice' is 'required' but no 'tools' were given.", param: "tool_choice")
        case let .function(name) where !seen.contains(name):
            throw .badRequest(message: "Invalid value for 'tool_choice': '\(name)' is not among the declared tools.",
                              param: "tool_choice")
        default:
            break
        }
        self.tools = choice == .disabled ? [] : tools
    }

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count)
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
    }

    /// The tools as chat templates read them: `{"type": "function", "function": {name, description, parameters}}`.
    var templateValues: [TemplateValue] {
        tools.map { tool in
            var function: [(String, TemplateValue)] = [("name", .string(tool.function.name))]
            if let description = tool.function.description { function.append(("description", .string(description))) }
            function.append(("parameters", tool.function.parameters.map(ChatPromptResolver.templateValue)
                             ?? .object([("type", .string("object")), ("properties", .object([]))])))
            return .object([("type", .string("function")), ("function", .object(function))])
        }
    }

    /// A system-prompt paragraph that teaches a model whose template knows no tools to call them in the
    /// Hermes format.
    var instructions: String {
        let schemas = tools.compactMap { tool -> String? in
            var function: [String: JSONValue] = ["name": .string(tool.function.name)]
            if let description = tool.function.description { function["description"] = .string(description) }
            function["parameters"] = tool.function.parameters ?? .object(["type": .string("object")])
            return JSONValue.object(["type": .string("function"), "function": .object(function)]).compactText
        }
        return """
            You may call functions to answer. These are the functions, as JSON:
            <tools>
            \(schemas.joined(separator: "\n"))
            </tools>
            To call functions, reply with one block per call and nothing else, each holding a JSON object \
            with the function's name and its arguments:
            <tool_call>
            {"name": "function_name", "arguments": {"argument": "value"}}
            </tool_call>
            """
    }

    /// What the answer starts with to force a call (`tool_choice` `"required"` or a named function),
    /// in `format`; empty when the model chooses. It ends where a token boundary is natural (no
    /// trailing space or newline), so the model's next token is one it would write anyway.
    func prefill(_ format: Format) -> String {
        let opening = switch format {
        case .hermes: "<tool_call>\n{\"name\":"
        case .mistral: "[TOOL_CALLS][{\"name\":"
        case .json: "{\"name\":"
        }
        switch choice {
        case let .function(name):
            let quoted = JSONValue.string(name).compactText ?? "\"\(name)\""
            return opening + " \(quoted), \"\(format == .json ? "parameters" : "arguments")\":"
        case .required:
            return opening
        case .auto, .disabled:
            return ""
        }
    }
}
