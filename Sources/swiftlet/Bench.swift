import ArgumentParser
import Embeddings
import Foundation
import Kernels
import Server
import Templates
import Tokenizers

/// `swiftlet bench …`: the speed numbers the README reports, each next to what it is compared with.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure model, kernel, tokenizer, template and embedding speed.",
        subcommands: [BenchModel.self, BenchKernels.self, BenchTokenizer.self, BenchTemplates.self, BenchEmbeddings.self],
        defaultSubcommand: BenchModel.self)
}

struct BenchKernels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "matvec GB/s per weight type (next to measured memory bandwidth) and matmul GFLOP/s.")

    @Option(name: [.customShort("t"), .long], help: "Threads.")
    var threads = 2
    @Option(help: "Weight bytes per matvec matrix in MiB (keep it well above the L3 cache).")
    var matrixMib = 128
    @Option(help: "Activation rows per matmul.")
    var batch = 512

    func run() throws {
        guard threads > 0, matrixMib > 0, batch > 0 else {
            throw ValidationError("--threads, --matrix-mib and --batch must be positive")
        }
        let report = try KernelBenchmark.run(threads: threads, matvecBytes: matrixMib << 20, matmulBatch: batch)
        print(report.formatted())
    }
}

struct BenchTokenizer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Encode throughput in MB/s on a text file (compare with `llama-tokenize -f FILE`).")

    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "The UTF-8 text file to encode.")
    var file: String
    @Option(help: "Timed runs; the best is reported.")
    var runs = 3

    func run() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIError("cannot read \(file)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let tokenizer = try loadTokenizer(modelOptions.resolve())
        let result = TokenizerBenchmark.measure(tokenizer, text: text, runs: runs)
        print(String(format: "%@: %d bytes -> %d tokens in %.3f s: %.2f MB/s",
                     modelOptions.model, result.bytes, result.tokens, result.seconds, result.megabytesPerSecond))
    }
}

struct BenchTemplates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Render time of a 50-message conversation with tools (target: under 5 ms).")

    @Option(help: "A Jinja chat template file to time instead of the built-in tool-calling ChatML template.")
    var template: String?
    @Option(help: "Timed renders.")
    var iterations = 200

    func run() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be positive") }
        let source = try template.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let result = try TemplateBenchmark.run(templateSource: source ?? TemplateBenchmark.defaultTemplate,
                                               iterations: iterations)
        print(String(format: "50 messages + tools: median %.3f ms, min %.3f ms, %d bytes, %d renders",
                     result.medianMilliseconds, result.minMilliseconds, result.outputBytes, result.iterations))
    }
}

struct BenchEmbeddings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embeddings",
        abstract: "Sentences per second at batch sizes 1 and 32 (compare with sentence-transformers).")

    @Option(help: "An embedding model folder name in the models directory, or a path.")
    var model = "all-MiniLM-L6-v2"
    @Option(help: "Directory searched for model names (default: models).")
    var modelsDir = "models"
    @Option(name: [.customShort("t"), .long], help: "Threads.")
    var threads = 2

    func run() throws {
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
        let entry = ModelCatalog.entry(at: model) ?? ModelCatalog(directory: modelsDir).find(model)
        guard let entry, entry.kind == .embedding else {
            throw CLIError("no embedding model '\(model)' (a folder with model.safetensors)")
        }
        let embedder = try SentenceEmbedder(folder: entry.path, threads: threads)
        for measurement in try EmbeddingBenchmark.run(embedder) {
            print(measurement)
        }
    }
}
