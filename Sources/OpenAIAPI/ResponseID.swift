/// Ids in OpenAI's formats: a fixed prefix and random letters and digits (62 symbols, ~5.95 bits each).
public enum ResponseID {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// `chatcmpl-` and 29 random symbols, for `ChatCompletion` and its chunks.
    public static func chatCompletion() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix: "chatcmpl-", length: 29, using: &generator)
    }

    /// `cmpl-` and 29 random symbols, for `Completion` and its chunks.
    public static func completion() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix: "cmpl-", length: 29, using: &generator)
    }

    /// `call_` and 24 random symbols, for `ChatToolCall.id`.
    public static func toolCall() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix: "call_", length: 24, using: &generator)
    }

    /// `modr-` and 29 random symbols, for `ModerationResponse`.
    public static func moderation() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix: "modr-", length: 29, using: &generator)
    }

    /// `prefix` and `length` symbols drawn from `generator` (pass a seeded one for reproducible tests).
    public static func make(
        prefix: String, length: Int, using generator: inout some RandomNumberGenerator
    ) -> String {
        var id = prefix
        id.reserveCapacity(prefix.utf8.count + length)
        for _ in 0..<max(length, 0) {
            id.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
        }
        return id
    }
}
