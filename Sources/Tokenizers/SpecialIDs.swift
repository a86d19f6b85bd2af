import GGUF

/// The ids of a model's special tokens, from metadata and, where metadata is silent, from token texts
/// (as llama.cpp finds them).
struct SpecialIDs {
    var bos: Int32?, eos: Int32?, eot: Int32?, eom: Int32?, unk: Int32?, sep: Int32?
    var fimPrefix: Int32?, fimSuffix: Int32?, fimMiddle: Int32?, fimPad: Int32?, fimRepo: Int32?, fimSeparator: Int32?

    private static var keys: [(String, WritableKeyPath<SpecialIDs, Int32?>)] { [
        ("tokenizer.ggml.bos_token_id", \.bos), ("tokenizer.ggml.eos_token_id", \.eos),
        ("tokenizer.ggml.eot_token_id", \.eot), ("tokenizer.ggml.eom_token_id", \.eom),
        ("tokenizer.ggml.unknown_token_id", \.unk), ("tokenizer.ggml.seperator_token_id", \.sep),
        ("tokenizer.ggml.fim_pre_token_id", \.fimPrefix), ("tokenizer.ggml.fim_suf_token_id", \.fimSuffix),
        ("tokenizer.ggml.fim_mid_token_id", \.fimMiddle), ("tokenizer.ggml.fim_pad_token_id", \.fimPad),
        ("tokenizer.ggml.fim_rep_token_id", \.fimRepo), ("tokenizer.ggml.fim_sep_token_id", \.fimSeparator),
        // Older names of the FIM keys.
        ("tokenizer.ggml.prefix_token_id", \.fimPrefix), ("tokenizer.ggml.suffix_token_id", \.fimSuffix),
        ("tokenizer.ggml.middle_token_id", \.fimMiddle),
    ] }

    /// Applies the metadata ids; a default or a stored id outside the vocabulary is not used.
    mutating func read(from file: GGUFFile, vocabularySize: Int) {
        for (key, path) in Self.keys {
            if let id = self[keyPath: path], id < 0 || Int(id) >= vocabularySize { self[keyPath: path] = nil }
            if let stored = file[key]?.intValue, stored >= 0, stored < vocabularySize {
                self[keyPath: path] = Int32(stored)
            }
        }
    }

    /// Fills unset end-of-turn, end-of-message and FIM ids from token texts, marks the tokens llama.cpp
    /// treats as control, and returns the end-of-generation set.
    mutating func resolveByName(_ vocabulary: inout Vocabulary) -> Set<Int32> {
        let byName: [(Set<String>, WritableKeyPath<SpecialIDs, Int32?>)] = [
            (SpecialTokenNames.endOfTurn, \.eot), (SpecialTokenNames.endOfMessage, \.eom),
            (SpecialTokenNames.fimPrefix, \.fimPrefix), (SpecialTokenNames.fimSuffix, \.fimSuffix),
            (SpecialTokenNames.fimMiddle, \.fimMiddle), (SpecialTokenNames.fimPad, \.fimPad),
            (SpecialTokenNames.fimRepo, \.fimRepo), (SpecialTokenNames.fimSeparator, \.fimSeparator),
        ]
        // Texts are only compared for tokens that look special, to keep loading a 262k vocabulary cheap.
        let candidates = (0..<vocabulary.count).filter { id in
            let t = vocabulary.texts[id]
            return t.count >= 3 && t.count <= 32 && (t.first == 0x3C || t.first == 0x5B || t.first == 0x5F
                || t.first == 0xE2 || t.first == 0x7C || t.first == 0x3E)
        }.map(Int32.init)
        // llama.cpp walks a hash map here, so which of several matching texts wins is unspecified;
        // this takes the lowest id.
        for id in candidates {
            let text = vocabulary.text(id)
            for (names, path) in byName where self[keyPath: path] == nil && names.contains(text) {
                self[keyPath: path] = id
                vocabulary.addAttributes(.control, to: id)
            }
        }
        var endOfGeneration = Set([fimPad, fimRepo, fimSeparator].compactMap { $0 })
        for id in candidates {
            let text = vocabulary.text(id)
            if SpecialTokenNames.endOfGeneration.contains(text) {
                endOfGeneration.insert(id)
                vocabulary.addAttributes(.control, to: id)
            }
            // gpt-oss: these must always be rendered.
            if ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"].contains(text) {
                vocabulary.setAttributes(.userDefined, of: id)
            }
        }
        for id in [eos, eot, eom].compactMap({ $0 }) { endOfGeneration.insert(id) }

        // Harmony-style vocabularies: "<|end|>" ends a message, not generation, when "<|return|>" and
        // "<|call|>" (or "<|calls|>" and "<|flush|>") exist.
        let eogTexts = Dictionary(endOfGeneration.map { (vocabulary.text($0), $0) }, uniquingKeysWith: min)
        if let end = eogTexts["<|end|>"],
           (eogTexts["<|return|>"] != nil && eogTexts["<|call|>"] != nil)
            || (eogTexts["<|calls|>"] != nil && eogTexts["<|flush|>"] != nil) {
            endOfGeneration.remove(end)
            vocabulary.setAttributes(.userDefined, of: end)
        }
        // Vocabularies with these markers use "</s>" as an ordinary token.
        if let s = eogTexts["</s>"], eogTexts["<|tool_response>"] != nil || eogTexts["<|plamo:eos|>"] != nil {
            endOfGeneration.remove(s)
            vocabulary.setAttributes(.normal, of: s)
        }
        return endOfGeneration
    }
}
