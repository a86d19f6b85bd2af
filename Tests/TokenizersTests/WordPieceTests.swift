import Foundation
import GGUF
import Testing
import TestSupport
@testable import Tokenizers

@Suite struct WordPieceTests {
    @Test func normalizerLowercasesStripsAccentsAndSpacesOutIdeographs() throws {
        let t = try RealTokenizers.miniLM()
        guard case .wordPiece(let wpm) = t.engine else { Issue.record("not WordPiece"); return }
        #expect(wpm.normalize("Crème BRÛLÉE\t中文") == "creme brulee  中  文 ")
        #expect(WordPieceEncoder.preTokenize("don't stop!") == ["don", "'", "t", "stop", "!"])
    }

    @Test func encodesWithClsAndSep() throws {
        let t = try RealTokenizers.miniLM()
        let ids = t.encode("Hello, world!", addSpecial: true)
        #expect(ids.first == t.bos && ids.last == t.sep)
        #expect(t.decode(ids) == "hello, world!")
        // Words over 100 characters become [UNK], as in HF tokenizers.
        #expect(t.encode(String(repeating: "a", count: 101), addSpecial: false) == [t.tokenID("[UNK]")!])
    }

    /// A GGUF `bert` vocabulary in llama.cpp's convention (word starts marked with U+2581, continuations
    /// bare, `[…]` tokens kept) gives the same ids as the HF folder it was made from.
    @Test func ggufBertMatchesFolder() throws {
        let folder = try RealTokenizers.miniLM()
        let vocab = try String(contentsOf: URL(fileURLWithPath: TestPaths.model(.miniLM)).appendingPathComponent("vocab.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let special: Set<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        // Byte-wise prefix tests: String.hasPrefix compares grapheme clusters, and "##" followed by a
        // combining mark is not a "##" prefix to it.
        let tokens = vocab.map { t -> [UInt8] in
            let bytes = Array(t.utf8)
            if bytes.first == UInt8(ascii: "[") && bytes.last == UInt8(ascii: "]") { return bytes }
            if bytes.starts(with: Array("##".utf8)) { return Array(bytes.dropFirst(2)) }
            return Array("▁".utf8) + bytes
        }
        var writer = try GGUFWriter()
        try writer.add("tokenizer.ggml.model", .string("bert"))
        try writer.add("tokenizer.ggml.tokens", .array(GGUFArray(stringBytes: tokens)))
        try writer.add("tokenizer.ggml.token_type", .array(GGUFArray(int32s: vocab.map { special.contains($0) ? 3 : 1 })))
        let gguf = try Tokenizer.load(gguf: GGUFFile(bytes: writer.serialize()))
        #expect(gguf.kind == .wordPiece && gguf.bos == 101 && gguf.sep == 102)
        for text in try Goldens.corpus() {
            #expect(gguf.encode(text, addSpecial: true, parseSpecial: true)
                    == folder.encode(text, addSpecial: true, parseSpecial: true), "\(text.debugDescription)")
        }
    }

    /// A folder with only vocab.txt (here with CRLF line ends) and tokenizer_config.json tokenizes like
    /// tokenizer.json.
    @Test func vocabTxtFolderMatchesTokenizerJSON() throws {
        let source = URL(fileURLWithPath: try TestPaths.model(.miniLM))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wordpiece-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocab = try String(contentsOf: source.appendingPathComponent("vocab.txt"), encoding: .utf8)
        try vocab.replacingOccurrences(of: "\n", with: "\r\n")
            .write(to: folder.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: source.appendingPathComponent("tokenizer_config.json"),
                                         to: folder.appendingPathComponent("tokenizer_config.json"))
        let fromTxt = try Tokenizer.loadWordPiece(folder: folder.path)
        let fromJSON = try RealTokenizers.miniLM()
        #expect(fromTxt.vocabularySize == fromJSON.vocabularySize)
        for text in try Goldens.corpus() {
            #expect(fromTxt.encode(text, parseSpecial: true) == fromJSON.encode(text, parseSpecial: true), "\(text.debugDescription)")
        }
    }

    @Test func missingFolderIsAnError() {
        #expect(throws: TokenizerError.self) { try Tokenizer.loadWordPiece(folder: "/nonexistent/tokenizer") }
    }
}
