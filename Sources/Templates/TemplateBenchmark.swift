import Foundation

/// Times template rendering on a 50-message conversation with tool schemas, tool calls and tool
/// results; the CLI's `bench` calls it. The budget this module targets is under 5 ms per render.
public enum TemplateBenchmark {
    /// Timing of one benchmark run.
    public struct Result: Sendable {
        /// Renders measured (after one warm-up render).
        public var iterations: Int
        /// Median wall time of one render, in milliseconds.
        public var medianMilliseconds: Double
        /// Fastest render, in milliseconds.
        public var minMilliseconds: Double
        /// Size of the rendered prompt, in UTF-8 bytes.
        public var outputBytes: Int
    }

    /// A ChatML template with tool schemas, tool calls and grouped tool results (the shape of the
    /// Qwen 2.5 and Hermes templates), used when the caller supplies none.
    public static let defaultTemplate = """
    {%- if tools %}
        {{- '<|im_start|>system\\n' }}
        {%- if messages[0].role == 'system' %}{{- messages[0].content + '\\n\\n' }}{%- endif %}
        {{- '# Tools\\n\\n<tools>' }}
        {%- for tool in tools %}{{- '\\n' + (tool | tojson) }}{%- endfor %}
        {{- '\\n</tools><|im_end|>\\n' }}
    {%- elif messages[0].role == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}
    {%- endif %}
    {%- for message in messages %}
        {%- if message.role == 'user' or (message.role == 'assistant' and not message.tool_calls) %}
            {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}
        {%- elif message.role == 'assistant' %}
            {{- '<|im_start|>assistant' }}
            {%- if message.content %}{{- '\\n' + message.content }}{%- endif %}
            {%- for call in message.tool_calls %}
                {%- set call = call.function if call.function is defined else call %}
                {{- '\\n<tool_call>\\n{"name": "' + call.name + '", "arguments": ' + (call.arguments | tojson) + '}\\n</tool_call>' }}
            {%- endfor %}
            {{- '<|im_end|>\\n' }}
        {%- elif message.role == 'tool' %}
            {%- if loop.first or messages[loop.index0 - 1].role != 'tool' %}{{- '<|im_start|>user' }}{%- endif %}
            {{- '\\n<tool_response>\\n' + message.content + '\\n</tool_response>' }}
            {%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}{{- '<|im_end|>\\n' }}{%- endif %}
        {%- endif %}
    {%- endfor %}
    {%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}
    """

    /// The benchmark conversation: a system message, then user / assistant-with-tool-call / tool result /
    /// assistant answer rounds until there are 50 messages, with three tool schemas.
    public static func conversation() -> (messages: [TemplateValue], tools: [TemplateValue]) {
        func tool(_ name: String, _ description: String, _ params: [String]) -> TemplateValue {
            var properties: [(String, TemplateValue)] = []
            for p in params { properties.append((p, ["type": "string", "description": .string("The \(p) to use.")])) }
            return ["type": "function", "function": ["name": .string(name), "description": .string(description),
                                                     "parameters": ["type": "object",
                                                                    "properties": .object(properties),
                                                                    "required": .array(params.map { .string($0) })]]]
        }
        let tools = [tool("get_weather", "Current weather for a city.", ["city", "unit"]),
                     tool("search", "Search the web.", ["query"]),
                     tool("read_file", "Read a file from the workspace.", ["path", "encoding"])]
        var messages: [TemplateValue] = [["role": "system", "content": "You are a helpful assistant with tools."]]
        var round = 0
        while messages.count < 50 {
            round += 1
            messages.append(["role": "user", "content": .string("Question \(round): what is the weather in city \(round)? Please be precise.")])
            messages.append(["role": "assistant", "content": "", "tool_calls": [[
                "id": .string("call\(round)"), "type": "function",
                "function": ["name": "get_weather", "arguments": ["city": .string("City \(round)"), "unit": "celsius"]]]]])
            messages.append(["role": "tool", "tool_call_id": .string("call\(round)"),
                             "content": .string("{\"temperature\": \(10 + round % 20), \"sky\": \"clear\"}")])
            messages.append(["role": "assistant", "content": .string("In City \(round) it is \(10 + round % 20) °C under a clear sky.")])
        }
        return (Array(messages.prefix(50)), tools)
    }

    /// Renders the benchmark conversation `iterations` times with `templateSource` (parsed once).
    public static func run(templateSource: String = defaultTemplate, iterations: Int = 200) throws -> Result {
        let template = try ChatTemplate(source: templateSource)
        let (messages, tools) = conversation()
        let extra: [String: TemplateValue] = ["bos_token": "<s>", "eos_token": "</s>"]
        let warm = try template.render(messages: messages, tools: tools, addGenerationPrompt: true, extra: extra)
        var times: [Double] = []
        times.reserveCapacity(max(1, iterations))
        let clock = ContinuousClock()
        for _ in 0..<max(1, iterations) {
            let elapsed = try clock.measure {
                _ = try template.render(messages: messages, tools: tools, addGenerationPrompt: true, extra: extra)
            }
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
        }
        times.sort()
        return Result(iterations: times.count, medianMilliseconds: times[times.count / 2],
                      minMilliseconds: times[0], outputBytes: warm.utf8.count)
    }
}
