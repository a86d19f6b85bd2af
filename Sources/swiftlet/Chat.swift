import ArgumentParser
import Engine
import Foundation
import Templates

/// `swiftlet chat`: an interactive conversation on the terminal using the model's chat template.
struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Chat with a model in the terminal (the model's chat template; /reset clears, /quit or EOF ends).")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var flags: GenerationFlags
    @Option(help: "A system message.")
    var system: String?
    @Option(help: "Folder of instruction templates (used when the model has none).")
    var instructionTemplates = "instruction-templates"

    func run() throws {
        let entry = try modelOptions.resolve()
        let model = try LoadedModel(path: entry.path, name: entry.id, options: try flags.loadOptions())
        let builder = ChatPromptBuilder(instructionTemplatesDirectory: URL(fileURLWithPath: instructionTemplates),
                                        charactersDirectory: URL(fileURLWithPath: "characters"))
        var options = PromptOptions()
        options.modelTemplate = model.chatTemplate
        options.modelName = model.name
        options.bosToken = model.tokenizer.bos.flatMap(model.tokenizer.tokenString) ?? ""
        options.eosToken = model.tokenizer.eos.flatMap(model.tokenizer.tokenString) ?? ""
        let start: [TemplateValue] = system.map { [TemplateValue.object([("role", "system"), ("content", .string($0))])] } ?? []
        var messages = start
        FileHandle.standardError.write(Data("Chatting with \(model.name). /reset clears the conversation, /quit ends.\n".utf8))
        while true {
            write("> ")
            guard let line = readLine() else { break }
            if line == "/quit" { break }
            if line == "/reset" { messages = start; continue }
            if line.isEmpty { continue }
            messages.append(.object([("role", "user"), ("content", .string(line))]))
            let prompt = try builder.build(messages: messages, options: options)
            let tokens = model.tokenizer.encode(prompt.prompt, addSpecial: false, parseSpecial: true)
            var reply = ""
            try model.generate(prompt: tokens, options: flags.generationOptions(extraStops: prompt.stopStrings)) { event in
                switch event {
                case .prompt: break
                case .token(let token):
                    reply += token.text
                    write(token.text)
                case .finished(let result):
                    reply += result.trailingText
                    write(result.trailingText + "\n")
                    FileHandle.standardError.write(Data(Generate.summary(result).utf8))
                }
            }
            messages.append(.object([("role", "assistant"), ("content", .string(reply))]))
        }
    }
}
