import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// The 1 MB benchmark text (what `swiftlet bench tokenizer` times against llama-tokenize) must tokenize to
/// exactly llama.cpp's token count. Speed itself is measured by the benchmark, never asserted here.
@Suite(.serialized) struct BenchmarkTests {
    /// (model, llama.cpp's token count for the text; scripts/goldens/tokenizer_bench.py).
    static let references: [(RealModel, Int)] = [
        (.smolLM2, 486_287), (.qwen25, 375_951), (.gemma3, 380_638),
    ]

    @Test func benchmarkTextIsDeterministic() throws {
        let corpus = try Goldens.corpus()
        let a = TokenizerBenchmark.mixedText(from: corpus, bytes: 1_000_000)
        #expect(a == TokenizerBenchmark.mixedText(from: corpus, bytes: 1_000_000))
        #expect(a.utf8.count >= 1_000_000 && a.utf8.count < 1_010_000)
    }

    @Test func benchmarkTextMatchesLlamaCppTokenCount() throws {
        let text = TokenizerBenchmark.mixedText(from: try Goldens.corpus(), bytes: 1_000_000)
        for (model, count) in Self.references {
            let tokenizer = try RealTokenizers.gguf(model)
            #expect(tokenizer.encode(text, addSpecial: false).count == count, "\(model)")
        }
    }
}
