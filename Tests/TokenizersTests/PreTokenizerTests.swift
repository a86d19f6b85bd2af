import GGUF
import Testing
import TestSupport
@testable import Tokenizers

/// Every supported `tokenizer.ggml.pre` against llama.cpp: SmolLM2's vocabulary and merges with only the
/// pre-tokenizer name swapped (goldens_pre_<name>.json, made by scripts/goldens/tokenizer_goldens.py from
/// the same vocabulary-only GGUF this test builds in memory).
@Suite struct PreTokenizerTests {
    /// A model's tokenizer metadata (SmolLM2's by default) with `tokenizer.ggml.pre` replaced and
    /// `add_bos_token` left out, as scripts/goldens/tokenizer_goldens.py writes it for llama.cpp.
    static func vocabularyOnly(from source: RealModel = .smolLM2, pre: String?, model: String? = nil,
                               spacePrefix: Bool? = nil, dropping: Set<String> = []) throws -> GGUFFile {
        let file = try GGUFFile(path: TestPaths.model(source))
        var writer = try GGUFWriter()
        let skipped: Set<String> = ["tokenizer.ggml.pre", "tokenizer.ggml.add_bos_token", "tokenizer.ggml.model",
                                    "tokenizer.chat_template", "tokenizer.ggml.add_space_prefix"]
        for entry in file.metadata where entry.key.hasPrefix("tokenizer.")
            && !skipped.contains(entry.key) && !dropping.contains(entry.key) {
            try writer.add(entry.key, entry.value)
        }
        let stored = file["tokenizer.ggml.model"]?.stringValue ?? "gpt2"
        try writer.add("tokenizer.ggml.model", .string(GGUFString(model ?? stored)))
        if let pre { try writer.add("tokenizer.ggml.pre", .string(GGUFString(pre))) }
        if let spacePrefix { try writer.add("tokenizer.ggml.add_space_prefix", .bool(spacePrefix)) }
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

    /// SentencePiece with `add_space_prefix` on (Gemma's vocabulary; Gemma itself has it off): a space
    /// goes before the text and after every special token (Gemma's user-defined "\t" and "\n\n" tokens
    /// included, as llama.cpp does), and decoding removes the first one again, so text without special
    /// tokens round-trips.
    @Test func sentencePieceSpacePrefixMatchesLlamaCpp() throws {
        let tokenizer = try Tokenizer.load(gguf: Self.vocabularyOnly(from: .gemma3, pre: nil, spacePrefix: true))
        #expect(tokenizer.addSpacePrefix && tokenizer.addBOS)
        let goldens = try Goldens.load("spm_space_prefix")
        let corpus = try Goldens.corpus()
        for parseSpecial in [true, false] {
            let mismatches = goldenMismatches(tokenizer, goldens, corpus: corpus, parseSpecial: parseSpecial)
            let report = mismatches.prefix(6).joined(separator: "\n")
            #expect(mismatches.isEmpty, "parseSpecial=\(parseSpecial): \(mismatches.count)/\(corpus.count) differ\n\(report)")
        }
        var roundTrips = 0
        for text in corpus {
            let ids = tokenizer.encode(text)
            guard !ids.dropFirst().contains(where: { tokenizer.attributes($0).isSpecial }) else { continue }
            #expect(tokenizer.decode(ids) == text, "\(text.debugDescription)")
            roundTrips += 1
        }
        #expect(roundTrips > 200)
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
