import Foundation
import OpenAIAPI

/// Finds the tool calls in a model's answer. The formats chat templates teach models:
///
/// - Hermes / Qwen: `<tool_call>{"name": …, "arguments": {…}}</tool_call>`, any number, with text around;
/// - Mistral: `[TOOL_CALLS][{"name": …, "arguments": {…}}, …]` or `[TOOL_CALLS]name[ARGS]{…}`;
/// - Llama 3.x: `{"name": …, "parameters": {…}}` (after an optional `<|python_tag|>`), several separated
///   by `;`;
/// - and as a fallback any answer that is nothing but such a JSON object or array of them (also in a
///   ```` ```json ```` fence).
///
/// Only functions the request declared count; a call with another name or JSON that does not parse
/// stays in the text. Arguments come out as compact JSON text (an object), as OpenAI sends them.
enum ToolCallParser {
    struct Result: Equatable {
        /// The text outside the calls, trimmed (empty when the answer is only calls).
        var content: String
        var calls: [FunctionCall]
    }

    /// The markers that open a tool call in some format; text from one on is a call in the making.
    static let markers = ["<tool_call>", "[TOOL_CALLS]", "<|python_tag|>"]

    /// The calls in `text`, or nil when it has none (then the whole text is the answer).
    static func parse(_ text: String, declared: Set<String>) -> Result? {
        let parsed = hermes(text, declared: declared) ?? mistral(text, declared: declared)
            ?? bareJSON(text, declared: declared)
        guard let parsed, !parsed.calls.isEmpty else { return nil }
        return parsed
    }

    // MARK: - Formats

    private static func hermes(_ text: String, declared: Set<String>) -> Result? {
        let open = "<tool_call>", close = "</tool_call>"
        guard text.contains(open) else { return nil }
        var content = "", calls: [FunctionCall] = []
        var rest = text[...]
        while let start = rest.range(of: open) {
            content += rest[..<start.lowerBound]
            let body = rest[start.upperBound...]
            let end = body.range(of: close)
            let inner = end.map { body[..<$0.lowerBound] } ?? body
            if let call = singleCall(inner, declared: declared) {
                calls.append(call)
            } else {
                content += rest[start.lowerBound..<(end?.upperBound ?? rest.endIndex)]
            }
            rest = end.map { body[$0.upperBound...] } ?? body[body.endIndex...]
        }
        content += rest
        return Result(content: content.trimmingCharacters(in: .whitespacesAndNewlines), calls: calls)
    }

    private static func mistral(_ text: String, declared: Set<String>) -> Result? {
        guard let marker = text.range(of: "[TOOL_CALLS]") else { return nil }
        let before = String(text[..<marker.lowerBound])
        let body = text[marker.upperBound...].drop(while: \.isWhitespace)
        var calls: [FunctionCall] = []
        if body.first == "[" {
            guard let end = JSONSpan.end(of: body), let items = Self.calls(in: body[..<end], declared: declared),
                  body[end...].allSatisfy(\.isWhitespace) else { return nil }
            calls = items
        } else {
            // name[ARGS]{…}, repeated.
            var rest = body
            while !rest.isEmpty {
                guard let args = rest.range(of: "[ARGS]") else { return nil }
                let name = rest[..<args.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
                let json = rest[args.upperBound...].drop(while: \.isWhitespace)
                guard declared.contains(name), let end = JSONSpan.end(of: json),
                      let arguments = compactArguments(JSONValue.fromJSON(json[..<end])) else { return nil }
                calls.append(FunctionCall(name: name, arguments: arguments))
                rest = json[end...].drop(while: { $0.isWhitespace || $0 == "," })
                if rest.hasPrefix("[TOOL_CALLS]") { rest = rest.dropFirst("[TOOL_CALLS]".count) }
            }
        }
        return Result(content: before.trimmingCharacters(in: .whitespacesAndNewlines), calls: calls)
    }

    /// Llama 3.x's JSON calls and the fallback: after an optional `<|python_tag|>` (text before it is
    /// content), the rest is one or more objects (separated by `;`) or an array, optionally fenced.
    private static func bareJSON(_ text: String, declared: Set<String>) -> Result? {
        var content = ""
        var body = text[...]
        if let tag = text.range(of: "<|python_tag|>") {
            content = String(text[..<tag.lowerBound])
            body = text[tag.upperBound...]
        }
        var trimmed = Substring(body.trimmingCharacters(in: .whitespacesAndNewlines))
        if trimmed.hasPrefix("```") {
            guard trimmed.hasSuffix("```"), trimmed.count >= 6 else { return nil }
            trimmed = trimmed.dropFirst(3).dropLast(3)
            if trimmed.hasPrefix("json") { trimmed = trimmed.dropFirst(4) }
            trimmed = Substring(trimmed.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var calls: [FunctionCall] = []
        var rest = trimmed
        while !rest.isEmpty {
            guard rest.first == "{" || rest.first == "[", let end = JSONSpan.end(of: rest),
                  let found = Self.calls(in: rest[..<end], declared: declared) else { return nil }
            calls += found
            rest = rest[end...].drop(while: { $0.isWhitespace || $0 == ";" })
        }
        return Result(content: content.trimmingCharacters(in: .whitespacesAndNewlines), calls: calls)
    }

    // MARK: - Calls

    /// The calls in one JSON object or array of objects; nil when any of them is not a declared call.
    private static func calls(in json: Substring, declared: Set<String>) -> [FunctionCall]? {
        switch JSONValue.fromJSON(json) {
        case let .object(fields)?:
            return call(fields, declared: declared).map { [$0] }
        case let .array(items)?:
            var calls: [FunctionCall] = []
            for item in items {
                guard case let .object(fields) = item, let call = call(fields, declared: declared) else { return nil }
                calls.append(call)
            }
            return calls.isEmpty ? nil : calls
        default:
            return nil
        }
    }

    private static func singleCall(_ json: Substring, declared: Set<String>) -> FunctionCall? {
        guard case let .object(fields)? = JSONValue.fromJSON(json) else { return nil }
        return call(fields, declared: declared)
    }

    private static func call(_ fields: [String: JSONValue], declared: Set<String>) -> FunctionCall? {
        // OpenAI-style wrappers ({"type": "function", "function": {…}}) appear too.
        if case let .object(inner)? = fields["function"], fields["name"] == nil { return call(inner, declared: declared) }
        guard case let .string(name)? = fields["name"], declared.contains(name) else { return nil }
        let arguments = fields["arguments"] ?? fields["parameters"] ?? .object([:])
        return compactArguments(arguments).map { FunctionCall(name: name, arguments: $0) }
    }

    /// Arguments as compact JSON object text: an object, or a string holding one.
    static func compactArguments(_ value: JSONValue?) -> String? {
        switch value {
        case .object?:
            return value?.compactText
        case let .string(text)?:
            let decoded = JSONValue.fromJSON(Substring(text))
            guard case .object? = decoded else { return nil }
            return decoded?.compactText
        default:
            return nil
        }
    }
}

/// The extent of a JSON object or array at the start of a text, found by bracket matching outside
/// strings (the content is validated when it is decoded).
enum JSONSpan {
    /// The index just past the bracket that closes the one `text` starts with; nil if it never closes.
    static func end(of text: Substring) -> String.Index? {
        guard let first = text.first, first == "{" || first == "[" else { return nil }
        var depth = 0, inString = false, escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else {
                switch character {
                case "\"": inString = true
                case "{", "[": depth += 1
                case "}", "]":
                    depth -= 1
                    if depth == 0 { return text.index(after: index) }
                default: break
                }
            }
            index = text.index(after: index)
        }
        return nil
    }
}

extension JSONValue {
    /// `text` decoded as JSON, or nil when it is not valid JSON.
    static func fromJSON(_ text: Substring) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// Compact JSON with sorted keys (the same arguments always read the same).
    var compactText: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) }
    }
}
