import Foundation
import Sampling
import Testing
import TestSupport
@testable import Engine

/// Generation on the real SmolLM2 (the smallest model): greedy, stops, limits, seeds, logprobs,
/// prompt-cache reuse, cancellation and errors.
@Suite(.serialized) struct GenerationTests {
    static let model = Result {
        try LoadedModel(path: TestPaths.model(.smolLM2), name: "smollm2", options: ModelLoadOptions(threads: 2, contextLength: 256))
    }

    static func loaded() throws -> LoadedModel { try model.get() }

    static var greedy: GenerationOptions {
        var options = GenerationOptions(maxTokens: 24)
        options.sampling.temperature = 0
        return options
    }

    /// Runs one generation and collects its events.
    static func run(_ model: LoadedModel, _ prompt: String, _ options: GenerationOptions,
                    cancelAfter: Int? = nil) throws -> (tokens: [GeneratedToken], text: String, result: GenerationResult, prompt: [PromptToken]) {
        var tokens: [GeneratedToken] = [], text = "", result: GenerationResult?, promptTokens: [PromptToken] = []
        let ids = model.tokenizer.encode(prompt, parseSpecial: true)
        try model.generate(prompt: ids, options: options, isCancelled: { cancelAfter.map { tokens.count >= $0 } ?? false }) { event in
            switch event {
            case .prompt(let p): promptTokens = p
            case .token(let t): tokens.append(t); text += t.text
            case .finished(let r): result = r; text += r.trailingText
            }
        }
        return (tokens, text, try #require(result), promptTokens)
    }

    @Test func greedyTextIsTheArgmaxChainAndStopsAtTheLimit() throws {
        let model = try Self.loaded()
        let run = try Self.run(model, "The capital of France is", Self.greedy)
        #expect(run.text.hasPrefix(" Paris."))
        #expect(run.tokens.count == 24 && run.result.finishReason == .length)
        #expect(run.result.usage.completionTokens == 24 && run.result.usage.promptTokens == 5)
        #expect(model.tokenizer.decode(run.tokens.map(\.id)) == run.text)
        // The same request again reuses the cached prompt and gives the same tokens.
        let again = try Self.run(model, "The capital of France is", Self.greedy)
        #expect(again.tokens.map(\.id) == run.tokens.map(\.id))
        #expect(again.result.usage.cachedPromptTokens == 4)
    }

    @Test func aStopStringEndsGenerationAndNoneOfItIsEmitted() throws {
        let model = try Self.loaded()
        let full = try Self.run(model, "The capital of France is", Self.greedy).text
        // Stop on a string from the middle of the greedy text, split over several tokens.
        let stop = String(full.dropFirst(12).prefix(9))
        var options = Self.greedy
        options.stopStrings = ["never-appears", stop]
        let run = try Self.run(model, "The capital of France is", options)
        let before = String(full[..<full.range(of: stop)!.lowerBound])
        #expect(run.text == before)
        #expect(run.result.finishReason == .stop && run.result.stopString == stop)
        #expect(!run.tokens.map(\.text).joined().contains(stop.prefix(2)) || before.contains(stop.prefix(2)))
    }

    @Test func endOfGenerationTokensStopWithoutText() throws {
        let model = try Self.loaded()
        var options = Self.greedy
        options.maxTokens = 200
        let run = try Self.run(model, "<|im_start|>user\nSay hi.<|im_end|>\n<|im_start|>assistant\n", options)
        #expect(run.result.finishReason == .stop)
        #expect(run.result.stopToken.map { model.tokenizer.endOfGeneration.contains($0) } == true)
        #expect(!run.text.contains("<|im_end|>"))
    }

    @Test func theSameSeedGivesTheSameTextAndAnotherSeedUsuallyNot() throws {
        let model = try Self.loaded()
        var options = GenerationOptions(maxTokens: 20, seed: 42)
        options.sampling.temperature = 1.0
        let a = try Self.run(model, "Once upon a time", options)
        let b = try Self.run(model, "Once upon a time", options)
        #expect(a.tokens.map(\.id) == b.tokens.map(\.id))
        var others = 0
        for seed in 1...3 as ClosedRange<UInt64> {
            options.seed = seed
            if try Self.run(model, "Once upon a time", options).tokens.map(\.id) != a.tokens.map(\.id) { others += 1 }
        }
        #expect(others >= 2)
    }

    @Test func logprobsAreNormalisedAndRankedAndGreedyPicksTheTop() throws {
        let model = try Self.loaded()
        var options = Self.greedy
        options.topLogprobs = 5
        options.promptLogprobs = true
        let run = try Self.run(model, "The capital of France is", options)
        for token in run.tokens {
            let logprob = try #require(token.logprob)
            #expect(logprob <= 0)
            #expect(token.topLogprobs.count == 5)
            #expect(token.topLogprobs.first?.id == token.id)
            #expect(abs((token.topLogprobs.first?.logprob ?? 0) - logprob) < 1e-5)
            #expect(zip(token.topLogprobs, token.topLogprobs.dropFirst()).allSatisfy { $0.logprob >= $1.logprob })
            #expect(token.topLogprobs.map { exp(Double($0.logprob)) }.reduce(0, +) <= 1.0001)
        }
        #expect(run.prompt.count == 5 && run.prompt[0].logprob == nil)
        #expect(run.prompt.dropFirst().allSatisfy { ($0.logprob ?? 1) <= 0 && $0.topLogprobs.count == 5 })
        // Scoring the prompt does not change what follows it.
        let plain = try Self.run(model, "The capital of France is", Self.greedy)
        #expect(plain.tokens.map(\.id) == run.tokens.map(\.id))
    }

    @Test func cancellationStopsWithinOneToken() throws {
        let model = try Self.loaded()
        var options = Self.greedy
        options.maxTokens = 100
        let run = try Self.run(model, "Count: 1, 2, 3,", options, cancelAfter: 3)
        #expect(run.tokens.count == 3 && run.result.finishReason == .cancelled)
    }

    @Test func badRequestsAreRefusedClearly() throws {
        let model = try Self.loaded()
        #expect(throws: EngineError.emptyPrompt) { try model.generate(prompt: [], options: Self.greedy) { _ in } }
        #expect(throws: EngineError.contextLengthExceeded(promptTokens: 256, contextLength: 256)) {
            try model.generate(prompt: [Int32](repeating: 28, count: 256), options: Self.greedy) { _ in }
        }
        #expect(throws: EngineError.self) { try model.generate(prompt: [1, 999_999], options: Self.greedy) { _ in } }
        var options = Self.greedy
        options.maxTokens = 0
        #expect(throws: EngineError.invalidOption(name: "max_tokens", reason: "must be at least 1, got 0")) {
            try model.generate(prompt: [1], options: options) { _ in }
        }
        options = Self.greedy
        options.sampling.topP = 2
        #expect(throws: EngineError.self) { try model.generate(prompt: [1], options: options) { _ in } }
        // The model still works after the refusals.
        #expect(try Self.run(model, "The capital of France is", Self.greedy).text.hasPrefix(" Paris."))
    }

    @Test func maxTokensIsClampedToTheContext() throws {
        let model = try Self.loaded()
        var options = Self.greedy
        options.maxTokens = 10_000
        options.sampling.banEOS = true
        let prompt = [Int32](repeating: 28, count: 250)
        var count = 0, finish: FinishReason?
        try model.generate(prompt: prompt, options: options) { event in
            if case .token = event { count += 1 }
            if case .finished(let r) = event { finish = r.finishReason }
        }
        #expect(count == 6 && finish == .length)
    }
}
