import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing

/// Tool calls end to end through the router with Qwen2.5-Coder, whose chat template teaches the Hermes
/// `<tool_call>` format.
@Suite(.serialized) struct QwenToolTests {
    static let weatherTool = #"""
        {"type": "function", "function": {"name": "get_weather", "description": "Get the current weather in a city",
         "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
        """#

    static func request(_ question: String, extra: String = "") -> String {
        #"{"messages": [{"role": "user", "content": "\#(question)"}], "temperature": 0, "max_tokens": 60, "#
            + #""tools": [\#(weatherTool)]\#(extra)}"#
    }

    @Test func theModelCallsADeclaredToolAndTheResultFlowsBack() async throws {
        let server = try await GenerationServers.qwen25.value
        try await makeApplication(server).test(.router) { client async throws in
            let response = try await client.post("/v1/chat/completions", json: Self.request("What is the weather in Paris?"))
            #expect(response.status == .ok, "\(response.text)")
            let choice = try #require((response.object?["choices"] as? [[String: Any]])?.first)
            #expect(choice["finish_reason"] as? String == "tool_calls")
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["content"] is NSNull)
            let call = try #require((message["tool_calls"] as? [[String: Any]])?.first)
            #expect((call["id"] as? String)?.hasPrefix("call_") == true)
            #expect(call["type"] as? String == "function")
            let function = try #require(call["function"] as? [String: Any])
            #expect(function["name"] as? String == "get_weather")
            let arguments = try #require(function["arguments"] as? String)
            let parsed = try JSONSerialization.jsonObject(with: Data(arguments.utf8)) as? [String: Any]
            #expect(parsed?["city"] as? String == "Paris")

            // The call and its result go back through the template.
            let prompt = try await client.post("/v1/internal/chat-prompt", json: #"""
                {"messages": [{"role": "user", "content": "What is the weather in Paris?"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
                  {"role": "tool", "tool_call_id": "call_1", "content": "18 C and sunny"}],
                 "tools": [\#(Self.weatherTool)]}
                """#)
            let text = try #require(prompt.object?["prompt"] as? String)
            #expect(text.contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"get_weather\""))
            #expect(text.contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>"))
            #expect(text.contains("<tool_response>\n18 C and sunny\n</tool_response>"))
        }
    }

    @Test func streamedCallsArriveAsToolCallDeltas() async throws {
        let server = try await GenerationServers.qwen25.value
        try await makeApplication(server).test(.router) { client async throws in
            let response = try await client.post("/v1/chat/completions", json: Self.request(
                "What is the weather in Paris?", extra: #", "stream": true, "stream_options": {"include_usage": true}"#))
            let chunks = response.chunks
            let deltas = chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first)?["delta"] as? [String: Any] }
            #expect(deltas.first?["role"] as? String == "assistant")
            let calls = deltas.compactMap { $0["tool_calls"] as? [[String: Any]] }.flatMap { $0 }
            #expect(calls.count == 1)
            #expect(calls.first?["index"] as? Int == 0)
            #expect(((calls.first?["function"] as? [String: Any])?["name"]) as? String == "get_weather")
            #expect(!deltas.contains { ($0["content"] as? String)?.contains("tool_call") == true })
            let finishes = chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first)?["finish_reason"] as? String }
            #expect(finishes == ["tool_calls"])
            #expect(response.events.last == "[DONE]")
        }
    }

    @Test func toolChoiceNamesTheFunctionOrTurnsToolsOff() async throws {
        let server = try await GenerationServers.qwen25.value
        try await makeApplication(server).test(.router) { client async throws in
            let forced = try await client.post("/v1/chat/completions", json: Self.request(
                "Hello there!", extra: #", "tool_choice": {"type": "function", "function": {"name": "get_weather"}}"#))
            let forcedChoice = try #require((forced.object?["choices"] as? [[String: Any]])?.first)
            #expect(forcedChoice["finish_reason"] as? String == "tool_calls", "\(forced.text)")

            let off = try await client.post("/v1/chat/completions", json: Self.request(
                "What is the weather in Paris?", extra: #", "tool_choice": "none""#))
            let offChoice = try #require((off.object?["choices"] as? [[String: Any]])?.first)
            #expect(offChoice["finish_reason"] as? String != "tool_calls")
            #expect((offChoice["message"] as? [String: Any])?["tool_calls"] == nil)
            let prompt = try await client.post("/v1/internal/chat-prompt", json: Self.request("Hi", extra: #", "tool_choice": "none""#))
            #expect((prompt.object?["prompt"] as? String)?.contains("<tools>") == false)
        }
    }

    @Test func aTemplateWithoutToolsIsTaughtTheFormat() async throws {
        let server = try await GenerationServers.qwen25.value
        try await makeApplication(server).test(.router) { client async throws in
            let prompt = try await client.post("/v1/internal/chat-prompt", json: Self.request(
                "Hi", extra: #", "instruction_template": "Alpaca""#))
            let text = try #require(prompt.object?["prompt"] as? String)
            #expect(text.contains("<tools>\n{\"function\":{\"description\":\"Get the current weather in a city\",\"name\":\"get_weather\""))
            #expect(text.contains("<tool_call>"))
        }
    }
}
