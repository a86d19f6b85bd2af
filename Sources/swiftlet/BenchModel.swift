import ArgumentParser
import Engine
import Foundation
import Kernels
import Models

/// `swiftlet bench --model M -p 512 -n 128 -t 2`: prompt-processing and generation speed in the shape
/// of llama-bench's table, so the two can be compared line by line.
struct BenchModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Prefill (pp) and decode (tg) tokens per second, like llama-bench.")

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: [.customShort("p"), .long], help: "Prompt tokens per prefill test (0 skips it).")
    var promptTokens = 512
    @Option(name: [.customShort("n"), .long], help: "Tokens generated per decode test (0 skips it).")
    var genTokens = 128
    @Option(name: [.customShort("t"), .long], help: "Threads.")
    var threads = 2
    @Option(name: [.customShort("b"), .long], help: "Prompt tokens per forward step.")
    var batchSize = 256
    @Option(name: [.customShort("r"), .long], help: "Repetitions (after one warm-up).")
    var repetitions = 3
    @Option(help: "KV cache type: f16 or f32.")
    var cacheType = "f16"

    func run() throws {
        guard threads > 0, batchSize > 0, repetitions > 0, promptTokens >= 0, genTokens >= 0 else {
            throw ValidationError("-t, -b and -r must be positive; -p and -n not negative")
        }
        guard let type = KVCacheType(rawValue: cacheType) else { throw ValidationError("--cache-type must be f16 or f32") }
        let entry = try modelOptions.resolve()
        let opened = ContinuousClock.now
        let model = try LoadedModel(path: entry.path, name: entry.id,
                                    options: ModelLoadOptions(threads: threads, contextLength: max(promptTokens, genTokens, 1) + 1,
                                                              cacheType: type, batchSize: batchSize))
        let sequence = try model.model.makeSequence(contextLength: model.contextLength, cacheType: type, batchSize: batchSize)
        try model.model.forward([model.tokenizer.bos ?? 0], in: sequence, logits: .last)
        let firstToken = seconds(ContinuousClock.now - opened)

        var generator = SystemRandomNumberGenerator()
        let vocabulary = Int32(model.model.hyperparameters.vocabularySize)
        print("| model | size | params | threads | test | t/s |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        let size = String(format: "%.2f MiB", Double(model.file.fileSize) / 1_048_576)
        let params = String(format: "%.2f M", Double(parameterCount(model)) / 1e6)
        if promptTokens > 0 {
            let speeds = try measure {
                let tokens = (0..<promptTokens).map { _ in Int32.random(in: 0..<vocabulary, using: &generator) }
                try sequence.rewind(to: 0)
                let start = ContinuousClock.now
                try model.model.forward(tokens, in: sequence, logits: .last)
                return Double(promptTokens) / seconds(ContinuousClock.now - start)
            }
            print("| \(entry.id) | \(size) | \(params) | \(threads) | pp\(promptTokens) | \(format(speeds)) |")
        }
        if genTokens > 0 {
            let speeds = try measure {
                try sequence.rewind(to: 0)
                let start = ContinuousClock.now
                for _ in 0..<genTokens {
                    try model.model.forward([Int32.random(in: 0..<vocabulary, using: &generator)], in: sequence, logits: .last)
                }
                return Double(genTokens) / seconds(ContinuousClock.now - start)
            }
            print("| \(entry.id) | \(size) | \(params) | \(threads) | tg\(genTokens) | \(format(speeds)) |")
        }
        print(String(format: "\nmodel open to first token: %.3f s; KV cache %.1f MiB; peak RSS %.1f MiB (file %.1f MiB)",
                     firstToken, Double(sequence.cacheBytes) / 1_048_576, peakResidentMiB(),
                     Double(model.file.fileSize) / 1_048_576))
    }

    /// One warm-up, then `repetitions` timed runs.
    private func measure(_ run: () throws -> Double) throws -> [Double] {
        _ = try run()
        return try (0..<repetitions).map { _ in try run() }
    }

    private func format(_ values: [Double]) -> String {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(1, values.count - 1))
        return String(format: "%.2f ± %.2f", mean, variance.squareRoot())
    }

    private func parameterCount(_ model: LoadedModel) -> Int {
        model.file.tensors.reduce(0) { $0 + $1.elementCount }
    }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// The process's peak resident set (VmHWM), in MiB; 0 where /proc is unavailable.
func peakResidentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}
