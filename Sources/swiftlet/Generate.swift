import ArgumentParser
import Engine
import Foundation

/// `swiftlet generate`: continue a raw prompt, streaming the text to stdout and the timings to stderr.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue a prompt with a model (raw text, no chat template).")

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: [.customShort("p"), .long], help: "The prompt text.")
    var prompt: String
    @OptionGroup var flags: GenerationFlags
    @Flag(help: "Parse special-token text such as <|im_start|> in the prompt.")
    var special = false

    func run() throws {
        let entry = try modelOptions.resolve()
        let model = try LoadedModel(path: entry.path, name: entry.id, options: try flags.loadOptions())
        let tokens = model.tokenizer.encode(prompt, addSpecial: true, parseSpecial: special)
        try model.generate(prompt: tokens, options: flags.generationOptions()) { event in
            switch event {
            case .prompt: break
            case .token(let token): write(token.text)
            case .finished(let result):
                write(result.trailingText + "\n")
                FileHandle.standardError.write(Data(Self.summary(result).utf8))
            }
        }
    }

    /// The line of counts and speeds printed after a generation.
    static func summary(_ result: GenerationResult) -> String {
        let u = result.usage
        return String(format: "[%d prompt tokens (%d cached) at %.1f t/s, %d generated at %.1f t/s, finish: %@]\n",
                      u.promptTokens, u.cachedPromptTokens, u.promptTokensPerSecond, u.completionTokens,
                      u.decodeTokensPerSecond, result.finishReason.rawValue)
    }
}

/// Writes text to stdout immediately (tokens appear as they are generated).
func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
