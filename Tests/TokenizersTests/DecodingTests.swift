import Testing
import TestSupport
@testable import Tokenizers

@Suite struct DecodingTests {
    /// Feeding ids one at a time gives the same text as decoding them at once, and no chunk ends inside
    /// a UTF-8 sequence (no U+FFFD appears that the full decode does not have).
    @Test(arguments: [RealModel.smolLM2, .qwen25, .gemma3])
    func streamingMatchesDecode(model: RealModel) throws {
        let t = try RealTokenizers.gguf(model)
        for text in try Goldens.corpus() {
            let ids = t.encode(text, addSpecial: true, parseSpecial: true)
            var stream = StreamingDetokenizer(tokenizer: t)
            var chunks = ids.map { stream.feed($0) }
            chunks.append(stream.finish())
            let full = t.decode(ids)
            #expect(chunks.joined() == full, "\(text.debugDescription)")
            if !full.contains("\u{FFFD}") {
                #expect(!chunks.contains { $0.contains("\u{FFFD}") }, "\(text.debugDescription)")
            }
        }
    }

    @Test func streamingHoldsBackSplitSequences() throws {
        let t = try RealTokenizers.gguf(.gemma3)
        // Gemma spells rare characters with <0xNN> byte tokens: "😀" is F0 9F 98 80.
        let bytes = [0xF0, 0x9F, 0x98, 0x80].compactMap { t.tokenID(String(format: "<0x%02X>", $0)) }
        try #require(bytes.count == 4)
        var stream = StreamingDetokenizer(tokenizer: t)
        #expect(stream.feed(bytes[0]) == "")
        #expect(stream.feed(bytes[1]) == "")
        #expect(stream.feed(bytes[2]) == "")
        #expect(stream.feed(bytes[3]) == "😀")
        #expect(stream.feed(bytes[0]) == "")
        #expect(stream.finish() == "\u{FFFD}")
    }

    @Test func completePrefixLength() {
        #expect(StreamingDetokenizer.completePrefixLength([0x61, 0xE2, 0x96]) == 1)
        #expect(StreamingDetokenizer.completePrefixLength([0x61, 0xE2, 0x96, 0x81]) == 4)
        #expect(StreamingDetokenizer.completePrefixLength([0x80, 0x80]) == 2)
        #expect(StreamingDetokenizer.completePrefixLength([]) == 0)
    }

    @Test func cleanSpacesFollowsLlamaCpp() {
        func clean(_ s: String) -> String { String(decoding: Tokenizer.cleanUpSpaces(Array(s.utf8)), as: UTF8.self) }
        #expect(clean("Hello , world !") == "Hello, world!")
        #expect(clean("rock ' n") == "rock'n")
        #expect(clean("it 's we 're they 'll I 'd") == "it's we're they 'll I 'd")
    }
}
