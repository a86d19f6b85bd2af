import Foundation
import Testing
import TestSupport
@testable import Embeddings

@Suite struct SentenceEmbedderTests {
    /// A text's vector does not depend on what else is in its batch (packing keeps sequences apart).
    @Test func batchedEqualsOneByOne() throws {
        let embedder = try SharedEmbedder.miniLM()
        let texts = ["short", "a somewhat longer sentence about the sea and ships", "", String(repeating: "long text ", count: 300)]
        let together = try embedder.embed(texts: texts).vectors
        for (text, vector) in zip(texts, together) {
            let alone = try embedder.embed(texts: [text]).vectors[0]
            #expect(GoldenTests.cosine(alone, vector) > 0.999999)
            #expect(zip(alone, vector).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test func vectorsAreUnitLengthAndTokenCountsReported() throws {
        let embedder = try SharedEmbedder.miniLM()
        let result = try embedder.embed(texts: ["Hello, world!", String(repeating: "word ", count: 1000)])
        for vector in result.vectors {
            #expect(vector.count == 384)
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        }
        // [CLS] hello , world ! [SEP]; the long text is cut to max_seq_length.
        #expect(result.tokenCounts == [6, 256])
        #expect(result.totalTokens == 262)
    }

    @Test func similarSentencesAreCloserThanUnrelatedOnes() throws {
        let embedder = try SharedEmbedder.miniLM()
        let v = try embedder.embed(texts: ["A man is eating food.", "A man is eating a piece of bread.", "A monkey is playing drums."]).vectors
        #expect(GoldenTests.cosine(v[0], v[1]) > GoldenTests.cosine(v[0], v[2]) + 0.3)
    }

    /// Long token-id inputs keep their first max−1 ids and their last one ([SEP]).
    @Test func longTokenInputsAreTruncated() throws {
        let embedder = try SharedEmbedder.miniLM()
        let words = [Int32](repeating: 2773, count: 600)
        let wrapped = embedder.wrap(words)
        #expect(wrapped.count == 256)
        #expect(wrapped.first == 101 && wrapped.last == 102)
        let long = [101] + words + [102]
        let result = try embedder.embed(tokenIDs: [long, wrapped])
        #expect(result.tokenCounts == [256, 256])
        #expect(result.vectors[0] == result.vectors[1])
    }

    @Test func largeRequestsSplitIntoSeveralBatches() throws {
        let embedder = try SharedEmbedder.miniLM()
        let texts = (0..<40).map { "sentence \($0) " + String(repeating: "filler ", count: 250) }
        let result = try embedder.embed(texts: texts)
        #expect(result.totalTokens > SentenceEmbedder.tokensPerBatch)
        let single = try embedder.embed(texts: [texts[39]]).vectors[0]
        #expect(GoldenTests.cosine(single, result.vectors[39]) > 0.999999)
    }

    @Test func invalidInputsAreErrors() throws {
        let embedder = try SharedEmbedder.miniLM()
        #expect(throws: EmbeddingsError.invalidInput("input 1 has no tokens")) { try embedder.embed(tokenIDs: [[101, 102], []]) }
        #expect(throws: EmbeddingsError.invalidInput("input 0: token id 30522 is outside 0..<30522")) {
            try embedder.embed(tokenIDs: [[101, 30522, 102]])
        }
        #expect(throws: EmbeddingsError.invalidInput("input 0: token id -1 is outside 0..<30522")) {
            try embedder.embed(tokenIDs: [[-1]])
        }
        #expect(try embedder.embed(texts: []).vectors.isEmpty)
    }

    @Test func missingOrBrokenFoldersAreErrors() throws {
        #expect(throws: EmbeddingsError.self) { try SentenceEmbedder(folder: "/nonexistent/model") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emb-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"model_type":"gpt2"}"#.utf8).write(to: folder.appendingPathComponent("config.json"))
        #expect(throws: EmbeddingsError.badConfig(file: "config.json", reason: "model_type 'gpt2' is not bert")) {
            try SentenceEmbedder(folder: folder.path)
        }
    }

    @Test func benchmarkReportsEverySize() throws {
        let embedder = try SharedEmbedder.miniLM()
        let results = try EmbeddingBenchmark.run(embedder, batchSizes: [1, 8], sentences: Array(EmbeddingBenchmark.sentences.prefix(8)), rounds: 1)
        #expect(results.map(\.batchSize) == [1, 8])
        #expect(results.allSatisfy { $0.sentences == 8 && $0.sentencesPerSecond > 0 && $0.tokens > 8 * 5 })
    }
}

/// A config whose position table cannot hold [CLS] and [SEP] is a load error, not a trap at the first embed.
@Test func modelWithoutRoomForSpecialTokensIsRejected() throws {
    let folder = try TinyBertTests.writeModel()
    defer { try? FileManager.default.removeItem(at: folder) }
    let configURL = folder.appendingPathComponent("config.json")
    let config = try String(contentsOf: configURL, encoding: .utf8)
    let shrunk = config.replacingOccurrences(of: #""max_position_embeddings":\#(TinyBertTests.positions)"#,
                                             with: #""max_position_embeddings":1"#)
    #expect(shrunk != config)
    try Data(shrunk.utf8).write(to: configURL)
    try FileManager.default.removeItem(at: folder.appendingPathComponent("sentence_bert_config.json"))
    #expect(throws: EmbeddingsError.self) { try SentenceEmbedder(folder: folder.path) }
}
