import GGUF
import Testing
import TestSupport
@testable import Tokenizers

/// Every supported `tokenizer.ggml.pre` against llama.cpp: SmolLM2's vocabulary and merges with only the
/// pre-tokenizer name swapped (goldens_pre_<name>.json, made by scripts/goldens/tokenizer_goldens.py from
/// the same vocabulary-only GGUF this test builds in memory).
@Suite struct PreTokenizerTests {
    /// SmolLM2's tokenizer metadata with `tokenizer.ggml.pre` replaced and `add_bos_token` left out.
    static func vocabularyOnly(pre: String?, model: String = "gpt2", dropping: Set<String> = []) throws -> GGUFFile {
        let source = try GGUFFile(path: TestPaths.model(.smolLM2))
        var writer = try GGUFWriter()
        let skipped: Set<String> = ["tokenizer.ggml.pre", "tokenizer.ggml.add_bos_token", "tokenizer.ggml.model",
                                    "tokenizer.chat_template"]
        for entry in source.metadata where entry.key.hasPrefix("tokenizer.")
            && !skipped.contains(entry.key) && !dropping.contains(entry.key) {
            try writer.add(entry.key, entry.value)
        }
        try writer.add("tokenizer.ggml.model", .string(GGUFString(model)))
        if let pre { try writer.add("tokenizer.ggml.pre", .string(GGUFString(pre))) }
        return try GGUFFile(bytes: writer.serialize())
    }

    @Test(arguments: ["default", "gpt-2", "llama-bpe", "qwen2", "starcoder", "command-r", "falcon",
                      "deepseek-llm", "deepseek-coder", "dbrx"])
    func matchesLlamaCpp(pre: String) throws {
        let tokenizer = try Tokenizer.load(gguf: Self.vocabularyOnly(pre: pre))
        let goldens = try Goldens.load("pre_\(pre)")
        let corpus = try Goldens.corpus()
        #expect(tokenizer.addBOS == goldens.add_special)
        let mismatches = goldenMismatches(tokenizer, goldens, corpus: corpus, parseSpecial: false)
        #expect(mismatches.isEmpty, """
            pre \(pre): \(mismatches.count)/\(corpus.count) differ
            \(mismatches.prefix(6).joined(separator: "\n"))
            """)
    }

    @Test func unknownPreTokenizerIsAnError() throws {
        #expect(throws: TokenizerError.unsupportedPreTokenizer("no-such-pre")) {
            try Tokenizer.load(gguf: Self.vocabularyOnly(pre: "no-such-pre"))
        }
    }

    @Test func missingPreTokenizerMeansDefault() throws {
        let missing = try Tokenizer.load(gguf: Self.vocabularyOnly(pre: nil))
        let explicit = try Tokenizer.load(gguf: Self.vocabularyOnly(pre: "default"))
        let text = "Prices: $4.99, 1234567 items!!"
        #expect(missing.encode(text) == explicit.encode(text))
    }

    @Test func unsupportedModelAndMissingKeysAreErrors() throws {
        #expect(throws: TokenizerError.unsupportedModel("t5")) {
            try Tokenizer.load(gguf: Self.vocabularyOnly(pre: "default", model: "t5"))
        }
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.merges")) {
            try Tokenizer.load(gguf: Self.vocabularyOnly(pre: "default", dropping: ["tokenizer.ggml.merges"]))
        }
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.tokens")) {
            try Tokenizer.load(gguf: Self.vocabularyOnly(pre: "default", dropping: ["tokenizer.ggml.tokens"]))
        }
    }
}
