import Foundation

/// A parsed chat template, ready to render many times. Parsing and rendering are sandboxed: the
/// template sees only the context passed in, and every bound in `limits` holds.
///
/// ```swift
/// let t = try ChatTemplate(source: ggufChatTemplate)
/// let prompt = try t.render(messages: messages, addGenerationPrompt: true,
///                           extra: ["bos_token": "<s>", "eos_token": "</s>"])
/// ```
public struct ChatTemplate: Sendable {
    /// The template text as given.
    public let source: String
    /// The bounds every render of this template runs under.
    public let limits: SandboxLimits
    let body: [Stmt]

    /// Parses `source` with Hugging Face's settings (trim_blocks, lstrip_blocks, loop controls).
    /// Throws `TemplateError.syntax` (with line and column) for text that does not parse.
    public init(source: String, limits: SandboxLimits = .default) throws {
        self.source = source
        self.limits = limits
        body = try Parser.parse(source, maxDepth: limits.maxNesting)
    }

    /// Renders with exactly `context` as the template's variables (plus the built-in globals).
    /// - Parameter now: the clock `strftime_now` reads, in seconds since 1970 (injectable for tests).
    public func render(context: [String: TemplateValue],
                       now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws -> String {
        let interpreter = Interpreter(context: context, limits: limits, now: now)
        return try interpreter.run(body)
    }

    /// Renders a chat: `messages` (each a dictionary with `role`, `content` as a string or a list of
    /// content parts, optional `tool_calls`…), `tools` (function schemas, or nil for none), and
    /// `add_generation_prompt`. `extra` adds or overrides variables such as `bos_token`,
    /// `eos_token`, `enable_thinking`, `documents`.
    public func render(messages: [TemplateValue], tools: [TemplateValue]? = nil, addGenerationPrompt: Bool,
                       extra: [String: TemplateValue] = [:],
                       now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws -> String {
        var context: [String: TemplateValue] = [
            "messages": .array(messages),
            "add_generation_prompt": .bool(addGenerationPrompt),
        ]
        // Hugging Face passes tools=None when there are none; templates test `tools is not none`.
        context["tools"] = tools.map { .array($0) } ?? TemplateValue.none
        for (k, v) in extra { context[k] = v }
        return try render(context: context, now: now)
    }
}
