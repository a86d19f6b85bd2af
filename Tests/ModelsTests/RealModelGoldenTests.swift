import Foundation
import GGUF
import Kernels
import Testing
import TestSupport
@testable import Models

/// Each real model against llama.cpp, compared the way DESIGN.md says survives float reordering:
/// greedy continuations up to the reference's first near-tie, teacher-forced top-1 agreement on
/// non-tie positions, perplexity, and logit differences.
@Suite(.serialized) struct RealModelGoldenTests {
    /// A reference top-2 gap below this is a near-tie: either choice is a faithful implementation.
    static let nearTie: Float = 0.25

    static func load(_ model: RealModel) throws -> any LanguageModel {
        try ModelRegistry.load(GGUFFile(path: TestPaths.model(model)), threads: 2)
    }

    static func argmax(_ row: ArraySlice<Float>) -> Int32 {
        var best = row.startIndex
        for i in row.indices where row[i] > row[best] { best = i }
        return Int32(best - row.startIndex)
    }

    /// At least 20 prompts must continue exactly as llama.cpp's up to the reference's first near-tie.
    /// A prompt may diverge earlier only at a step whose reference gap is under 1: llama.cpp is not
    /// that stable itself. Decoding Gemma's prompts token by token instead of in one batch, llama.cpp
    /// diverges from its own reference on 1 of these 26 prompts (at a gap of 0.252), and its logits
    /// move by up to 2.9 between the two paths (`self_check` in the teacher fixtures).
    @Test(arguments: [RealModel.smolLM2, .qwen25, .gemma3])
    func greedyMatchesLlamaCppUpToFirstNearTie(_ which: RealModel) throws {
        let golden = try Goldens.load(GreedyGolden.self, "\(Goldens.key(which)).greedy.json")
        let model = try Self.load(which)
        #expect(golden.cases.count >= 20)
        var comparedSteps = 0, identical = 0, divergences: [String] = []
        for c in golden.cases {
            // Steps before the first near-tie must agree; from it on, the texts may differ.
            let firstTie = c.gaps.firstIndex { $0 < Self.nearTie } ?? c.tokens.count
            let sequence = try model.makeSequence(contextLength: c.promptTokens.count + firstTie + 1)
            try model.forward(c.promptTokens, in: sequence, logits: .last)
            var step = 0
            while step < firstTie {
                let token = Self.argmax(sequence.logits(row: 0))
                if token != c.tokens[step] {
                    divergences.append("'\(c.prompt.prefix(30))' at step \(step) (reference gap \(c.gaps[step]))")
                    #expect(c.gaps[step] < 1, "'\(c.prompt.prefix(30))' diverged at step \(step), reference gap \(c.gaps[step])")
                    break
                }
                step += 1
                if step < firstTie { try model.forward([token], in: sequence, logits: .last) }
            }
            comparedSteps += step
            if step == firstTie { identical += 1 }
        }
        print("\(which): \(identical) of \(golden.cases.count) prompts identical up to the first near-tie "
              + "(\(comparedSteps) steps); early divergences: \(divergences.isEmpty ? "none" : divergences.joined(separator: "; "))")
        #expect(identical >= 20)
    }

    @Test(arguments: [RealModel.smolLM2, .qwen25, .gemma3])
    func teacherForcedAgreementPerplexityAndLogits(_ which: RealModel) throws {
        let golden = try Goldens.load(TeacherGolden.self, "\(Goldens.key(which)).teacher.json")
        let model = try Self.load(which)
        #expect(golden.tokens.count >= 1_000)
        let sequence = try model.makeSequence(contextLength: golden.tokens.count, batchSize: 64)
        var agree = 0, nonTie = 0, nll = 0.0, maxDiff: Float = 0, sumDiff = 0.0, diffs = 0
        var start = 0
        while start < golden.tokens.count - 1 {
            let end = min(start + 64, golden.tokens.count - 1)
            try model.forward(Array(golden.tokens[start..<end]), in: sequence, logits: .all)
            for row in 0..<end - start {
                let i = start + row
                let logits = sequence.logits(row: row)
                let base = logits.startIndex
                let refTop = golden.topIDs[i], refLogits = golden.topLogits[i]
                if refLogits[0] - refLogits[1] >= Self.nearTie {
                    nonTie += 1
                    if Self.argmax(logits) == refTop[0] { agree += 1 }
                }
                for (id, value) in zip(refTop, refLogits) {
                    let d = abs(logits[base + Int(id)] - value)
                    maxDiff = max(maxDiff, d); sumDiff += Double(d); diffs += 1
                }
                var top = -Float.infinity
                for v in logits where v > top { top = v }
                var sum = 0.0
                for v in logits { sum += Foundation.exp(Double(v - top)) }
                let next = Int(golden.tokens[i + 1])
                nll -= Double(logits[base + next] - top) - Foundation.log(sum)
            }
            start = end
        }
        let perplexity = Foundation.exp(nll / Double(golden.tokens.count - 1))
        let agreement = Double(agree) / Double(nonTie)
        let meanDiff = sumDiff / Double(diffs)
        print(String(format: "%@: top-1 agreement %.4f on %d non-tie positions; perplexity %.4f vs llama.cpp %.4f; "
                     + "logits (reference top 10 per position) max |Δ| %.3f, mean |Δ| %.4f",
                     "\(which)", agreement, nonTie, perplexity, golden.perplexity, maxDiff, meanDiff))
        #expect(agreement >= 0.99)
        #expect(abs(perplexity / golden.perplexity - 1) <= 0.01)
        // Measured bounds (see the printed line); llama.cpp against itself moves Gemma's logits by up to 4.
        #expect(meanDiff < 0.25)
        #expect(maxDiff < 5)
    }
}
