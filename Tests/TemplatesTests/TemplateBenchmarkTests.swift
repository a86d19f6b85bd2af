import Foundation
import Testing
import TestSupport
@testable import Templates

@Suite struct TemplateBenchmarkTests {
    @Test func fiftyMessagesWithToolsRenderQuickly() throws {
        let (messages, tools) = TemplateBenchmark.conversation()
        #expect(messages.count == 50 && tools.count == 3)
        let result = try TemplateBenchmark.run(iterations: 50)
        #expect(result.outputBytes > 5_000)
        // The target is 5 ms; the bound here leaves room for a loaded CI machine.
        #expect(result.medianMilliseconds < 25, "median \(result.medianMilliseconds) ms")
        print("TemplateBenchmark: median \(result.medianMilliseconds) ms, min \(result.minMilliseconds) ms, \(result.outputBytes) bytes")
    }

    @Test func qwenModelTemplateRendersTheBenchmarkQuickly() throws {
        let url = TestPaths.fixture("Templates", "templates/gguf-Qwen2.5-Coder-0.5B-Instruct.jinja")
        let result = try TemplateBenchmark.run(templateSource: try String(contentsOf: url, encoding: .utf8), iterations: 50)
        #expect(result.outputBytes > 5_000)
        #expect(result.medianMilliseconds < 25, "median \(result.medianMilliseconds) ms")
        print("TemplateBenchmark (Qwen2.5 GGUF template): median \(result.medianMilliseconds) ms, \(result.outputBytes) bytes")
    }

    @Test func benchmarkConversationRendersWithItsTemplate() throws {
        let (messages, tools) = TemplateBenchmark.conversation()
        let out = try ChatTemplate(source: TemplateBenchmark.defaultTemplate)
            .render(messages: messages, tools: tools, addGenerationPrompt: true)
        #expect(out.hasPrefix("<|im_start|>system\nYou are a helpful assistant with tools.\n\n# Tools\n\n<tools>\n{\"type\": \"function\""))
        #expect(out.contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"City 1\", \"unit\": \"celsius\"}}\n</tool_call><|im_end|>"))
        #expect(out.contains("<|im_start|>user\n<tool_response>\n{\"temperature\": 11, \"sky\": \"clear\"}\n</tool_response><|im_end|>"))
        #expect(out.hasSuffix("<|im_start|>assistant\n"))
    }
}
