import Foundation
import Models
import Sampling
import Tokenizers

extension LoadedModel {
    /// Runs one generation synchronously on the calling thread, reporting events to `emit` in order
    /// (prompt logprobs, tokens, then `.finished`). `isCancelled` is checked before every token; once
    /// it returns true generation stops with `.cancelled` within one token.
    ///
    /// - Throws: `EngineError` for a prompt that does not fit or bad options; errors thrown by `emit`
    ///   stop generation and propagate.
    public func generate(prompt: [Int32], options: GenerationOptions, isCancelled: () -> Bool = { false },
                         emit: (GenerationEvent) throws -> Void) throws {
        try options.validate()
        guard !prompt.isEmpty else { throw EngineError.emptyPrompt }
        guard prompt.count < contextLength else {
            throw EngineError.contextLengthExceeded(promptTokens: prompt.count, contextLength: contextLength)
        }
        let vocabulary = model.hyperparameters.vocabularySize
        if let bad = prompt.first(where: { $0 < 0 || Int($0) >= vocabulary }) {
            throw EngineError.invalidOption(name: "prompt", reason: "token id \(bad) is outside the vocabulary of \(vocabulary)")
        }
        let started = ContinuousClock.now
        let (sequence, reused) = try checkOutSequence(for: prompt, reuse: !options.promptLogprobs)
        var history = prompt
        defer { checkIn(sequence, tokens: history) }

        let endTokens = tokenizer.endOfGeneration.union(options.stopTokens)
        let sampler: Sampler
        do {
            sampler = try Sampler(parameters: options.sampling, vocabularySize: vocabulary,
                                  endOfGeneration: tokenizer.endOfGeneration, seed: options.seed ?? UInt64.random(in: 0...UInt64.max))
        } catch let error as SamplingError {
            throw EngineError.invalidOption(name: error.parameterName ?? "sampling", reason: error.description)
        }

        // Prompt.
        do {
            if options.promptLogprobs {
                try emit(.prompt(try promptLogprobs(prompt, sequence: sequence, top: options.topLogprobs ?? 0)))
            } else {
                try model.forward(Array(prompt[reused...]), in: sequence, logits: .last)
            }
        } catch let error as ModelError {
            throw EngineError.model(error)
        }
        let prefilled = ContinuousClock.now
        var usage = GenerationUsage(promptTokens: prompt.count, cachedPromptTokens: reused, completionTokens: 0,
                                    promptSeconds: seconds(prefilled - started), decodeSeconds: 0)

        // Tokens.
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer, skipSpecial: options.skipSpecialTokens)
        var stops = StopStringMatcher(options.stopStrings)
        let maxTokens = min(options.maxTokens, contextLength - prompt.count)
        var finish = FinishReason.length, stopToken: Int32?
        for step in 0..<maxTokens {
            if isCancelled() { finish = .cancelled; break }
            // After prompt logprobs the sequence holds one row per prompt token; the last is the one to sample.
            let logits = sequence.logitRows == 1 ? sequence.logits : Array(sequence.logits(row: sequence.logitRows - 1))
            let token = sampler.sample(logits: logits, history: history)
            if endTokens.contains(token) { finish = .stop; stopToken = token; break }
            var event = GeneratedToken(id: token, text: stops.feed(detokenizer.feed(token)),
                                       bytes: tokenizer.pieceBytes(token), logprob: nil, topLogprobs: [])
            if let n = options.topLogprobs { (event.logprob, event.topLogprobs) = Logprobs.of(token, in: logits, top: n) }
            history.append(token)
            usage.completionTokens += 1
            try emit(.token(event))
            if stops.matched != nil { finish = .stop; break }
            if step + 1 < maxTokens {
                do { try model.forward([token], in: sequence, logits: .last) } catch let error as ModelError {
                    throw EngineError.model(error)
                }
            }
        }
        usage.decodeSeconds = seconds(ContinuousClock.now - prefilled)
        let trailing = stops.matched == nil ? stops.feed(detokenizer.finish()) + stops.finish() : ""
        try emit(.finished(GenerationResult(finishReason: finish, stopString: stops.matched, stopToken: stopToken,
                                            trailingText: trailing, usage: usage)))
    }

    /// Evaluates the whole prompt chunk by chunk, scoring each token given those before it.
    private func promptLogprobs(_ prompt: [Int32], sequence: ModelSequence, top: Int) throws -> [PromptToken] {
        var result = [PromptToken(id: prompt[0], bytes: tokenizer.pieceBytes(prompt[0]), logprob: nil, topLogprobs: [])]
        var start = 0
        while start < prompt.count {
            let end = min(start + sequence.batchSize, prompt.count)
            try model.forward(Array(prompt[start..<end]), in: sequence, logits: .all)
            for row in 0..<end - start where start + row + 1 < prompt.count {
                let next = prompt[start + row + 1]
                let (logprob, alternatives) = Logprobs.of(next, in: sequence.logits(row: row), top: top)
                result.append(PromptToken(id: next, bytes: tokenizer.pieceBytes(next), logprob: logprob, topLogprobs: alternatives))
            }
            start = end
        }
        return result
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// Log-probabilities from raw logits.
enum Logprobs {
    /// The log-softmax of `token` and the `top` most likely tokens (best first; ties by lower id).
    static func of<C: RandomAccessCollection>(_ token: Int32, in logits: C, top: Int) -> (Float, [TokenLogprob])
    where C.Element == Float, C.Index == Int {
        let base = logits.startIndex
        var maximum = -Float.infinity
        for v in logits where v > maximum { maximum = v }
        var sum: Double = 0
        for v in logits { sum += Double(Float.exp(v - maximum)) }
        let logZ = maximum + Float(Foundation.log(sum))
        var best: [TokenLogprob] = []
        if top > 0 {
            best.reserveCapacity(top + 1)
            for i in logits.indices {
                let v = logits[i]
                if best.count == top, let last = best.last, v <= last.logprob { continue }
                let entry = TokenLogprob(id: Int32(i - base), logprob: v)
                let at = best.firstIndex { v > $0.logprob } ?? best.count
                best.insert(entry, at: at)
                if best.count > top { best.removeLast() }
            }
        }
        return (logits[base + Int(token)] - logZ, best.map { TokenLogprob(id: $0.id, logprob: $0.logprob - logZ) })
    }
}
