/// One template plus the variables every render of it shares, with the probes that recover a
/// template's turn markers: the text that opens an assistant turn, the text that closes one, and the
/// stop strings a model would emit when it starts writing the next turn itself.
struct Renderer {
    let template: ChatTemplate
    let base: [String: TemplateValue]
    let now: @Sendable () -> Double

    static let userProbe = "<<|user-probe|>>"
    static let assistantProbe = "<<|assistant-probe|>>"

    func render(_ messages: [TemplateValue], generationPrompt: Bool) throws -> String {
        var context = base
        context["messages"] = .array(messages)
        context["add_generation_prompt"] = .bool(generationPrompt)
        return try template.render(context: context, now: now)
    }

    private static func turn(_ role: String, _ text: String) -> TemplateValue {
        ["role": .string(role), "content": .string(text)]
    }

    /// The text after a user message's content when nothing follows it.
    private func userSuffix() -> String {
        guard let p = try? render([Self.turn("user", Self.userProbe)], generationPrompt: false),
              let r = p.range(of: Self.userProbe) else { return "" }
        return String(p[r.upperBound...])
    }

    /// The text that closes an assistant turn (`<|im_end|>\n`, `\n`, …).
    func assistantSuffix() -> String {
        guard let p = try? render([Self.turn("user", Self.userProbe), Self.turn("assistant", Self.assistantProbe)],
                                  generationPrompt: false),
              let r = p.range(of: Self.assistantProbe) else { return "" }
        return String(p[r.upperBound...])
    }

    /// `prompt` without the closing text of its last assistant turn, so generation continues that turn.
    func trimAssistantSuffix(_ prompt: String) -> String {
        let suffix = assistantSuffix()
        guard !suffix.isEmpty, prompt.hasSuffix(suffix) else { return prompt }
        return String(prompt.dropLast(suffix.count))
    }

    /// The text that opens an assistant turn: the template's generation prompt when it has one,
    /// otherwise what it writes between a user turn and an assistant turn (e.g. `Bot: ` in a transcript).
    func assistantPrefix(trimTrailingSpaces: Bool) -> String {
        var prefix = ""
        let user = [Self.turn("user", Self.userProbe)]
        if let without = try? render(user, generationPrompt: false), let with = try? render(user, generationPrompt: true),
           with.count > without.count, with.hasPrefix(without) {
            prefix = String(with.dropFirst(without.count))
        } else if let p = try? render(user + [Self.turn("assistant", Self.assistantProbe)], generationPrompt: false),
                  let u = p.range(of: Self.userProbe), let a = p.range(of: Self.assistantProbe), u.upperBound <= a.lowerBound {
            var between = String(p[u.upperBound..<a.lowerBound])
            let closing = userSuffix()
            if !closing.isEmpty, between.hasPrefix(closing) { between.removeFirst(closing.count) }
            prefix = between
        }
        if trimTrailingSpaces { while prefix.hasSuffix(" ") { prefix.removeLast() } }
        return prefix
    }

    /// Stop strings read off the template's rendering of a short fake exchange: in each gap between
    /// turns, a leading bracketed marker (`<|im_start|>`, `[INST]`) or the text up to a colon (`\nUSER:`).
    func stopStrings() -> [String] {
        let texts = ["first user message", "first assistant message", "second user message", "second assistant message"]
        let fake = zip(["user", "assistant", "user", "assistant"], texts).map { Self.turn($0, $1) }
        guard let p = try? render(fake, generationPrompt: false) else { return [] }
        let ranges = texts.map { p.range(of: $0) }
        guard let r0 = ranges[0], let r1 = ranges[1], let r2 = ranges[2], let r3 = ranges[3],
              r0.upperBound <= r1.lowerBound, r1.upperBound <= r2.lowerBound else { return [] }
        let gaps = [String(p[r0.upperBound..<r1.lowerBound]), String(p[r1.upperBound..<r2.lowerBound]),
                    String(p[r3.upperBound...])]
        var stops: [String] = []
        for gap in gaps {
            let trimmed = Strings.strip(gap, chars: nil, leading: true, trailing: true)
            var found = false
            for (open, close) in [("<", ">"), ("[", "]"), ("(", ")"), ("{", "}")] where trimmed.hasPrefix(open) {
                if let end = trimmed.range(of: close) {
                    stops.append(String(trimmed[..<end.upperBound]))
                    found = true
                }
                break
            }
            if !found, let colon = gap.range(of: ":") { stops.append(String(gap[..<colon.upperBound])) }
        }
        return stops
    }
}
