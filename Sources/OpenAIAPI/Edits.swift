import Foundation

/// `POST /v1/edits` (OpenAI's legacy edits API): rewrite `input` following `instruction`.
public struct EditRequest: Codable, Sendable, Equatable {
    public var model: String?
    /// What to do with the input ("Fix the spelling mistakes").
    public var instruction: String
    /// The text to edit (default empty: the instruction alone is answered).
    public var input: String?
    /// Most tokens to generate (default 512, as chat completions).
    public var maxTokens: Int?
    public var n: Int?
    public var temperature: Double?
    public var topP: Double?
    /// text-generation-webui's generation options, accepted at the top level as on the other endpoints.
    public var generation: GenerationParameters

    public init(instruction: String, input: String? = nil) {
        self.instruction = instruction
        self.input = input
        self.generation = GenerationParameters()
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, instruction, input, n, temperature
        case maxTokens = "max_tokens"
        case topP = "top_p"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.optional(.model)
        instruction = try c.required(.instruction)
        input = try c.optional(.input)
        maxTokens = try c.optional(.maxTokens)
        n = try c.optional(.n)
        temperature = try c.optional(.temperature)
        topP = try c.optional(.topP)
        generation = try GenerationParameters(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(model, forKey: .model)
        try c.encode(instruction, forKey: .instruction)
        try c.encodeIfPresent(input, forKey: .input)
        try c.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try c.encodeIfPresent(n, forKey: .n)
        try c.encodeIfPresent(temperature, forKey: .temperature)
        try c.encodeIfPresent(topP, forKey: .topP)
        try generation.encode(to: encoder)
    }
}

/// The answer to an edit: `{"object": "edit", "created", "choices": [{"text", "index"}], "usage"}`.
public struct EditResponse: Codable, Sendable, Equatable {
    public var object = "edit"
    public var created: Int
    public var choices: [Choice]
    public var usage: CompletionUsage

    public struct Choice: Codable, Sendable, Equatable {
        public var text: String
        public var index: Int

        public init(text: String, index: Int) {
            self.text = text
            self.index = index
        }
    }

    public init(created: Int, choices: [Choice], usage: CompletionUsage) {
        self.created = created
        self.choices = choices
        self.usage = usage
    }
}
