import OpenAIAPI
@testable import Server
import Testing

@Suite struct ToolCallParserTests {
    let declared: Set<String> = ["get_weather", "get_time"]

    func parse(_ text: String) -> ToolCallParser.Result? { ToolCallParser.parse(text, declared: declared) }

    func call(_ name: String, _ arguments: String) -> FunctionCall { FunctionCall(name: name, arguments: arguments) }

    @Test func hermesCallsWithTextAroundThem() {
        let text = """
            Let me check.
            <tool_call>
            {"name": "get_weather", "arguments": {"city": "Paris", "unit": "c"}}
            </tool_call>
            <tool_call>
            {"name": "get_time", "arguments": {"zone": "CET"}}
            </tool_call>
            """
        #expect(parse(text) == .init(content: "Let me check.", calls: [
            call("get_weather", #"{"city":"Paris","unit":"c"}"#), call("get_time", #"{"zone":"CET"}"#),
        ]))
    }

    @Test func hermesUnclosedAtTheEndAndBadCallsStayText() {
        #expect(parse("<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}") == .init(content: "", calls: [call("get_time", "{}")]))
        // An undeclared function and broken JSON are not calls; the good one still is.
        let text = #"<tool_call>{"name": "rm_rf", "arguments": {}}</tool_call><tool_call>{"name": "get_time", "#
            + #""arguments": {}}</tool_call><tool_call>{"name": "get_weather", "arguments": {"city": </tool_call>"#
        let result = parse(text)
        #expect(result?.calls == [call("get_time", "{}")])
        #expect(result?.content.contains("rm_rf") == true)
        #expect(result?.content.contains(#""city": </tool_call>"#) == true)
        #expect(parse(#"<tool_call>{"name": "rm_rf", "arguments": {}}</tool_call>"#) == nil)
    }

    @Test func argumentsAsAJSONStringOrMissing() {
        #expect(parse(#"<tool_call>{"name": "get_weather", "arguments": "{\"city\": \"Oslo\"}"}</tool_call>"#)?.calls
            == [call("get_weather", #"{"city":"Oslo"}"#)])
        #expect(parse(#"<tool_call>{"name": "get_time"}</tool_call>"#)?.calls == [call("get_time", "{}")])
        // A string that is not a JSON object is not a call.
        #expect(parse(#"<tool_call>{"name": "get_time", "arguments": "now"}</tool_call>"#) == nil)
        #expect(parse(#"<tool_call>{"name": "get_time", "arguments": [1]}</tool_call>"#) == nil)
    }

    @Test func mistralBothForms() {
        #expect(parse(#"[TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Rome"}}, {"name": "get_time", "arguments": {}}]"#)?.calls
            == [call("get_weather", #"{"city":"Rome"}"#), call("get_time", "{}")])
        #expect(parse(#"[TOOL_CALLS]get_weather[ARGS]{"city": "Rome"}[TOOL_CALLS]get_time[ARGS]{}"#)?.calls
            == [call("get_weather", #"{"city":"Rome"}"#), call("get_time", "{}")])
        #expect(parse(#"[TOOL_CALLS]launch[ARGS]{}"#) == nil)
    }

    @Test func llamaJSONWithPythonTagAndSemicolons() {
        #expect(parse(#"<|python_tag|>{"name": "get_weather", "parameters": {"city": "Kyiv"}}; {"name": "get_time", "parameters": {}}"#)?.calls
            == [call("get_weather", #"{"city":"Kyiv"}"#), call("get_time", "{}")])
        #expect(parse(#"  {"name": "get_time", "parameters": {"zone": "UTC"}}  "#)?.calls == [call("get_time", #"{"zone":"UTC"}"#)])
    }

    @Test func genericFallbackFencedArrayAndWrapped() {
        #expect(parse("```json\n[{\"name\": \"get_time\", \"arguments\": {}}]\n```")?.calls == [call("get_time", "{}")])
        #expect(parse(#"{"type": "function", "function": {"name": "get_time", "arguments": {"zone": "PST"}}}"#)?.calls
            == [call("get_time", #"{"zone":"PST"}"#)])
    }

    @Test func ordinaryAnswersAreNotCalls() {
        for text in ["The weather is nice.", #"{"answer": 42}"#, "[1, 2, 3]", "```swift\nprint(1)\n```",
                     #"{"name": "get_time", "arguments": {}} and more text"#, "{", "<tool_call>", ""] {
            #expect(parse(text) == nil, "\(text)")
        }
    }

    @Test func jsonSpansIgnoreBracketsInStrings() {
        let text: Substring = #"{"a": "}]{", "b": [1, {"c": "\"}"}]} tail"#
        let end = JSONSpan.end(of: text)
        #expect(end.map { String(text[..<$0]) } == #"{"a": "}]{", "b": [1, {"c": "\"}"}]}"#)
        #expect(JSONSpan.end(of: #"{"open": ["#) == nil)
        #expect(JSONSpan.end(of: "text") == nil)
    }
}

@Suite struct ChatOutputSplitterTests {
    /// Feeds `text` in pieces cut at `cuts` and returns the pieces and calls.
    func run(_ splitter: ChatOutputSplitter, _ text: String, cuts: [Int]) -> ([ChatOutputPiece], [FunctionCall]) {
        var splitter = splitter
        var pieces: [ChatOutputPiece] = []
        var start = text.startIndex
        for cut in cuts + [text.count] {
            let end = text.index(text.startIndex, offsetBy: cut)
            pieces += splitter.add(String(text[start..<end]))
            start = end
        }
        let (last, calls) = splitter.finish()
        return (pieces + last, calls)
    }

    /// The pieces merged by kind, in order.
    func merged(_ pieces: [ChatOutputPiece]) -> [ChatOutputPiece] {
        var out: [ChatOutputPiece] = []
        for piece in pieces {
            switch (out.last, piece) {
            case let (.reasoning(a)?, .reasoning(b)): out[out.count - 1] = .reasoning(a + b)
            case let (.content(a)?, .content(b)): out[out.count - 1] = .content(a + b)
            default: out.append(piece)
            }
        }
        return out
    }

    @Test func thinkBlocksSplitAtEveryBoundary() {
        let text = "<think>\nWhat is 2+2? Four.</think>\n\nThe answer is 4."
        for cut in 0...text.count {
            let (pieces, calls) = run(ChatOutputSplitter(thinking: false, declared: []), text, cuts: [cut])
            #expect(merged(pieces) == [.reasoning("What is 2+2? Four."), .content("The answer is 4.")], "cut at \(cut)")
            #expect(calls.isEmpty)
        }
    }

    @Test func aPromptThatOpenedThinkAndALoneClose() {
        let (pieces, _) = run(ChatOutputSplitter(thinking: true, declared: []), "hmm, easy</think>Yes.", cuts: [3, 9])
        #expect(merged(pieces) == [.reasoning("hmm, easy"), .content("Yes.")])
        let lone = ChatOutput.split("Thinking aloud.</think>Done.", with: ChatOutputSplitter(thinking: false, declared: []))
        #expect(lone == ChatOutput(content: "Done.", reasoning: "Thinking aloud.", calls: []))
        let unclosed = ChatOutput.split("<think>still going", with: ChatOutputSplitter(thinking: false, declared: []))
        #expect(unclosed == ChatOutput(content: "", reasoning: "still going", calls: []))
    }

    @Test func textThatOnlyLooksLikeAMarkerIsReleased() {
        let (pieces, _) = run(ChatOutputSplitter(thinking: false, declared: ["f"]), "a <thin ice> and <tool_", cuts: [4, 7])
        #expect(merged(pieces) == [.content("a <thin ice> and <tool_")])
    }

    @Test func toolCallAfterReasoningAtEveryBoundary() {
        let text = "<think>Need weather.</think>Checking.<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": 1}}\n</tool_call>"
        for cut in 0...text.count {
            let (pieces, calls) = run(ChatOutputSplitter(thinking: false, declared: ["f"]), text, cuts: [cut])
            #expect(merged(pieces) == [.reasoning("Need weather."), .content("Checking.")], "cut at \(cut)")
            #expect(calls == [FunctionCall(name: "f", arguments: #"{"x":1}"#)], "cut at \(cut)")
        }
    }

    @Test func bareJSONIsHeldAndReleasedWhenItIsNoCall() {
        let call = ChatOutput.split(#"  {"name": "f", "arguments": {}}"#, with: ChatOutputSplitter(thinking: false, declared: ["f"]))
        #expect(call == ChatOutput(content: "", reasoning: nil, calls: [FunctionCall(name: "f", arguments: "{}")]))
        let data = ChatOutput.split(#"{"answer": 1}"#, with: ChatOutputSplitter(thinking: false, declared: ["f"]))
        #expect(data == ChatOutput(content: #"{"answer": 1}"#, reasoning: nil, calls: []))
        // Without tools, JSON streams as text.
        let (pieces, _) = run(ChatOutputSplitter(thinking: false, declared: []), #"{"a": 1}"#, cuts: [2])
        #expect(pieces == [.content(#"{""#), .content(#"a": 1}"#)])
    }

    @Test func prefillIsParsedWithTheAnswerAndParallelCallsCanBeLimited() {
        let splitter = ChatOutputSplitter(thinking: false, declared: ["f", "g"], firstCallOnly: true,
                                          prefill: "<tool_call>\n{\"name\": \"f\", \"arguments\":")
        let output = ChatOutput.split(" {\"y\": 2}}\n</tool_call><tool_call>{\"name\": \"g\"}</tool_call>", with: splitter)
        #expect(output == ChatOutput(content: "", reasoning: nil, calls: [FunctionCall(name: "f", arguments: #"{"y":2}"#)]))
        let failed = ChatOutput.split(" 12", with: ChatOutputSplitter(thinking: false, declared: ["f"], prefill: "<tool_call>{\"name\":"))
        #expect(failed.calls.isEmpty && failed.content == "<tool_call>{\"name\": 12")
    }

    @Test func promptsThatEndInsideThink() {
        #expect(ChatOutputSplitter.endsInsideThink("<|im_start|>assistant\n<think>\n"))
        #expect(!ChatOutputSplitter.endsInsideThink("<think>a</think>answer<|im_start|>assistant\n"))
        #expect(!ChatOutputSplitter.endsInsideThink("no markers"))
    }
}
