import Foundation
import Testing
import TestSupport
@testable import Engine

/// The queue in front of the model: order, concurrency, limits and cancellation.
@Suite(.serialized) struct InferenceEngineTests {
    /// Its own instance, so the prompt cache of `GenerationTests`' model is not disturbed.
    static let model = Result {
        try LoadedModel(path: TestPaths.model(.smolLM2), name: "smollm2", options: ModelLoadOptions(threads: 2, contextLength: 256))
    }

    static func loaded() throws -> LoadedModel { try model.get() }

    static func collect(_ stream: AsyncThrowingStream<GenerationEvent, Error>) async throws -> (String, GenerationResult?) {
        var text = "", result: GenerationResult?
        for try await event in stream {
            if case .token(let t) = event { text += t.text }
            if case .finished(let r) = event { result = r; text += r.trailingText }
        }
        return (text, result)
    }

    @Test func concurrentRequestsAllCompleteWithTheirOwnAnswers() async throws {
        let model = try Self.loaded()
        let engine = InferenceEngine(queueLimit: 8)
        let prompts = ["The capital of France is", "1, 2, 3, 4,", "Hello, my name is", "The capital of France is"]
        let texts = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (i, prompt) in prompts.enumerated() {
                let stream = try engine.generate(model: model, prompt: model.tokenizer.encode(prompt), options: GenerationTests.greedy)
                group.addTask { (i, try await Self.collect(stream).0) }
            }
            var texts = [String](repeating: "", count: prompts.count)
            for try await (i, text) in group { texts[i] = text }
            return texts
        }
        #expect(texts[0] == texts[3] && texts[0].hasPrefix(" Paris."))
        #expect(texts[1] != texts[0] && texts[2] != texts[0])
    }

    @Test func requestsBeyondTheQueueLimitAreRefused() async throws {
        let model = try Self.loaded()
        let engine = InferenceEngine(queueLimit: 1)
        var options = GenerationTests.greedy
        options.maxTokens = 40
        let prompt = model.tokenizer.encode("Once upon a time")
        let first = try engine.generate(model: model, prompt: prompt, options: options)
        // Wait until the first is running so the queue is empty, then fill the one waiting place.
        var iterator = first.makeAsyncIterator()
        _ = try await iterator.next()
        let second = try engine.generate(model: model, prompt: prompt, options: options)
        #expect(throws: EngineError.queueFull(limit: 1)) { try engine.generate(model: model, prompt: prompt, options: options) }
        while try await iterator.next() != nil {}
        #expect(try await Self.collect(second).1?.finishReason == .length)
    }

    @Test func droppingAStreamCancelsItsGeneration() async throws {
        let model = try Self.loaded()
        let engine = InferenceEngine()
        var options = GenerationTests.greedy
        options.maxTokens = 200
        options.sampling.banEOS = true
        let prompt = model.tokenizer.encode("Count: 1, 2, 3,")
        let task = Task {
            let stream = try engine.generate(model: model, prompt: prompt, options: options)
            var n = 0
            for try await event in stream {
                if case .token = event { n += 1 }
                if n == 2 { break }
            }
        }
        try await task.value
        // Jobs run in order, so this runs once the dropped generation has ended: its sequence holds the
        // prompt and the few tokens made before it noticed, not 200.
        let held = try await engine.run { model.slot.withLock { $0.tokens.count } }
        // A few more tokens may be made while the consumer goes away under a loaded test run; never 200.
        #expect(held >= prompt.count + 2 && held <= prompt.count + 40)
        #expect(engine.waiting == 0)
    }

    @Test func errorsReachTheStream() async throws {
        let model = try Self.loaded()
        let engine = InferenceEngine()
        let stream = try engine.generate(model: model, prompt: [Int32](repeating: 28, count: 300), options: GenerationTests.greedy)
        await #expect(throws: EngineError.contextLengthExceeded(promptTokens: 300, contextLength: 256)) {
            _ = try await Self.collect(stream)
        }
    }
}
