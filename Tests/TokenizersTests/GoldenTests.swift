import Testing
import TestSupport
@testable import Tokenizers

/// Token ids identical to llama.cpp (GGUF models) and HF tokenizers (all-MiniLM-L6-v2) on the corpus.
@Suite struct GoldenTests {
    static let models: [(String, RealModel)] = [("smollm2", .smolLM2), ("qwen25", .qwen25), ("gemma3", .gemma3)]

    @Test(arguments: ["smollm2", "qwen25", "gemma3"])
    func matchesLlamaCpp(name: String) throws {
        let model = Self.models.first { $0.0 == name }!.1
        let tokenizer = try RealTokenizers.gguf(model)
        let goldens = try Goldens.load(name)
        let corpus = try Goldens.corpus()
        try #require(corpus.count == goldens.cases.count && corpus.count >= 300)
        #expect(tokenizer.addBOS == goldens.add_special)
        for parseSpecial in [true, false] {
            let mismatches = goldenMismatches(tokenizer, goldens, corpus: corpus, parseSpecial: parseSpecial)
            #expect(mismatches.isEmpty, """
                \(name) parseSpecial=\(parseSpecial): \(mismatches.count)/\(corpus.count) differ
                \(mismatches.prefix(8).joined(separator: "\n"))
                """)
        }
    }

    @Test(arguments: ["smollm2", "qwen25", "gemma3"])
    func roundTripsWhereReferenceDoes(name: String) throws {
        let model = Self.models.first { $0.0 == name }!.1
        let tokenizer = try RealTokenizers.gguf(model)
        let goldens = try Goldens.load(name)
        let corpus = try Goldens.corpus()
        var failures: [String] = []
        for (text, golden) in zip(corpus, goldens.cases) where golden.roundtrip {
            let ids = tokenizer.encode(text, addSpecial: goldens.add_special, parseSpecial: false)
            let back = tokenizer.decode(ids, skipSpecial: true)
            if back != text { failures.append("\(text.debugDescription) → \(back.debugDescription)") }
        }
        #expect(goldens.cases.filter(\.roundtrip).count > 300)
        #expect(failures.isEmpty, "\(failures.count) fail:\n\(failures.prefix(8).joined(separator: "\n"))")
    }

    @Test func wordPieceMatchesHFTokenizers() throws {
        let tokenizer = try RealTokenizers.miniLM()
        let goldens = try Goldens.load("minilm")
        let corpus = try Goldens.corpus()
        let mismatches = goldenMismatches(tokenizer, goldens, corpus: corpus, parseSpecial: true)
        #expect(mismatches.isEmpty, """
            minilm: \(mismatches.count)/\(corpus.count) differ
            \(mismatches.prefix(8).joined(separator: "\n"))
            """)
    }
}

/// One tokenizer shared by concurrent tasks gives each the same ids as a sequential run.
@Test func concurrentEncodingIsConsistent() async throws {
    let tokenizer = try RealTokenizers.gguf(.qwen25)
    let corpus = try Goldens.corpus()
    let expected = corpus.map { tokenizer.encode($0, parseSpecial: true) }
    let results = await withTaskGroup(of: [[Int32]].self) { group in
        for _ in 0..<4 { group.addTask { corpus.map { tokenizer.encode($0, parseSpecial: true) } } }
        return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.count == 4 && results.allSatisfy { $0 == expected })
}
