/// Everything that can go wrong while building a tokenizer. Encoding and decoding never throw: every
/// input string has a tokenization and unknown ids decode to nothing.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required metadata key is absent (`tokenizer.ggml.tokens`, `tokenizer.ggml.merges`, …).
    case missingKey(String)
    /// A metadata key holds the wrong type or an unusable value.
    case invalidValue(key: String, reason: String)
    /// `tokenizer.ggml.model` names a tokenizer family this module does not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer this module does not implement. Guessing would
    /// silently produce wrong ids, so loading stops instead.
    case unsupportedPreTokenizer(String)
    /// A file of a HF tokenizer folder could not be read or parsed.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingKey(let key):
            return "tokenizer metadata is missing '\(key)'"
        case .invalidValue(let key, let reason):
            return "tokenizer metadata '\(key)' is invalid: \(reason)"
        case .unsupportedModel(let model):
            return "unsupported tokenizer model '\(model)' (supported: gpt2, llama, bert)"
        case .unsupportedPreTokenizer(let pre):
            return "unsupported BPE pre-tokenizer '\(pre)'"
        case .unreadableFile(let path, let reason):
            return "cannot read tokenizer file \(path): \(reason)"
        }
    }
}
