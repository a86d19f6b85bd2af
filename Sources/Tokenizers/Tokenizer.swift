/// Text ↔ token ids for one model, identical to llama.cpp's tokenizer (HF tokenizers' for WordPiece).
///
/// Build one with ``load(gguf:)`` or ``loadWordPiece(folder:)``. Immutable and `Sendable`: one
/// instance serves any number of threads.
public final class Tokenizer: Sendable {
    /// The tokenizer family.
    public enum Kind: String, Sendable {
        /// Byte-level BPE (`gpt2`).
        case bytePair
        /// SentencePiece BPE with byte fallback (`llama`).
        case sentencePiece
        /// BERT WordPiece (`bert`).
        case wordPiece
    }

    enum Engine: Sendable {
        case bytePair(BytePairEncoder)
        case sentencePiece(SentencePieceEncoder)
        case wordPiece(WordPieceEncoder)
    }

    /// Which algorithm this tokenizer runs.
    public let kind: Kind
    let vocabulary: Vocabulary
    let engine: Engine
    let specials: SpecialTokenMatcher
    /// Decoded bytes of every token (what ``pieceBytes(_:)`` returns).
    let pieces: [[UInt8]]

    /// Beginning-of-sequence id, if the model has one.
    public let bos: Int32?
    /// End-of-sequence id, if the model has one.
    public let eos: Int32?
    /// Separator id (BERT's `[SEP]`), if any.
    public let sep: Int32?
    /// Whether `encode(addSpecial: true)` prepends ``bos`` (`tokenizer.ggml.add_bos_token`).
    public let addBOS: Bool
    /// Whether `encode(addSpecial: true)` appends ``eos`` (`tokenizer.ggml.add_eos_token`).
    public let addEOS: Bool
    /// Whether `encode(addSpecial: true)` appends ``sep`` (WordPiece).
    public let addSEP: Bool
    /// SentencePiece: a space is put before text that starts the input or follows a special token, and
    /// decoding drops the first piece's leading space. Also set for WordPiece, whose word-start pieces
    /// decode with a leading space.
    public let addSpacePrefix: Bool
    /// Whether decoding removes spaces before punctuation, as llama.cpp does for some BPE models.
    public let cleanSpaces: Bool
    /// Tokens that end generation: eos, eot, eom and the end-of-turn tokens llama.cpp recognises by
    /// text (`<|im_end|>`, `<end_of_turn>`, `<|endoftext|>`, …).
    public let endOfGeneration: Set<Int32>

    init(kind: Kind, vocabulary: Vocabulary, engine: Engine, pieces: [[UInt8]], bos: Int32?, eos: Int32?,
         sep: Int32?, addBOS: Bool, addEOS: Bool, addSEP: Bool, addSpacePrefix: Bool, cleanSpaces: Bool,
         endOfGeneration: Set<Int32>) {
        self.kind = kind
        self.vocabulary = vocabulary
        self.engine = engine
        self.pieces = pieces
        self.bos = bos
        self.eos = eos
        self.sep = sep
        self.addBOS = addBOS && bos != nil
        self.addEOS = addEOS && eos != nil
        self.addSEP = addSEP && sep != nil
        self.addSpacePrefix = addSpacePrefix
        self.cleanSpaces = cleanSpaces
        self.endOfGeneration = endOfGeneration
        specials = SpecialTokenMatcher(vocabulary: vocabulary)
    }

    /// Number of token ids (valid ids are `0..<vocabularySize`).
    public var vocabularySize: Int { vocabulary.count }

    /// The attributes of a token (normal, control, user-defined, byte, …); empty for an invalid id.
    public func attributes(_ id: Int32) -> TokenAttributes {
        vocabulary.contains(id) ? vocabulary.attributes[Int(id)] : []
    }

    /// Whether `id` is a control or unknown token (what `skipSpecial` drops when decoding).
    public func isControl(_ id: Int32) -> Bool {
        !attributes(id).isDisjoint(with: [.control, .unknown])
    }

    /// The token's text as stored in the vocabulary (byte-alphabet or ▁ form); nil for an invalid id.
    public func tokenString(_ id: Int32) -> String? {
        guard vocabulary.contains(id) else { return nil }
        return String(decoding: vocabulary.texts[Int(id)], as: UTF8.self)
    }

    /// The id of a token text exactly as stored (`"<|im_end|>"`, `"▁the"`), if present.
    public func tokenID(_ text: String) -> Int32? { vocabulary.id(of: text) }

    /// The bytes a token stands for when decoded (special tokens as their text); empty for an invalid
    /// id. A piece may be part of a UTF-8 sequence.
    public func pieceBytes(_ id: Int32) -> [UInt8] {
        vocabulary.contains(id) ? pieces[Int(id)] : []
    }

    // MARK: - Encoding

    /// Token ids of `text`.
    /// - Parameters:
    ///   - addSpecial: add BOS/EOS (or CLS/SEP) as the model's metadata says.
    ///   - parseSpecial: turn special-token texts in `text` (`<|im_start|>`) into their ids; when false
    ///     they are tokenized as plain text (user-defined tokens are matched either way, as in llama.cpp).
    public func encode(_ text: String, addSpecial: Bool = true, parseSpecial: Bool = false) -> [Int32] {
        let bytes = Array(text.utf8)
        let fragments = specials.partition(bytes, parseSpecial: parseSpecial)
        var output: [Int32] = []
        output.reserveCapacity(bytes.count / 3 + 4)
        if addSpecial && addBOS, let bos { output.append(bos) }
        switch engine {
        case .bytePair(let bpe):
            var cache = WordCache()
            for fragment in fragments {
                switch fragment {
                case .text(let range): bpe.encode(bytes, range, into: &output, cache: &cache)
                case .token(let id): output.append(id)
                }
            }
        case .sentencePiece(let spm):
            var previousSpecial = true
            for fragment in fragments {
                switch fragment {
                case .text(let range):
                    spm.encode(bytes[range], spacePrefix: addSpacePrefix && previousSpecial, into: &output)
                    previousSpecial = false
                case .token(let id):
                    output.append(id)
                    previousSpecial = true
                }
            }
        case .wordPiece(let wpm):
            for fragment in fragments {
                switch fragment {
                case .text(let range): wpm.encode(bytes[range], into: &output)
                case .token(let id): output.append(id)
                }
            }
        }
        if addSpecial && addEOS, let eos { output.append(eos) }
        if addSpecial && addSEP, let sep { output.append(sep) }
        return output
    }
}
