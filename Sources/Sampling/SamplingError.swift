/// Why a sampler could not be built. Parameter names are text-generation-webui's (and the wire's), so the
/// server can put them in the OpenAI error envelope's `param` field as they are.
public enum SamplingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A sampling parameter is out of its range; `name` is its wire name, e.g. `top_p`.
    case invalidParameter(name: String, reason: String)
    /// The vocabulary size given to the sampler is not positive.
    case invalidVocabularySize(Int)
    /// `custom_token_bans` (with `ban_eos_token`) leaves no token that could be generated.
    case everyTokenBanned

    /// The wire name of the offending parameter, when there is one.
    public var parameterName: String? {
        switch self {
        case .invalidParameter(let name, _): name
        case .everyTokenBanned: "custom_token_bans"
        case .invalidVocabularySize: nil
        }
    }

    public var description: String {
        switch self {
        case .invalidParameter(let name, let reason): "invalid \(name): \(reason)"
        case .invalidVocabularySize(let size): "invalid vocabulary size \(size)"
        case .everyTokenBanned: "custom_token_bans and ban_eos_token ban every token of the vocabulary"
        }
    }
}
