import Foundation
import TestSupport

/// The llama.cpp goldens made by `scripts/goldens/engine_goldens.py` (see its header for how).
struct GreedyGolden: Decodable {
    struct Case: Decodable {
        let prompt: String
        let promptTokens: [Int32]
        let tokens: [Int32]
        let gaps: [Float]
        enum CodingKeys: String, CodingKey { case prompt, promptTokens = "prompt_tokens", tokens, gaps }
    }
    let model: String
    let cases: [Case]
}

struct TeacherGolden: Decodable {
    let model: String
    let tokens: [Int32]
    let perplexity: Double
    let topIDs: [[Int32]]
    let topLogits: [[Float]]
    let nextLogit: [Float]
    let nextLogprob: [Float]
    enum CodingKeys: String, CodingKey {
        case model, tokens, perplexity, topIDs = "top_ids", topLogits = "top_logits", nextLogit = "next_logit",
             nextLogprob = "next_logprob"
    }
}

struct TinyGolden: Decodable {
    let arch: String
    let tokens: [Int32]
    /// llama.cpp with an f32 KV cache, and with an f16 one.
    let logits: [[Float]]
    let logitsKVF16: [[Float]]
    enum CodingKeys: String, CodingKey { case arch, tokens, logits, logitsKVF16 = "logits_kv_f16" }
}

enum Goldens {
    static func load<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let data = try Data(contentsOf: TestPaths.fixture("Engine", name))
        return try JSONDecoder().decode(type, from: data)
    }

    /// Fixture key per real model.
    static func key(_ model: RealModel) -> String {
        switch model {
        case .smolLM2: "smollm2"
        case .qwen25: "qwen25"
        case .gemma3: "gemma3"
        case .miniLM: "minilm"
        }
    }
}
