import ArgumentParser
import GGUF
import Server
import Tokenizers

/// `swiftlet tokenize --model M TEXT`: token ids and pieces, as the engine will see them.
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenize text with a model's tokenizer and print ids and pieces.")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The text to tokenize.")
    var text: String
    @Flag(help: "Parse special tokens written in the text (as chat templates need).")
    var parseSpecial = false
    @Flag(help: "Do not add BOS/EOS even when the model's metadata asks for them.")
    var noAddSpecial = false
    @Flag(help: "Print only the ids, as a JSON array.")
    var ids = false

    func run() throws {
        let tokenizer = try loadTokenizer(modelOptions.resolve())
        let tokens = tokenizer.encode(text, addSpecial: !noAddSpecial, parseSpecial: parseSpecial)
        if ids {
            print("[" + tokens.map(String.init).joined(separator: ", ") + "]")
            return
        }
        for (id, piece) in tokenizer.describe(ids: tokens) {
            print("\(id) -> '\(piece)'")
        }
        print("\(tokens.count) tokens")
    }
}

/// The tokenizer of a GGUF model, or of an embedding model's folder.
func loadTokenizer(_ entry: ModelEntry) throws -> Tokenizer {
    switch entry.kind {
    case .gguf: return try Tokenizer.load(gguf: GGUFFile(path: entry.path))
    case .embedding: return try Tokenizer.loadWordPiece(folder: entry.path)
    }
}
