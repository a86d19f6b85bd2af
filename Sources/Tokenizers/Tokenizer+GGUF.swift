import GGUF

extension Tokenizer {
    /// Builds the tokenizer a GGUF model describes (`tokenizer.ggml.*`).
    ///
    /// `tokenizer.ggml.model` picks the family: `gpt2` → byte-level BPE with the pre-tokenizer named by
    /// `tokenizer.ggml.pre` (an unknown name throws ``TokenizerError/unsupportedPreTokenizer(_:)``; a
    /// missing one means `default`, as in llama.cpp), `llama` → SentencePiece, `bert` → WordPiece.
    public static func load(gguf file: GGUFFile) throws -> Tokenizer {
        let model = try string(file, "tokenizer.ggml.model")
        let texts = try stringArray(file, "tokenizer.ggml.tokens")
        let scores = try file["tokenizer.ggml.scores"].map { value -> [Float] in
            guard let array = value.arrayValue, let floats = try? array.floats(), floats.count >= texts.count else {
                throw TokenizerError.invalidValue(key: "tokenizer.ggml.scores", reason: "expected \(texts.count) floats")
            }
            return floats
        }
        let types = try file["tokenizer.ggml.token_type"].map { value -> [Int] in
            guard let array = value.arrayValue, let ints = try? array.ints(), ints.count >= texts.count else {
                throw TokenizerError.invalidValue(key: "tokenizer.ggml.token_type", reason: "expected \(texts.count) integers")
            }
            return ints
        }
        var vocabulary = Vocabulary(texts: texts, scores: scores,
                                    attributes: types.map { $0.prefix(texts.count).map(TokenAttributes.init(ggufType:)) })

        // Family defaults, then metadata overrides (the order llama.cpp applies them in).
        var ids = SpecialIDs()
        var addBOS = false, addEOS = false, addSEP = false, addSpacePrefix = false, cleanSpaces = false
        let kind: Kind
        var preTokenizer: (PreTokenizer, ignoreMerges: Bool, cleanSpaces: Bool)?
        switch model {
        case "gpt2":
            kind = .bytePair
            ids.bos = 11
            ids.eos = 11
            let pre = file["tokenizer.ggml.pre"]?.stringValue ?? "default"
            guard let named = PreTokenizer.named(pre) else { throw TokenizerError.unsupportedPreTokenizer(pre) }
            preTokenizer = named
            cleanSpaces = named.cleanSpaces
            // llama.cpp turns BOS on for the llama3 family (the only one here that ignores merges) before
            // reading add_bos_token.
            addBOS = named.ignoreMerges
        case "llama":
            kind = .sentencePiece
            (ids.bos, ids.eos, ids.unk) = (1, 2, 0)
            addBOS = true
            addSpacePrefix = true
        case "bert":
            kind = .wordPiece
            (ids.bos, ids.unk, ids.sep) = (101, 100, 102)
            addBOS = true
            addSEP = true
            cleanSpaces = true
        default:
            throw TokenizerError.unsupportedModel(model)
        }
        addSpacePrefix = file["tokenizer.ggml.add_space_prefix"]?.boolValue ?? addSpacePrefix
        ids.read(from: file, vocabularySize: texts.count)
        addBOS = file["tokenizer.ggml.add_bos_token"]?.boolValue ?? addBOS
        addEOS = file["tokenizer.ggml.add_eos_token"]?.boolValue ?? addEOS
        addSEP = file["tokenizer.ggml.add_sep_token"]?.boolValue ?? addSEP

        let endOfGeneration = ids.resolveByName(&vocabulary)

        let engine: Engine
        switch kind {
        case .bytePair:
            let merges = try stringArray(file, "tokenizer.ggml.merges")
            guard let (pre, ignoreMerges, _) = preTokenizer else { throw TokenizerError.missingKey("tokenizer.ggml.pre") }
            engine = .bytePair(BytePairEncoder(vocabulary: vocabulary, merges: merges, preTokenizer: pre,
                                               ignoreMerges: ignoreMerges))
        case .sentencePiece:
            engine = .sentencePiece(SentencePieceEncoder(vocabulary: vocabulary, unknown: ids.unk))
        case .wordPiece:
            var options = WordPieceEncoder.Options()
            options.lowercase = file["tokenizer.ggml.normalizer.lowercase"]?.boolValue ?? true
            options.stripAccents = file["tokenizer.ggml.normalizer.strip_accents"]?.boolValue ?? options.lowercase
            // Unknown words must map to a real token: the metadata's, else [UNK] by text.
            guard let unknown = [ids.unk, vocabulary.id(of: "[UNK]")].compactMap({ $0 })
                .first(where: { $0 >= 0 && Int($0) < vocabulary.count })
            else { throw TokenizerError.missingKey("tokenizer.ggml.unknown_token_id") }
            engine = .wordPiece(WordPieceEncoder(pieces: ggufWordPieces(vocabulary), unknown: unknown, options: options))
        }
        return Tokenizer(kind: kind, vocabulary: vocabulary, engine: engine,
                         pieces: pieces(vocabulary, kind: kind), bos: ids.bos, eos: ids.eos, sep: ids.sep,
                         addBOS: addBOS, addEOS: addEOS, addSEP: addSEP, addSpacePrefix: addSpacePrefix,
                         cleanSpaces: cleanSpaces, endOfGeneration: endOfGeneration)
    }

    /// llama.cpp's GGUF BERT vocabularies mark word starts with U+2581 and store continuations bare;
    /// this rewrites them into WordPiece's `##` convention.
    private static func ggufWordPieces(_ vocabulary: Vocabulary) -> [[UInt8]: Int32] {
        let lowLine: [UInt8] = [0xE2, 0x96, 0x81]
        var pieces: [[UInt8]: Int32] = [:]
        for (id, text) in vocabulary.texts.enumerated() {
            let key: [UInt8]
            if text.starts(with: lowLine) {
                key = Array(text.dropFirst(lowLine.count))
            } else if vocabulary.attributes[id].isSpecial {
                key = text
            } else {
                key = Array("##".utf8) + text
            }
            if pieces[key] == nil { pieces[key] = Int32(id) }
        }
        return pieces
    }

    /// What each token decodes to, following llama.cpp's `token_to_piece`.
    static func pieces(_ vocabulary: Vocabulary, kind: Kind) -> [[UInt8]] {
        let space: [UInt8] = [0x20], lowLine: [UInt8] = [0xE2, 0x96, 0x81]
        return vocabulary.texts.enumerated().map { id, text in
            let attributes = vocabulary.attributes[id]
            if attributes.isSpecial { return text }
            if attributes.contains(.normal) {
                switch kind {
                case .bytePair: return ByteAlphabet.decode(text) ?? text
                case .sentencePiece, .wordPiece: return replace(text, lowLine, with: space)
                }
            }
            if attributes.contains(.byte) {
                if kind == .bytePair { return ByteAlphabet.decode(text) ?? [] }
                // "<0xNN>"
                guard text.count == 6, let byte = UInt8(String(decoding: text[3..<5], as: UTF8.self), radix: 16) else { return [] }
                return [byte]
            }
            return []  // unused and undefined tokens decode to nothing
        }
    }

    static func replace(_ text: [UInt8], _ pattern: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if i + pattern.count <= text.count && text[i..<(i + pattern.count)].elementsEqual(pattern) {
                out.append(contentsOf: replacement)
                i += pattern.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    // MARK: - Metadata helpers

    static func string(_ file: GGUFFile, _ key: String) throws -> String {
        guard let value = file[key] else { throw TokenizerError.missingKey(key) }
        guard let string = value.stringValue else { throw TokenizerError.invalidValue(key: key, reason: "not a string") }
        return string
    }

    static func stringArray(_ file: GGUFFile, _ key: String) throws -> [[UInt8]] {
        guard let value = file[key] else { throw TokenizerError.missingKey(key) }
        guard let array = value.arrayValue, let strings = try? array.stringBytes() else {
            throw TokenizerError.invalidValue(key: key, reason: "not an array of strings")
        }
        return strings
    }
}
