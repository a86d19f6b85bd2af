import Foundation
import Testing
import TestSupport
@testable import Templates

/// text-generation-webui compatibility: template choice, the three modes, continue, characters, stop strings.
@Suite struct ChatPromptTests {
    let builder = ChatPromptBuilder(
        instructionTemplatesDirectory: TestPaths.repoRoot.appendingPathComponent("instruction-templates"),
        charactersDirectory: TestPaths.repoRoot.appendingPathComponent("characters"))

    let conversation: [TemplateValue] = [
        ["role": "system", "content": "Be brief."],
        ["role": "user", "content": "Hi!"],
    ]

    func options(_ configure: (inout PromptOptions) -> Void) -> PromptOptions {
        var o = PromptOptions()
        configure(&o)
        return o
    }

    @Test func namedTemplateRendersAndDerivesStops() throws {
        let r = try builder.build(messages: conversation, options: options { $0.instructionTemplate = "ChatML" })
        #expect(r.prompt == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n")
        #expect(r.stopStrings == ["<|im_end|>"])
        #expect(r.instructionTemplate == "ChatML")
    }

    @Test func alpacaIsTheFallback() throws {
        let r = try builder.build(messages: [["role": "user", "content": "Name a color."]], options: PromptOptions())
        #expect(r.instructionTemplate == "Alpaca")
        #expect(r.prompt == "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\nName a color.\n\n### Response:\n")
        #expect(r.stopStrings == ["\n\n### Response:", "\n\n### Instruction:"])
    }

    @Test func templateChoiceOrder() throws {
        let model = "{% for m in messages %}[{{ m.content }}]{% endfor %}"
        // inline beats name beats the model's own beats the name guess.
        var o = options {
            $0.instructionTemplateStr = "INLINE{{ messages | length }}"
            $0.instructionTemplate = "ChatML"
            $0.modelTemplate = model
            $0.modelName = "Meta-Llama-3-8B-Instruct"
        }
        #expect(try builder.build(messages: conversation, options: o).prompt == "INLINE2")
        o.instructionTemplateStr = nil
        #expect(try builder.build(messages: conversation, options: o).instructionTemplate == "ChatML")
        o.instructionTemplate = nil
        let fromModel = try builder.build(messages: conversation, options: o)
        #expect(fromModel.prompt == "[Be brief.][Hi!]" && fromModel.instructionTemplate == "model")
        o.modelTemplate = nil
        #expect(try builder.build(messages: conversation, options: o).instructionTemplate == "Llama-v3")
        o.modelName = "some-unknown-model"
        #expect(try builder.build(messages: conversation, options: o).instructionTemplate == "Alpaca")
    }

    @Test func modelMapGuesses() throws {
        let cases = ["SmolLM2-135M-Instruct.Q4_1.gguf": "ChatML", "Qwen2.5-Coder-0.5B-Instruct": "Qwen",
                     "gemma-3-270m": "Gemma", "Mistral-7B-Instruct-v0.3": "Mistral", "llama-2-13b-chat": "Llama-v2",
                     "Phi-3-mini-4k": "Phi-3", "vicuna-13b-v1.5": "Vicuna-v1.1"]
        for (model, expected) in cases {
            #expect(try builder.templates.guess(modelName: model) == expected, "\(model)")
        }
        #expect(try builder.templates.guess(modelName: "totally-new-model") == nil)
    }

    @Test func everyShippedTemplateParsesAndRenders() throws {
        let names = builder.templates.names()
        for required in ["Alpaca", "ChatML", "Llama-v2", "Llama-v3", "Mistral", "Vicuna-v1.1", "Gemma", "Phi-3", "Qwen"] {
            #expect(names.contains(required), "\(required) missing")
        }
        let messages: [TemplateValue] = conversation + [["role": "assistant", "content": "Hello."], ["role": "user", "content": "Bye."]]
        for name in names {
            let r = try builder.build(messages: messages, options: options { $0.instructionTemplate = name })
            #expect(r.prompt.contains("Bye.") && r.prompt.contains("Hello."), "\(name)")
            #expect(!r.stopStrings.isEmpty, "\(name) derives no stop strings")
        }
    }

    @Test func unknownTemplateAndUnsafeNamesAreNotFound() {
        for name in ["NoSuchTemplate", "../characters/Example", "/etc/passwd", ".hidden"] {
            #expect(throws: TemplateError.notFound("instruction template '\(name)' not found")) {
                try builder.build(messages: conversation, options: options { $0.instructionTemplate = name })
            }
        }
    }

    @Test func continueLeavesTheLastAssistantTurnOpen() throws {
        let messages: [TemplateValue] = [["role": "user", "content": "Write a haiku."], ["role": "assistant", "content": "Autumn moonlight"]]
        let r = try builder.build(messages: messages, options: options { $0.instructionTemplate = "ChatML"; $0.continueLastMessage = true })
        #expect(r.prompt == "<|im_start|>user\nWrite a haiku.<|im_end|>\n<|im_start|>assistant\nAutumn moonlight")
        let llama = try builder.build(messages: messages, options: options { $0.instructionTemplate = "Llama-v3"; $0.continueLastMessage = true })
        #expect(llama.prompt.hasSuffix("<|start_header_id|>assistant<|end_header_id|>\n\nAutumn moonlight"))
    }

    @Test func chatModeWithCharacter() throws {
        let r = try builder.build(messages: [["role": "user", "content": "Hello there"]],
                                  options: options { $0.mode = .chat; $0.character = "Example" })
        let expected = """
        Example is a cheerful, plain-spoken assistant who runs entirely on You's own computer.
        Example answers briefly, admits when something is unknown, and asks a question back when a request is unclear.

        Example: Hi You! I'm Example. Ask me anything, or tell me what you're working on today.
        You: Hello there
        Example:
        """
        #expect(r.prompt == expected)
        #expect(Set(r.stopStrings) == ["\nYou:", "\nExample:"])
    }

    @Test func chatModeNamesAndContextOverride() throws {
        let messages: [TemplateValue] = [["role": "user", "content": "Hi"], ["role": "assistant", "content": "Yo"],
                                         ["role": "user", "content": "Sup"]]
        let r = try builder.build(messages: messages, options: options {
            $0.mode = .chat; $0.name1 = "Ann"; $0.name2 = "Bot"; $0.context = "{{char}} talks to {{user}}."
        })
        #expect(r.prompt == "Bot talks to Ann.\n\nAnn: Hi\nBot: Yo\nAnn: Sup\nBot:")
        let cont = try builder.build(messages: Array(messages.prefix(2)), options: options {
            $0.mode = .chat; $0.name1 = "Ann"; $0.name2 = "Bot"; $0.continueLastMessage = true
        })
        #expect(cont.prompt == "Ann: Hi\nBot: Yo")
    }

    @Test func chatInstructWrapsTheTranscript() throws {
        let r = try builder.build(messages: [["role": "user", "content": "Hello there"]], options: options {
            $0.mode = .chatInstruct; $0.character = "Example"; $0.instructionTemplate = "ChatML"; $0.name1 = "Ann"
        })
        #expect(r.prompt.hasPrefix("<|im_start|>user\nContinue the chat dialogue below. Write a single reply for the character \"Example\".\n\nExample is a cheerful"))
        #expect(r.prompt.hasSuffix("Ann: Hello there\n<|im_end|>\n<|im_start|>assistant\nExample:"))
        #expect(r.stopStrings.contains("<|im_end|>") && r.stopStrings.contains("\nAnn:"))
        let custom = try builder.build(messages: [["role": "user", "content": "Hi"]], options: options {
            $0.mode = .chatInstruct; $0.name2 = "Zed"; $0.instructionTemplate = "ChatML"
            $0.chatInstructCommand = "Reply as <|character|>:\n<|prompt|>"
        })
        #expect(custom.prompt == "<|im_start|>user\nReply as Zed:\nYou: Hi\n<|im_end|>\n<|im_start|>assistant\nZed:")
    }

    @Test func unknownCharacterIsAClearError() {
        #expect(throws: TemplateError.notFound("character 'Nobody' not found")) {
            try builder.build(messages: conversation, options: options { $0.mode = .chat; $0.character = "Nobody" })
        }
    }

    @Test func pygmalionCharacterFiles() throws {
        let c = try ChatCharacter.parse("""
        {"char_name": "Aria", "char_persona": "A ship's AI.", "world_scenario": "Deep space.", "char_greeting": "Welcome aboard.", "example_dialogue": "<START>\\nYou: hi\\nAria: hello"}
        """)
        #expect(c == ChatCharacter(name: "Aria", greeting: "Welcome aboard.",
                                   context: "Aria's Persona: A ship's AI.\nScenario: Deep space.\n<START>\nYou: hi\nAria: hello"))
        #expect(throws: TemplateError.self) { try ChatCharacter.parse("greeting: no name") }
    }

    @Test func contentPartsBecomeText() throws {
        let parts: [TemplateValue] = [["role": "user", "content": [["type": "text", "text": "a"], ["type": "image_url", "image_url": ["url": "x"]], ["type": "text", "text": "b"]]]]
        let r = try builder.build(messages: parts, options: options { $0.mode = .chat; $0.name2 = "B" })
        #expect(r.prompt == "You: a\nb\nB:")
    }
}

@Suite struct PromptOptionsRequestTests {
    @Test func readsWebUIFields() throws {
        let body = try TemplateValue(json: """
        {"model": "x", "mode": "chat-instruct", "character": "Example", "name1": "Ann", "instruction_template": "ChatML",
         "chat-instruct_command": "Reply as <|character|>: <|prompt|>", "continue_": true, "enable_thinking": false,
         "instruction_template_str": ""}
        """)
        guard case let .dictionary(d) = body else {
            Issue.record("not an object")
            return
        }
        let o = try PromptOptions(request: Dictionary(uniqueKeysWithValues: d.map { ($0.key, $0.value) }))
        #expect(o.mode == .chatInstruct && o.character == "Example" && o.name1 == "Ann" && o.instructionTemplate == "ChatML")
        #expect(o.chatInstructCommand == "Reply as <|character|>: <|prompt|>" && o.continueLastMessage)
        #expect(o.instructionTemplateStr == nil && o.name2 == nil)
        #expect(o.extra["enable_thinking"] == .bool(false))
    }

    @Test func unknownModeIsAnError() {
        #expect(throws: TemplateError.invalidOption("unknown mode 'cai-chat': use instruct, chat or chat-instruct")) {
            try PromptOptions(request: ["mode": "cai-chat"])
        }
    }
}
