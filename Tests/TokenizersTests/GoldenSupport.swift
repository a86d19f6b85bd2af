import Foundation
import GGUF
import TestSupport
@testable import Tokenizers

/// The committed corpus and reference ids (made by scripts/goldens/tokenizer_goldens.py).
struct Goldens: Decodable {
    struct Case: Decodable {
        /// Reference ids with special-token parsing on.
        let special: [Int32]
        /// Reference ids with special-token parsing off (empty for WordPiece).
        let plain: [Int32]
        /// Whether the reference decodes `plain` back to the input.
        let roundtrip: Bool
    }

    let model: String
    let add_special: Bool
    let cases: [Case]

    static func load(_ name: String) throws -> Goldens {
        let data = try Data(contentsOf: TestPaths.fixture("Tokenizers", "goldens_\(name).json"))
        return try JSONDecoder().decode(Goldens.self, from: data)
    }

    static func corpus() throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(contentsOf: TestPaths.fixture("Tokenizers", "corpus.json")))
    }
}

/// Tokenizers of the real models, loaded once per test process (Gemma's 262k vocabulary takes a while).
enum RealTokenizers {
    private static let smolLM2 = Result { try Tokenizer.load(gguf: GGUFFile(path: TestPaths.model(.smolLM2))) }
    private static let qwen25 = Result { try Tokenizer.load(gguf: GGUFFile(path: TestPaths.model(.qwen25))) }
    private static let gemma3 = Result { try Tokenizer.load(gguf: GGUFFile(path: TestPaths.model(.gemma3))) }
    private static let miniLMFolder = Result { try Tokenizer.loadWordPiece(folder: TestPaths.model(.miniLM)) }

    static func gguf(_ model: RealModel) throws -> Tokenizer {
        switch model {
        case .smolLM2: try smolLM2.get()
        case .qwen25: try qwen25.get()
        case .gemma3: try gemma3.get()
        case .miniLM: try miniLMFolder.get()
        }
    }

    static func miniLM() throws -> Tokenizer { try miniLMFolder.get() }
}

/// Compares a tokenizer with goldens; returns one line per mismatch (string and both id lists).
func goldenMismatches(_ tokenizer: Tokenizer, _ goldens: Goldens, corpus: [String], parseSpecial: Bool) -> [String] {
    var mismatches: [String] = []
    for (text, golden) in zip(corpus, goldens.cases) {
        let expected = parseSpecial ? golden.special : golden.plain
        let actual = tokenizer.encode(text, addSpecial: goldens.add_special, parseSpecial: parseSpecial)
        if actual != expected {
            mismatches.append("\(text.debugDescription)\n  expected \(expected)\n  actual   \(actual)")
        }
    }
    return mismatches
}
