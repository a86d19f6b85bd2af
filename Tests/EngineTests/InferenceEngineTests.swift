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
        let prompt = model.tokenizer.encode("Once upon a time")
        // Occupy the engine thread with a job that waits for the gate, so the queue state is exact.
        let gate = DispatchSemaphore(value: 0)
        let (started, running) = AsyncStream<Void>.makeStream()
        let blocker = Task { try await engine.run { running.yield(); gate.wait() } }
        for await _ in started { break }
        let waiting = try engine.generate(model: model, prompt: prompt, options: GenerationTests.greedy)
        #expect(engine.waiting == 1)
        #expect(throws: EngineError.queueFull(limit: 1)) {
            try engine.generate(model: model, prompt: prompt, options: GenerationTests.greedy)
        }
        gate.signal()
        try await blocker.value
        #expect(try await Self.collect(waiting).1?.finishReason == .length)
    }

    @Test func theChoicesOfOneRequestCountOnceAgainstTheLimit() async throws {
        let model = try Self.loaded()
        let engine = InferenceEngine(queueLimit: 1)
        let prompt = model.tokenizer.encode("Once upon a time")
        var options = GenerationTests.greedy
        options.maxTokens = 3
        let gate = DispatchSemaphore(value: 0)
        let (started, running) = AsyncStream<Void>.makeStream()
        let blocker = Task { try await engine.run { running.yield(); gate.wait() } }
        for await _ in started { break }
        // Three choices wait as one request, however many the limit is.
        let streams = try engine.generate(model: model, choices: Array(repeating: (prompt, options), count: 3))
        #expect(engine.waiting == 1)
        #expect(throws: EngineError.queueFull(limit: 1)) {
            try engine.generate(model: model, choices: [(prompt, options), (prompt, options)])
        }
        gate.signal()
        try await blocker.value
        var texts: [String] = []
        for stream in streams {
            let (text, result) = try await Self.collect(stream)
            #expect(result?.finishReason == .length)
            texts.append(text)
        }
        #expect(Set(texts).count == 1 && !texts[0].isEmpty)
    }

    @Test func droppingAStreamCancelsItsGeneration() async throws {
        let model = try Self.loaded()
        let engine = InferenceEngine()
        var options = GenerationTests.greedy
        options.maxTokens = 1_000
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
        // Jobs run in order, so this runs once the dropped generation has ended. Its sequence holds the
        // prompt and the tokens made before the consumer's exit was noticed (a few, or more on a loaded
        // machine) but not the whole context it would otherwise have filled. Stopping within one token
        // of the flag is checked in GenerationTests.
        let held = try await engine.run { model.slot.withLock { $0.tokens.count } }
        #expect(held >= prompt.count + 2 && held < model.contextLength)
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
