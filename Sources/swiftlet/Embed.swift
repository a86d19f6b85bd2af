import ArgumentParser
import Embeddings
import Foundation
import Server

/// `swiftlet embed --model M TEXT…`: sentence embeddings from an embedding model folder.
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the embedding of each text (one JSON array per line), or their cosine similarities.")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The texts to embed.")
    var texts: [String]
    @Flag(help: "Print the matrix of cosine similarities between the texts instead of the vectors.")
    var similarity = false
    @Option(help: "Compute threads (default: all cores).")
    var threads: Int?

    func validate() throws {
        guard !texts.isEmpty else { throw ValidationError("Give at least one text.") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        let entry = try modelOptions.resolve()
        guard entry.kind == .embedding else {
            throw CLIError("'\(entry.id)' is not an embedding model (a folder with model.safetensors); "
                + "chat models embed through the server's /v1/embeddings")
        }
        let vectors = try SentenceEmbedder(folder: entry.path, threads: threads).embed(texts: texts).vectors
        guard similarity else {
            for vector in vectors { print("[" + vector.map { "\($0)" }.joined(separator: ", ") + "]") }
            return
        }
        for (i, a) in vectors.enumerated() {
            let row = vectors.map { b in String(format: "%.4f", cosine(a, b)) }
            print(row.joined(separator: "  ") + "  " + texts[i])
        }
    }

    private func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for (x, y) in zip(a, b) {
            dot += x * y
            na += x * x
            nb += y * y
        }
        return na > 0 && nb > 0 ? dot / (na.squareRoot() * nb.squareRoot()) : 0
    }
}
