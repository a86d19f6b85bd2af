import OpenAIAPI

/// What part of a chat answer a piece of text is.
enum ChatOutputPiece: Equatable {
    case reasoning(String)
    case content(String)
    /// A `</think>` with no `<think>` before it: the content so far was reasoning (a template opened
    /// the block in a way the prompt did not show). A collected answer moves it; a stream has already
    /// sent it.
    case contentWasReasoning
}

/// Splits one choice's text, as it arrives, into reasoning (`<think>…</think>`), answer text and tool
/// calls, so the same rules serve streamed and collected answers.
///
/// Text that might be the start of a marker is held back until it is known not to be. With tools,
/// everything from a tool-call marker on (or an answer that starts like JSON) is held to the end and
/// parsed by `ToolCallParser`; if it holds no call, it is released as text then.
struct ChatOutputSplitter {
    static let thinkOpen = "<think>"
    static let thinkClose = "</think>"

    /// The functions the model may call; empty when tools are off.
    let declared: Set<String>
    /// Keep only the first call (`parallel_tool_calls: false`).
    let firstCallOnly: Bool
    private var thinking: Bool
    private var sawThinkOpen = false
    /// Drop whitespace at the start of the next reasoning / content text.
    private var trimReasoning: Bool
    private var trimContent = true
    /// Text not yet classified (a possible marker start).
    private var pending = ""
    /// Text held for tool-call parsing at the end.
    private var held: String?
    private var sentContent = false

    /// - Parameters:
    ///   - thinking: the prompt ends inside an open `<think>` block, so the answer starts as reasoning.
    ///   - prefill: text the prompt already put at the start of the answer to force a tool call; it is
    ///     parsed with what follows.
    init(thinking: Bool, declared: Set<String>, firstCallOnly: Bool = false, prefill: String = "") {
        self.thinking = thinking
        self.declared = declared
        self.firstCallOnly = firstCallOnly
        trimReasoning = thinking
        if !prefill.isEmpty { held = prefill }
    }

    /// Whether `text` of a rendered prompt leaves a `<think>` block open at its end.
    static func endsInsideThink(_ prompt: String) -> Bool {
        guard let open = prompt.range(of: thinkOpen, options: .backwards) else { return false }
        return prompt.range(of: thinkClose, range: open.upperBound..<prompt.endIndex) == nil
    }

    private var markers: [String] {
        [Self.thinkOpen, Self.thinkClose] + (declared.isEmpty ? [] : ToolCallParser.markers)
    }

    /// Adds generated text; returns the pieces now known.
    mutating func add(_ text: String) -> [ChatOutputPiece] {
        pending += text
        var pieces: [ChatOutputPiece] = []
        while !pending.isEmpty {
            if held != nil {
                held! += pending
                pending = ""
                break
            }
            if thinking {
                guard let close = pending.range(of: Self.thinkClose) else {
                    let keep = Self.partialMarkerLength(pending, [Self.thinkClose])
                    emitReasoning(String(pending.dropLast(keep)), into: &pieces)
                    pending = String(pending.suffix(keep))
                    break
                }
                emitReasoning(String(pending[..<close.lowerBound]), into: &pieces)
                pending = String(pending[close.upperBound...])
                thinking = false
                trimContent = true
                continue
            }
            if !declared.isEmpty, !sentContent {
                // An answer that starts like JSON may be a bare call: hold it.
                let start = pending.drop(while: \.isWhitespace)
                if start.isEmpty { break }
                if start.first == "{" || start.first == "[" || start.hasPrefix("`") {
                    held = String(start)
                    pending = ""
                    break
                }
            }
            guard let (marker, range) = firstMarker(in: pending) else {
                let keep = Self.partialMarkerLength(pending, markers)
                emitContent(String(pending.dropLast(keep)), into: &pieces)
                pending = String(pending.suffix(keep))
                break
            }
            emitContent(String(pending[..<range.lowerBound]), into: &pieces)
            switch marker {
            case Self.thinkOpen:
                thinking = true
                sawThinkOpen = true
                trimReasoning = true
                pending = String(pending[range.upperBound...])
            case Self.thinkClose:
                if !sawThinkOpen { pieces.append(.contentWasReasoning) }
                trimContent = true
                pending = String(pending[range.upperBound...])
            default:
                held = String(pending[range.lowerBound...])
                pending = ""
            }
        }
        return pieces
    }

    /// The end of the answer: what was held back, and the tool calls found.
    mutating func finish() -> (pieces: [ChatOutputPiece], calls: [FunctionCall]) {
        var pieces: [ChatOutputPiece] = []
        if thinking {
            emitReasoning(pending, into: &pieces)
        } else {
            emitContent(pending, into: &pieces)
        }
        pending = ""
        guard let text = held else { return (pieces, []) }
        held = nil
        guard let parsed = ToolCallParser.parse(text, declared: declared) else {
            emitContent(text, into: &pieces)
            return (pieces, [])
        }
        emitContent(parsed.content, into: &pieces)
        return (pieces, firstCallOnly ? Array(parsed.calls.prefix(1)) : parsed.calls)
    }

    private mutating func emitReasoning(_ text: String, into pieces: inout [ChatOutputPiece]) {
        var text = Substring(text)
        if trimReasoning {
            text = text.drop(while: \.isWhitespace)
            if !text.isEmpty { trimReasoning = false }
        }
        if !text.isEmpty { pieces.append(.reasoning(String(text))) }
    }

    private mutating func emitContent(_ text: String, into pieces: inout [ChatOutputPiece]) {
        var text = Substring(text)
        if trimContent {
            text = text.drop(while: \.isWhitespace)
            if !text.isEmpty { trimContent = false }
        }
        guard !text.isEmpty else { return }
        sentContent = true
        pieces.append(.content(String(text)))
    }

    private func firstMarker(in text: String) -> (String, Range<String.Index>)? {
        markers.compactMap { marker in text.range(of: marker).map { (marker, $0) } }
            .min { $0.1.lowerBound < $1.1.lowerBound }
    }

    /// The length of the longest end of `text` that could begin one of `markers`.
    static func partialMarkerLength(_ text: String, _ markers: [String]) -> Int {
        var longest = 0
        for marker in markers {
            var length = min(marker.count - 1, text.count)
            while length > longest {
                if text.hasSuffix(marker.prefix(length)) {
                    longest = length
                    break
                }
                length -= 1
            }
        }
        return longest
    }
}

/// A collected (not streamed) chat answer split into its parts.
struct ChatOutput: Equatable {
    var content: String
    var reasoning: String?
    var calls: [FunctionCall]

    /// Runs `text` through a splitter configured like `splitter`.
    static func split(_ text: String, with splitter: ChatOutputSplitter) -> ChatOutput {
        var splitter = splitter
        let added = splitter.add(text)
        let (last, calls) = splitter.finish()
        var output = ChatOutput(content: "", reasoning: nil, calls: calls)
        for piece in added + last {
            switch piece {
            case let .reasoning(text): output.reasoning = (output.reasoning ?? "") + text
            case let .content(text): output.content += text
            case .contentWasReasoning:
                output.reasoning = (output.reasoning ?? "") + output.content
                output.content = ""
            }
        }
        return output
    }
}
