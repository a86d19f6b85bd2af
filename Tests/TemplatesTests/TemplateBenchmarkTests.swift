import Foundation
import Testing
import TestSupport
@testable import Templates

@Suite struct TemplateBenchmarkTests {
    // Render time is measured by `swiftlet bench templates`; these tests check what the benchmark renders.
    @Test func fiftyMessagesWithToolsRender() throws {
        let (messages, tools) = TemplateBenchmark.conversation()
        #expect(messages.count == 50 && tools.count == 3)
        let result = try TemplateBenchmark.run(iterations: 50)
        #expect(result.outputBytes > 5_000)
        print("TemplateBenchmark: median \(result.medianMilliseconds) ms, min \(result.minMilliseconds) ms, \(result.outputBytes) bytes")
    }

    @Test func qwenModelTemplateRendersTheBenchmark() throws {
        let url = TestPaths.fixture("Templates", "templates/gguf-Qwen2.5-Coder-0.5B-Instruct.jinja")
        let result = try TemplateBenchmark.run(templateSource: try String(contentsOf: url, encoding: .utf8), iterations: 50)
        #expect(result.outputBytes > 5_000)
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
