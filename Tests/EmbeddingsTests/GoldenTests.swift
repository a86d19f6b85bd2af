import Foundation
import Testing
import TestSupport
@testable import Embeddings

/// all-MiniLM-L6-v2 against sentence-transformers (scripts/goldens/embeddings_goldens.py): the same
/// token ids, and vectors with cosine ≥ 0.9999, from text and from token ids.
@Suite struct GoldenTests {
    struct Entry: Decodable {
        let text: String
        let ids: [Int32]
        let embedding: [Float]
    }

    struct Goldens: Decodable {
        let max_seq_length: Int
        let dimensions: Int
        let entries: [Entry]
    }

    static func goldens() throws -> Goldens {
        let data = try Data(contentsOf: TestPaths.fixture("Embeddings", "minilm_goldens.json"))
        return try JSONDecoder().decode(Goldens.self, from: data)
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot: Double = 0, na: Double = 0, nb: Double = 0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / max((na * nb).squareRoot(), 1e-30)
    }

    @Test func configurationMatchesSentenceTransformers() throws {
        let embedder = try SharedEmbedder.miniLM()
        let goldens = try Self.goldens()
        #expect(goldens.entries.count >= 50)
        #expect(embedder.dimensions == goldens.dimensions)
        #expect(embedder.maxSequenceLength == goldens.max_seq_length)
        #expect(embedder.normalizes)
        #expect(embedder.pooling == Pooling(mean: true))
    }

    @Test func tokenIDsMatch() throws {
        let embedder = try SharedEmbedder.miniLM()
        var mismatches: [String] = []
        for entry in try Self.goldens().entries where embedder.tokenize(entry.text) != entry.ids {
            mismatches.append(entry.text)
        }
        #expect(mismatches.isEmpty, "token ids differ for: \(mismatches)")
    }

    @Test func tokenIDInputMatchesSentenceTransformers() throws {
        let embedder = try SharedEmbedder.miniLM()
        let goldens = try Self.goldens()
        let result = try embedder.embed(tokenIDs: goldens.entries.map(\.ids))
        let cosines = zip(result.vectors, goldens.entries).map { Self.cosine($0, $1.embedding) }
        for (cosine, entry) in zip(cosines, goldens.entries) {
            #expect(cosine >= 0.9999, "cosine \(cosine) for \(entry.text.prefix(60))")
        }
        #expect(result.tokenCounts == goldens.entries.map(\.ids.count))
        print("token-id input: 1 − cosine ≤ \(1 - (cosines.min() ?? 0)), mean cosine \(cosines.reduce(0, +) / Double(cosines.count))")
    }

    @Test func textInputMatchesSentenceTransformers() throws {
        let embedder = try SharedEmbedder.miniLM()
        let goldens = try Self.goldens()
        let result = try embedder.embed(texts: goldens.entries.map(\.text))
        let cosines = zip(result.vectors, goldens.entries).map { Self.cosine($0, $1.embedding) }
        for (cosine, entry) in zip(cosines, goldens.entries) {
            #expect(cosine >= 0.9999, "cosine \(cosine) for \(entry.text.prefix(60))")
        }
        print("text input: 1 − cosine ≤ \(1 - (cosines.min() ?? 0)), mean cosine \(cosines.reduce(0, +) / Double(cosines.count))")
    }
}

/// One loaded MiniLM for all tests (loading repacks 90 MB of weights).
enum SharedEmbedder {
    private static let loaded: Result<SentenceEmbedder, any Error> = Result {
        try SentenceEmbedder(folder: TestPaths.model(.miniLM), threads: 2)
    }

    static func miniLM() throws -> SentenceEmbedder { try loaded.get() }
}
