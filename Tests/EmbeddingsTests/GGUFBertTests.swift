import Foundation
import Testing
import TestSupport
@testable import Embeddings

/// A tiny random BERT in GGUF (llama.cpp's layout; f16 and f32 tensors, mean pooling) against the
/// tokens and normalized embeddings llama.cpp gives for it (scripts/goldens/bert_gguf_goldens.py).
@Suite struct GGUFBertTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            var text: String
            var ids: [Int32]
            var embedding: [Float]
        }
        var cases: [Case]
    }

    static func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: TestPaths.fixture("Embeddings", "tiny-bert.json")))
    }

    static let path = TestPaths.fixture("Embeddings", "tiny-bert.gguf").path

    @Test func tokensAndEmbeddingsMatchLlamaCpp() throws {
        let embedder = try SentenceEmbedder(gguf: Self.path, threads: 2)
        #expect(embedder.dimensions == 32 && embedder.normalizes && embedder.maxSequenceLength == 64)
        let golden = try Self.golden()
        #expect(golden.cases.count >= 8)
        let vectors = try embedder.embed(texts: golden.cases.map(\.text)).vectors
        for (expected, vector) in zip(golden.cases, vectors) {
            #expect(embedder.tokenize(expected.text) == expected.ids, "\(expected.text)")
            let cosine = zip(expected.embedding, vector).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(cosine >= 0.9999, "\(expected.text): cosine \(cosine)")
            let worst = zip(expected.embedding, vector).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-3, "\(expected.text): max difference \(worst)")
        }
        // Token ids (with [CLS]/[SEP] as given) embed like the text.
        let byTokens = try embedder.embed(tokenIDs: golden.cases.map(\.ids)).vectors
        #expect(byTokens == vectors)
    }

    @Test func tensorNamesFollowLlamaCpp() {
        #expect(BertGGUF.tensorName("embeddings.word_embeddings.weight") == "token_embd.weight")
        #expect(BertGGUF.tensorName("encoder.layer.3.attention.self.value.bias") == "blk.3.attn_v.bias")
        #expect(BertGGUF.tensorName("encoder.layer.0.output.LayerNorm.weight") == "blk.0.layer_output_norm.weight")
        #expect(BertGGUF.tensorName("encoder.layer.x.output.dense.weight") == nil)
        #expect(BertGGUF.tensorName("pooler.dense.weight") == nil)
    }

    @Test func chatModelsAndBrokenFilesAreRefusedClearly() throws {
        let smol = try TestPaths.model(.smolLM2)
        #expect(throws: EmbeddingsError.self) { try SentenceEmbedder(gguf: smol) }
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-bert-\(UUID()).gguf")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.path))
        try bytes.prefix(bytes.count / 2).write(to: broken)
        defer { try? FileManager.default.removeItem(at: broken) }
        #expect(throws: (any Error).self) { try SentenceEmbedder(gguf: broken.path) }
    }
}
