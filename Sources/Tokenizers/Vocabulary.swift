/// What kind of token an id is (GGUF `tokenizer.ggml.token_type`, with llama.cpp's corrections).
public struct TokenAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    /// Attributes from their bit pattern.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// An ordinary piece of text.
    public static let normal = TokenAttributes(rawValue: 1 << 0)
    /// The unknown token (`<unk>`, `[UNK]`).
    public static let unknown = TokenAttributes(rawValue: 1 << 1)
    /// A control token (BOS, EOS, `<|im_start|>`, …): parsed from text only when asked, and left out
    /// of decoded text unless asked.
    public static let control = TokenAttributes(rawValue: 1 << 2)
    /// An added token that is always matched as a whole in text and always decoded.
    public static let userDefined = TokenAttributes(rawValue: 1 << 3)
    /// A reserved id that decodes to nothing.
    public static let unused = TokenAttributes(rawValue: 1 << 4)
    /// A byte-fallback token (`<0x0A>`): decodes to that single byte.
    public static let byte = TokenAttributes(rawValue: 1 << 5)
    /// A token of unknown type: decodes to nothing.
    public static let undefined = TokenAttributes(rawValue: 1 << 6)

    /// From a GGUF token type: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
    init(ggufType: Int) {
        switch ggufType {
        case 1: self = .normal
        case 2: self = .unknown
        case 3: self = .control
        case 4: self = .userDefined
        case 5: self = .unused
        case 6: self = .byte
        default: self = .undefined
        }
    }

    /// Tokens that are matched out of text as a whole (when asked) instead of being tokenized.
    var isSpecial: Bool { !isDisjoint(with: [.control, .userDefined, .unknown]) }
}

/// Token texts, scores and attributes, and the text → id index.
struct Vocabulary: Sendable {
    /// Token text bytes as stored in the model (byte-level BPE texts are in GPT-2's byte alphabet,
    /// SentencePiece texts use U+2581 for spaces).
    let texts: [[UInt8]]
    let scores: [Float]
    private(set) var attributes: [TokenAttributes]
    let index: ByteStringTable

    init(texts: [[UInt8]], scores: [Float]?, attributes: [TokenAttributes]?) {
        // An empty text could never be matched; llama.cpp renames such tokens the same way.
        let texts = texts.enumerated().map { id, text in text.isEmpty ? Array("[EMPTY_\(id)]".utf8) : text }
        self.texts = texts
        self.scores = scores ?? [Float](repeating: 0, count: texts.count)
        self.attributes = attributes ?? [TokenAttributes](repeating: .normal, count: texts.count)
        var index = ByteStringTable(capacity: texts.count)
        for (id, text) in texts.enumerated() { index.insert(text, value: Int32(id)) }
        self.index = index
    }

    var count: Int { texts.count }

    func id(of text: String) -> Int32? {
        let bytes = Array(text.utf8)
        return index.lookup(bytes, 0, bytes.count)
    }

    func contains(_ id: Int32) -> Bool { id >= 0 && Int(id) < texts.count }

    mutating func addAttributes(_ extra: TokenAttributes, to id: Int32) {
        attributes[Int(id)].formUnion(extra)
    }

    mutating func setAttributes(_ new: TokenAttributes, of id: Int32) {
        attributes[Int(id)] = new
    }

    func text(_ id: Int32) -> String { String(decoding: texts[Int(id)], as: UTF8.self) }
}

// MARK: - Special tokens by name

/// llama.cpp recognises several special tokens by their text, marks them as control tokens whatever
/// their stored type, and ends generation on some of them. These lists are those facts.
enum SpecialTokenNames {
    /// Texts that end generation (`special_eog_ids` in llama.cpp).
    static let endOfGeneration: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
        "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
        "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
        "<｜end▁of▁sentence｜>", "[e~[",
    ]
    /// End-of-turn candidates (for `tokenizer.ggml.eot_token_id` when absent).
    static let endOfTurn: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
        "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ]
    static let endOfMessage: Set<String> = ["<|eom_id|>"]
    /// Fill-in-the-middle markers; pad, repo and separator also end generation.
    static let fimPrefix: Set<String> = ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>",
                                         "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>"]
    static let fimSuffix: Set<String> = ["<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>",
                                         "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>"]
    static let fimMiddle: Set<String> = ["<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>",
                                         "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>"]
    static let fimPad: Set<String> = ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"]
    static let fimRepo: Set<String> = ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"]
    static let fimSeparator: Set<String> = ["<|file_sep|>"]
}
