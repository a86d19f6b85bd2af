import GGUF
import Testing
import TestSupport
@testable import Tokenizers

/// Special tokens, end-of-generation sets and BOS handling against llama.cpp's values for the real models
/// (read with llama_vocab_is_eog / llama_vocab_bos / llama_vocab_eos from the reference build).
@Suite struct SpecialTokenTests {
    @Test func smolLM2() throws {
        let t = try RealTokenizers.gguf(.smolLM2)
        #expect(t.kind == .bytePair)
        #expect(t.vocabularySize == 49152)
        #expect(t.bos == 1 && t.eos == 2 && !t.addBOS && !t.addEOS)
        #expect(t.endOfGeneration == [0, 2, 4])
        #expect(t.tokenString(2) == "<|im_end|>")
        #expect(t.tokenID("<|im_start|>") == 1)
    }

    @Test func qwen25() throws {
        let t = try RealTokenizers.gguf(.qwen25)
        #expect(t.vocabularySize == 151936)
        #expect(t.bos == 151643 && t.eos == 151645 && !t.addBOS)
        #expect(t.endOfGeneration == [128247, 151643, 151645, 151662, 151663, 151664])
    }

    @Test func gemma3() throws {
        let t = try RealTokenizers.gguf(.gemma3)
        #expect(t.kind == .sentencePiece)
        #expect(t.vocabularySize == 262144)
        #expect(t.bos == 2 && t.eos == 1 && t.addBOS && !t.addSpacePrefix)
        #expect(t.endOfGeneration == [1, 106, 212])
        #expect(t.tokenString(106) == "<end_of_turn>")
    }

    @Test func specialTextIsOnlyParsedWhenAsked() throws {
        let t = try RealTokenizers.gguf(.qwen25)
        let text = "<|im_start|>user\nhi<|im_end|>"
        let parsed = t.encode(text, addSpecial: false, parseSpecial: true)
        let plain = t.encode(text, addSpecial: false, parseSpecial: false)
        #expect(parsed.first == t.tokenID("<|im_start|>") && parsed.last == t.eos)
        #expect(!plain.contains { t.isControl($0) })
        #expect(t.decode(plain) == text)
        // Control tokens disappear from decoded text unless asked for.
        #expect(t.decode(parsed, skipSpecial: true) == "user\nhi")
        #expect(t.decode(parsed, skipSpecial: false) == text)
    }

    @Test func bosIsAddedOnlyWithAddSpecial() throws {
        let t = try RealTokenizers.gguf(.gemma3)
        #expect(t.encode("", addSpecial: true) == [2])
        #expect(t.encode("", addSpecial: false).isEmpty)
        #expect(t.encode("hi", addSpecial: true).first == 2)
    }

    @Test func describePrintsPieces() throws {
        let t = try RealTokenizers.gguf(.smolLM2)
        let rows = t.describe(ids: t.encode("Hello world", addSpecial: false))
        #expect(rows.map(\.piece) == ["Hello", " world"])
        #expect(t.pieceBytes(-1).isEmpty && t.tokenString(1 << 20) == nil)
    }
}

/// Loading a real tokenizer; the time is printed for reports, never asserted.
@Suite struct LoadTimeTests {
    @Test(arguments: [RealModel.smolLM2, .qwen25, .gemma3])
    func loadsQuickly(model: RealModel) throws {
        let file = try GGUFFile(path: TestPaths.model(model))
        let start = ContinuousClock.now
        let tokenizer = try Tokenizer.load(gguf: file)
        let elapsed = ContinuousClock.now - start
        print("[load] \(model): \(tokenizer.vocabularySize) tokens in \(elapsed)")
        #expect(tokenizer.vocabularySize == (file["tokenizer.ggml.tokens"]?.arrayValue?.count ?? -1))
    }
}
