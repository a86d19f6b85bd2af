import ArgumentParser
import GGUF

/// `swiftlet inspect FILE`: a GGUF file's metadata and tensor table, like gguf-dump.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a GGUF file's metadata (long arrays summarised) and its tensor table.")

    @Argument(help: "The GGUF file.")
    var file: String
    @Option(help: "Array items shown before an array is summarised.")
    var maxArrayItems = 8

    func run() throws {
        guard maxArrayItems >= 0 else { throw ValidationError("--max-array-items must be >= 0") }
        do {
            print(try GGUFFile(path: file).dump(maxArrayItems: maxArrayItems), terminator: "")
        } catch let error as GGUFError {
            throw CLIError("\(file): \(error)")
        }
    }
}
