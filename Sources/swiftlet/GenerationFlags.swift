import ArgumentParser
import Engine
import Kernels
import Sampling

/// The engine and sampling flags `generate`, `chat` and `bench` share.
struct GenerationFlags: ParsableArguments {
    @Option(name: [.customShort("n"), .long], help: "Most tokens to generate.")
    var maxTokens = 128
    @Option(name: .customLong("temp"), help: "Temperature (0 = greedy).")
    var temperature: Float = 0.8
    @Option(help: "Top-k (0 = off).")
    var topK = 40
    @Option(help: "Top-p (1 = off).")
    var topP: Float = 0.95
    @Option(help: "Min-p (0 = off).")
    var minP: Float = 0.05
    @Option(help: "Repetition penalty (1 = off).")
    var repeatPenalty: Float = 1.0
    @Option(help: "Seed for sampling (default: random).")
    var seed: UInt64?
    @Option(name: [.customShort("t"), .long], help: "Compute threads (default: all cores).")
    var threads = ThreadPool.processorCount()
    @Option(name: .customLong("ctx-size"), help: "Context size (default: the model's, at most 4096).")
    var contextSize: Int?
    @Option(help: "KV cache type: f16 or f32.")
    var cacheType = "f16"
    @Option(help: "A stop string (repeatable).")
    var stop: [String] = []

    func loadOptions() throws -> ModelLoadOptions {
        guard let type = KVCacheType(rawValue: cacheType) else { throw ValidationError("--cache-type must be f16 or f32") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
        if let c = contextSize, c <= 0 { throw ValidationError("--ctx-size must be positive") }
        return ModelLoadOptions(threads: threads, contextLength: contextSize, cacheType: type)
    }

    func generationOptions(extraStops: [String] = []) -> GenerationOptions {
        var sampling = SamplingParameters()
        sampling.temperature = temperature
        sampling.topK = topK
        sampling.topP = topP
        sampling.minP = minP
        sampling.repetitionPenalty = repeatPenalty
        return GenerationOptions(maxTokens: maxTokens, sampling: sampling, seed: seed, stopStrings: stop + extraStops)
    }
}
