import Foundation
import Yams

/// A chat persona from `characters/<Name>.yaml|yml|json`, in text-generation-webui's format or the
/// Pygmalion one (`char_name`, `char_persona`, `char_greeting`, `world_scenario`, `example_dialogue`).
public struct ChatCharacter: Sendable, Equatable {
    /// The bot's name (`name2`).
    public var name: String
    /// The bot's first message, shown before the user speaks.
    public var greeting: String
    /// The description placed at the top of the chat prompt.
    public var context: String
    /// The user's name (`name1`), when the file sets one.
    public var yourName: String?

    /// A character from its parts.
    public init(name: String, greeting: String = "", context: String = "", yourName: String? = nil) {
        self.name = name
        self.greeting = greeting
        self.context = context
        self.yourName = yourName
    }

    /// Loads the character called `name` from `directory`; `TemplateError.notFound` names it when absent.
    public static func load(named name: String, from directory: URL) throws -> ChatCharacter {
        guard !name.isEmpty, !name.contains("/"), !name.contains("\\"), !name.hasPrefix(".") else {
            throw TemplateError.notFound("character '\(name)' not found")
        }
        for ext in ["yaml", "yml", "json"] {
            let url = directory.appendingPathComponent("\(name).\(ext)")
            if let data = FileManager.default.contents(atPath: url.path) {
                return try parse(String(decoding: data, as: UTF8.self), file: url.lastPathComponent)
            }
        }
        throw TemplateError.notFound("character '\(name)' not found")
    }

    /// Parses a character document (YAML, of which JSON is a subset).
    public static func parse(_ text: String, file: String = "character") throws -> ChatCharacter {
        let doc: Any?
        do {
            doc = try Yams.load(yaml: text)
        } catch {
            throw TemplateError.invalidFile("\(file): not valid YAML or JSON (\(error))")
        }
        guard let map = doc as? [String: Any] else { throw TemplateError.invalidFile("\(file): expected a mapping") }
        func string(_ key: String) -> String? {
            guard let v = map[key] else { return nil }
            if let s = v as? String { return s }
            return "\(v)"
        }
        let name = string("name") ?? string("char_name") ?? ""
        guard !name.isEmpty else { throw TemplateError.invalidFile("\(file): no 'name' or 'char_name'") }
        var context = string("context") ?? ""
        if string("context") == nil {
            // Pygmalion files describe the persona in parts; join them the way chat UIs present them.
            var parts: [String] = []
            if let persona = string("char_persona"), !persona.isEmpty { parts.append("\(name)'s Persona: \(persona)") }
            if let scenario = string("world_scenario"), !scenario.isEmpty { parts.append("Scenario: \(scenario)") }
            if let examples = string("example_dialogue"), !examples.isEmpty { parts.append(examples) }
            context = parts.joined(separator: "\n")
        }
        return ChatCharacter(name: name, greeting: string("greeting") ?? string("char_greeting") ?? "",
                         context: context, yourName: string("your_name"))
    }

    /// `{{char}}`/`<BOT>` and `{{user}}`/`<USER>` replaced by the two names.
    static func substitute(_ text: String, user: String, bot: String) -> String {
        text.replacingOccurrences(of: "{{user}}", with: user).replacingOccurrences(of: "{{char}}", with: bot)
            .replacingOccurrences(of: "<USER>", with: user).replacingOccurrences(of: "<BOT>", with: bot)
    }
}
