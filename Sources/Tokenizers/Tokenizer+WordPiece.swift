import Foundation

extension Tokenizer {
    /// A WordPiece tokenizer from a HF model folder: `tokenizer.json` when present (vocabulary, BERT
    /// normalizer options, added tokens), else `vocab.txt` with `tokenizer_config.json`'s options.
    /// `encode(addSpecial: true)` wraps the text in `[CLS] … [SEP]`; truncation is left to the caller.
    public static func loadWordPiece(folder: String) throws -> Tokenizer {
        let base = URL(fileURLWithPath: folder)
        let jsonURL = base.appendingPathComponent("tokenizer.json")
        var tokens: [String] = []
        var special = Set<String>()
        var options = WordPieceEncoder.Options()
        var unknownText = "[UNK]"
        if FileManager.default.fileExists(atPath: jsonURL.path) {
            let root = try readJSON(jsonURL)
            guard let model = root["model"] as? [String: Any], let vocab = model["vocab"] as? [String: Int] else {
                throw TokenizerError.unreadableFile(path: jsonURL.path, reason: "no model.vocab")
            }
            if let type = model["type"] as? String, type != "WordPiece" {
                throw TokenizerError.unsupportedModel(type)
            }
            tokens = try denseTokens(vocab, path: jsonURL.path)
            unknownText = model["unk_token"] as? String ?? unknownText
            options.continuingSubwordPrefix = model["continuing_subword_prefix"] as? String ?? "##"
            options.maxInputCharsPerWord = model["max_input_chars_per_word"] as? Int ?? 100
            if let normalizer = root["normalizer"] as? [String: Any] {
                options.cleanText = normalizer["clean_text"] as? Bool ?? true
                options.handleChineseChars = normalizer["handle_chinese_chars"] as? Bool ?? true
                options.lowercase = normalizer["lowercase"] as? Bool ?? true
                options.stripAccents = normalizer["strip_accents"] as? Bool ?? options.lowercase
            }
            for added in root["added_tokens"] as? [[String: Any]] ?? [] {
                if added["special"] as? Bool == true, let content = added["content"] as? String { special.insert(content) }
            }
        } else {
            let vocabURL = base.appendingPathComponent("vocab.txt")
            guard let text = try? String(contentsOf: vocabURL, encoding: .utf8) else {
                throw TokenizerError.unreadableFile(path: vocabURL.path, reason: "missing or not UTF-8")
            }
            // Split bytes, not Characters: "\r\n" is one Character and would never equal "\n".
            tokens = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
            }
            if tokens.last == "" { tokens.removeLast() }
            let configURL = base.appendingPathComponent("tokenizer_config.json")
            if let config = try? readJSON(configURL) {
                options.lowercase = config["do_lower_case"] as? Bool ?? true
                options.handleChineseChars = config["tokenize_chinese_chars"] as? Bool ?? true
                options.stripAccents = config["strip_accents"] as? Bool ?? options.lowercase
                unknownText = config["unk_token"] as? String ?? unknownText
            }
            special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        }

        let texts = tokens.map { Array($0.utf8) }
        let attributes = tokens.map { special.contains($0) ? TokenAttributes.control : .normal }
        let vocabulary = Vocabulary(texts: texts, scores: nil, attributes: attributes)
        var pieceIDs: [[UInt8]: Int32] = [:]
        for (id, text) in texts.enumerated() where pieceIDs[text] == nil { pieceIDs[text] = Int32(id) }
        guard let unknown = pieceIDs[Array(unknownText.utf8)] else {
            throw TokenizerError.invalidValue(key: "unk_token", reason: "'\(unknownText)' is not in the vocabulary")
        }
        let prefix = Array(options.continuingSubwordPrefix.utf8)
        // Decoding joins words with spaces and glues continuations on; the first space is dropped.
        let pieces: [[UInt8]] = texts.enumerated().map { id, text in
            if attributes[id].isSpecial { return text }
            if text.starts(with: prefix) { return Array(text.dropFirst(prefix.count)) }
            return [0x20] + text
        }
        return Tokenizer(kind: .wordPiece, vocabulary: vocabulary,
                         engine: .wordPiece(WordPieceEncoder(pieces: pieceIDs, unknown: unknown, options: options)),
                         pieces: pieces, bos: pieceIDs[Array("[CLS]".utf8)], eos: nil, sep: pieceIDs[Array("[SEP]".utf8)],
                         addBOS: true, addEOS: false, addSEP: true, addSpacePrefix: true, cleanSpaces: true,
                         endOfGeneration: [])
    }

    private static func readJSON(_ url: URL) throws -> [String: Any] {
        do {
            let data = try Data(contentsOf: url)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw TokenizerError.unreadableFile(path: url.path, reason: "not a JSON object")
            }
            return object
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: "\(error)")
        }
    }

    /// Tokens ordered by id; ids must cover 0..<count without gaps.
    private static func denseTokens(_ vocab: [String: Int], path: String) throws -> [String] {
        var tokens = [String?](repeating: nil, count: vocab.count)
        for (token, id) in vocab {
            guard id >= 0, id < tokens.count, tokens[id] == nil else {
                throw TokenizerError.unreadableFile(path: path, reason: "vocabulary ids are not 0..<\(vocab.count)")
            }
            tokens[id] = token
        }
        return tokens.map { $0 ?? "" }
    }
}
