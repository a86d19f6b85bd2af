import OpenAIAPI

/// The request and response schemas `/openapi.json` refers to, by component name.
enum OpenAPIComponents {
    static var schemas: [String: JSONValue] {
        [
            "ChatCompletionRequest": chatCompletionRequest,
            "CompletionRequest": completionRequest,
            "GenerationOptions": generationOptions,
            "ChatMessage": chatMessage,
            "ContentPart": contentPart,
            "Tool": tool,
            "ToolCall": toolCall,
            "ChatCompletion": chatCompletion,
            "ChatCompletionChunk": chatCompletionChunk,
            "Completion": completion,
            "Usage": usage,
            "Model": model,
            "ModelList": modelList,
            "Error": error,
            "EncodeRequest": Schema.object(required: ["text"], [("text", Schema.string("Text to tokenize."))]),
            "DecodeRequest": Schema.object(required: ["tokens"], [
                ("tokens", Schema.array(Schema.integer("A token id.", minimum: 0), "Token ids to turn back into text.")),
            ]),
            "LogitsRequest": logitsRequest,
            "EmbeddingRequest": Schema.object("Texts or token lists to embed.", required: ["input"], [
                ("input", Schema.oneOf("A string, strings (up to 2048), token ids, or lists of token ids; none empty.",
                                       Schema.string("A text."), Schema.array(Schema.string("A text.")),
                                       Schema.array(Schema.integer("A token id.", minimum: 0)),
                                       Schema.array(Schema.array(Schema.integer("A token id.", minimum: 0))))),
                ("model", Schema.string("An embedding model id, an OpenAI embedding model name (the default model), "
                                        + "or the loaded chat model's id. Default: the default embedding model.")),
                ("encoding_format", Schema.string("How vectors are written. Default float.", values: ["float", "base64"])),
                ("dimensions", Schema.integer("Keep this many values (renormalized); at most the model's size.", minimum: 1)),
                ("user", Schema.string("An end-user identifier; accepted and ignored.")),
            ]),
            "ModerationRequest": Schema.object("Texts to classify.", required: ["input"], [
                ("input", Schema.oneOf("A text or texts.", Schema.string("A text."), Schema.array(Schema.string("A text.")))),
                ("model", Schema.string("Echoed in the response; the default embedding model scores.")),
            ]),
            "EditRequest": Schema.allOf(Schema.object("An edit.", required: ["instruction"], [
                ("model", Schema.string("The model to answer: the loaded model's id (default when absent).")),
                ("instruction", Schema.string("What to do with the input.")),
                ("input", Schema.string("The text to edit. Default empty.")),
                ("max_tokens", Schema.integer("Most tokens to generate. Default 512.", minimum: 1)),
            ] + openAISampling.filter { ["temperature", "top_p", "n"].contains($0.0) }), Schema.ref("GenerationOptions")),
            "LoadModelRequest": loadModelRequest,
        ]
    }

    // MARK: - Shared pieces

    static let stop = Schema.oneOf("Up to 4 strings that end the generation; they are not included in the text.",
                                   Schema.string("One stop string."), Schema.array(Schema.string("A stop string.")))
    static let streamOptions = Schema.object("Streaming options.", [
        ("include_usage", Schema.boolean("Send a last chunk with empty `choices` and the usage; every other chunk has `\"usage\": null`.")),
    ])
    static let logitBias = Schema.object("Token id (as a string) → bias from -100 to 100 added to its logit.",
                                         additional: Schema.number("Bias.", minimum: -100, maximum: 100))
    static let seed = Schema.integer("Sampler seed: the same seed, prompt and settings give the same output. -1 or absent: random.")

    /// OpenAI's sampling parameters common to both completion endpoints.
    static var openAISampling: [(String, JSONValue)] {
        [
            ("temperature", Schema.number("Sampling temperature; 0 is greedy decoding. Default 1.", minimum: 0)),
            ("top_p", Schema.number("Nucleus sampling: keep the most likely tokens up to this probability mass. Default 1.",
                                    minimum: 0, maximum: 1)),
            ("presence_penalty", Schema.number("Penalty on tokens that already appeared. Default 0.", minimum: -2, maximum: 2)),
            ("frequency_penalty", Schema.number("Penalty growing with how often a token appeared. Default 0.",
                                                minimum: -2, maximum: 2)),
            ("logit_bias", logitBias),
            ("seed", seed),
            ("n", Schema.integer("Number of choices to generate. Default 1.", minimum: 1, maximum: 128)),
            ("stop", stop),
            ("stream", Schema.boolean("Stream the answer as server-sent events (`data: {…}` chunks, then `data: [DONE]`).")),
            ("stream_options", streamOptions),
            ("user", Schema.string("An end-user identifier; accepted and ignored.")),
        ]
    }

    // MARK: - Requests

    static var chatCompletionRequest: JSONValue {
        Schema.allOf(Schema.object("A chat completion request: OpenAI's parameters plus text-generation-webui's (see GenerationOptions, "
                      + "accepted at the top level too).", required: ["messages"], [
            ("model", Schema.string("The model to answer: the loaded model's id (default when absent).")),
            ("messages", Schema.array(Schema.ref("ChatMessage"), "The conversation so far, oldest first.")),
            ("max_tokens", Schema.integer("Most tokens to generate. Default 512 (text-generation-webui's).", minimum: 1)),
            ("max_completion_tokens", Schema.integer("OpenAI's newer name for max_tokens; wins when both are given.", minimum: 1)),
            ("logprobs", Schema.boolean("Return each generated token's log probability.")),
            ("top_logprobs", Schema.integer("With logprobs: the most likely alternatives per token.", minimum: 0, maximum: 20)),
            ("tools", Schema.array(Schema.ref("Tool"), "Functions the model may call.")),
            ("tool_choice", Schema.oneOf("\"none\", \"auto\", \"required\", or {\"type\": \"function\", \"function\": {\"name\": …}}.",
                                         Schema.string("A mode.", values: ["none", "auto", "required"]),
                                         Schema.object("A function the model must call.", required: ["type", "function"], [
                                             ("type", Schema.string("Always function.", values: ["function"])),
                                             ("function", Schema.object(required: ["name"], [("name", Schema.string("Its name."))])),
                                         ]))),
            ("parallel_tool_calls", Schema.boolean("Allow several tool calls in one answer. Default true.")),
            ("response_format", Schema.object("Only {\"type\": \"text\"} is accepted; JSON modes are refused with a 400 "
                                              + "because they are not enforced yet.", [
                ("type", Schema.string("The format.", values: ["text", "json_object", "json_schema"])),
            ])),
            ("chat_template_kwargs", Schema.object("Extra variables for the chat template (e.g. enable_thinking).",
                                                   additional: Schema.any("A template variable."))),
            ("mode", Schema.string("text-generation-webui's chat mode. Default instruct.",
                                   values: ["instruct", "chat", "chat-instruct"])),
            ("instruction_template", Schema.string("An instruction template by name (instruction-templates/NAME.yaml); "
                                                   + "default: the model's own chat template.")),
            ("instruction_template_str", Schema.string("An inline Jinja instruction template; wins over instruction_template.")),
            ("character", Schema.string("A character by name (characters/NAME.yaml) for chat modes.")),
            ("name1", Schema.string("The user's name in chat modes.")),
            ("name2", Schema.string("The character's name in chat modes.")),
            ("context", Schema.string("The character's context in chat modes.")),
            ("greeting", Schema.string("The character's greeting in chat modes.")),
            ("user_bio", Schema.string("A description of the user for chat modes.")),
            ("chat_template_str", Schema.string("The Jinja template for chat modes.")),
            ("chat_instruct_command", Schema.string("The chat-instruct command; <|character|> and <|prompt|> are replaced.")),
            ("continue_", Schema.boolean("Continue the last assistant message instead of starting a new one.")),
        ] + openAISampling), Schema.ref("GenerationOptions"))
    }

    static var completionRequest: JSONValue {
        Schema.allOf(Schema.object("A text completion request: OpenAI's parameters plus text-generation-webui's (see GenerationOptions, "
                      + "accepted at the top level too).", required: ["prompt"], [
            ("model", Schema.string("The model to answer: the loaded model's id (default when absent).")),
            ("prompt", Schema.oneOf("What to continue: a string, strings (one completion each), token ids, or lists of token ids.",
                                    Schema.string("A prompt."), Schema.array(Schema.string("A prompt.")),
                                    Schema.array(Schema.integer("A token id.", minimum: 0)),
                                    Schema.array(Schema.array(Schema.integer("A token id.", minimum: 0))))),
            ("suffix", Schema.string("Text after the completion (fill-in-the-middle); not supported: a non-empty suffix is a 400.")),
            ("max_tokens", Schema.integer("Most tokens to generate. Default 16 (OpenAI's).", minimum: 1)),
            ("logprobs", Schema.integer("Return log probabilities with this many alternatives per token.", minimum: 0, maximum: 20)),
            ("echo", Schema.boolean("Return the prompt before the completion (with logprobs: the prompt tokens' too, the first null).")),
            ("best_of", Schema.integer("Accepted only equal to n (or 1).", minimum: 1)),
        ] + openAISampling), Schema.ref("GenerationOptions"))
    }

    static var generationOptions: JSONValue {
        Schema.object("text-generation-webui's generation options, accepted at the top level of completion, chat "
                      + "completion and logits requests. Absent means neutral.", [
            ("preset", Schema.string("A preset name; not available (a non-empty value is a 400).")),
            ("dynamic_temperature", Schema.boolean("Vary the temperature with the entropy of the distribution.")),
            ("dynatemp_low", Schema.number("Lowest dynamic temperature.")),
            ("dynatemp_high", Schema.number("Highest dynamic temperature.")),
            ("dynatemp_exponent", Schema.number("Exponent of the entropy-to-temperature curve.")),
            ("smoothing_factor", Schema.number("Quadratic sampling strength; 0 disables it.")),
            ("smoothing_curve", Schema.number("Quadratic sampling curve.")),
            ("temperature_last", Schema.boolean("Apply temperature after the truncation samplers.")),
            ("min_p", Schema.number("Drop tokens below min_p × the top probability.", minimum: 0, maximum: 1)),
            ("top_k", Schema.integer("Keep the k most likely tokens; 0 disables it.", minimum: 0)),
            ("typical_p", Schema.number("Locally typical sampling mass.", minimum: 0, maximum: 1)),
            ("xtc_threshold", Schema.number("XTC: tokens above this probability may be excluded.")),
            ("xtc_probability", Schema.number("XTC: chance per step of excluding the top tokens; 0 disables it.")),
            ("epsilon_cutoff", Schema.number("Epsilon sampling cutoff in units of 1e-4.")),
            ("eta_cutoff", Schema.number("Eta sampling cutoff in units of 1e-4.")),
            ("tfs", Schema.number("Tail-free sampling.")),
            ("top_a", Schema.number("Top-a sampling.")),
            ("top_n_sigma", Schema.number("Keep tokens within this many standard deviations of the top logit; 0 disables it.")),
            ("adaptive_target", Schema.number("Adaptive-p target probability; 0 disables it.")),
            ("adaptive_decay", Schema.number("Adaptive-p decay.")),
            ("dry_multiplier", Schema.number("DRY repetition penalty strength; 0 disables it.")),
            ("dry_allowed_length", Schema.integer("Repeats up to this length are not penalized by DRY.")),
            ("dry_base", Schema.number("DRY's exponential base.")),
            ("dry_sequence_breakers", Schema.oneOf("Strings that end a DRY match.", Schema.string("Comma-separated JSON strings."),
                                                   Schema.array(Schema.string("A breaker.")))),
            ("repetition_penalty", Schema.number("Multiplicative penalty on tokens already present.")),
            ("repetition_penalty_range", Schema.integer("How many recent tokens the penalties see; 0 means all.", minimum: 0)),
            ("encoder_repetition_penalty", Schema.number("Penalty on tokens absent from the prompt.")),
            ("no_repeat_ngram_size", Schema.integer("Never repeat an n-gram of this size; 0 disables it.", minimum: 0)),
            ("penalty_alpha", Schema.number("Contrastive search; not supported (a non-zero value is a 400).")),
            ("guidance_scale", Schema.number("Classifier-free guidance; not supported (a value other than 1 is a 400).")),
            ("negative_prompt", Schema.string("The negative prompt of classifier-free guidance.")),
            ("mirostat_mode", Schema.integer("Mirostat version: 0 off, 1 or 2.", minimum: 0, maximum: 2)),
            ("mirostat_tau", Schema.number("Mirostat target surprise.")),
            ("mirostat_eta", Schema.number("Mirostat learning rate.")),
            ("do_sample", Schema.boolean("false makes decoding greedy.")),
            ("sampler_priority", Schema.oneOf("Sampler order, first applied first.", Schema.array(Schema.string("A sampler name.")),
                                              Schema.string("Names separated by newlines or commas."))),
            ("auto_max_new_tokens", Schema.boolean("Keep generating past max_tokens up to the context size.")),
            ("ban_eos_token", Schema.boolean("Never end on the end-of-sequence token.")),
            ("add_bos_token", Schema.boolean("Prepend the BOS token to the prompt. Default true.")),
            ("skip_special_tokens", Schema.boolean("Leave special tokens out of the text. Default true.")),
            ("custom_token_bans", Schema.string("Comma-separated token ids that are never sampled.")),
            ("truncation_length", Schema.integer("Keep only the last this-many prompt tokens (instead of a 400 when the prompt "
                                                 + "is too long); 0 means the context size.", minimum: 0)),
            ("max_tokens_second", Schema.integer("Throttle streaming to this many tokens per second; 0 is unlimited.", minimum: 0)),
            ("prompt_lookup_num_tokens", Schema.integer("Prompt-lookup decoding length; accepted, no effect.")),
            ("static_cache", Schema.boolean("Transformers' static cache; accepted, no effect.")),
            ("seed", seed),
            ("grammar_string", Schema.string("A GBNF grammar; not supported yet (a non-empty value is a 400).")),
            ("enable_thinking", Schema.boolean("Passed to the chat template as enable_thinking. Default true.")),
            ("reasoning_effort", Schema.string("Passed to the chat template as reasoning_effort.", values: ["low", "medium", "high"])),
            ("preserve_thinking", Schema.boolean("Keep earlier turns' reasoning in the prompt.")),
        ])
    }

    static var chatMessage: JSONValue {
        Schema.object("One message of the conversation.", required: ["role"], [
            ("role", Schema.string("Who speaks.", values: ["system", "developer", "user", "assistant", "tool"])),
            ("content", Schema.oneOf("The text, or content parts (text parts; images and audio are refused by text-only models).",
                                     Schema.string("The text."), Schema.array(Schema.ref("ContentPart")))),
            ("name", Schema.string("The speaker's name.")),
            ("tool_calls", Schema.array(Schema.ref("ToolCall"), "An assistant message's tool calls.")),
            ("tool_call_id", Schema.string("A tool message's answer to this call.")),
            ("reasoning_content", Schema.string("An assistant message's reasoning.")),
        ])
    }

    static var contentPart: JSONValue {
        Schema.object("A content part.", required: ["type"], [
            ("type", Schema.string("The part's kind.", values: ["text", "image_url", "input_audio", "file", "refusal"])),
            ("text", Schema.string("A text part's text.")),
            ("refusal", Schema.string("A refusal part's text.")),
            ("image_url", Schema.object("An image part.", [("url", Schema.string("URL or data URL.")),
                                                            ("detail", Schema.string("Detail level."))])),
            ("input_audio", Schema.object("An audio part.", [("data", Schema.string("Base64 audio.")),
                                                              ("format", Schema.string("Audio format."))])),
            ("file", Schema.object("A file part.", [("file_data", Schema.string("Base64 data.")),
                                                     ("file_id", Schema.string("A file id.")),
                                                     ("filename", Schema.string("Its name."))])),
        ])
    }

    static var tool: JSONValue {
        Schema.object("A function the model may call.", required: ["type", "function"], [
            ("type", Schema.string("Always function.", values: ["function"])),
            ("function", Schema.object(required: ["name"], [
                ("name", Schema.string("The function's name.")),
                ("description", Schema.string("What it does, for the model.")),
                ("parameters", Schema.any("A JSON Schema object for its arguments.")),
                ("strict", Schema.boolean("OpenAI's structured-outputs switch.")),
            ])),
        ])
    }

    static var toolCall: JSONValue {
        Schema.object("A call the model made.", required: ["id", "type", "function"], [
            ("id", Schema.string("call_…")),
            ("type", Schema.string("Always function.", values: ["function"])),
            ("function", Schema.object(required: ["name", "arguments"], [
                ("name", Schema.string("The function.")),
                ("arguments", Schema.string("Its arguments as a JSON string.")),
            ])),
        ])
    }

    static var logitsRequest: JSONValue {
        Schema.allOf(Schema.object("The next-token distribution after a prompt (text-generation-webui's).", required: ["prompt"], [
            ("prompt", Schema.string("The text to continue.")),
            ("use_samplers", Schema.boolean("Report the distribution the request's samplers leave (top_k, min_p, "
                                            + "temperature… at the top level) instead of the raw softmax.")),
            ("top_logits", Schema.integer("How many tokens to report. Default 50.", minimum: 1)),
            ("max_tokens", Schema.integer("Accepted; nothing is generated.")),
        ] + openAISampling.filter { ["temperature", "top_p", "presence_penalty", "frequency_penalty", "seed"].contains($0.0) }),
        Schema.ref("GenerationOptions"))
    }

    static var loadModelRequest: JSONValue {
        Schema.object("Load a model from the models directory, replacing the current one.", required: ["model_name"], [
            ("model_name", Schema.string("A model id or file name from /v1/internal/model/list.")),
            ("args", Schema.object("Loader settings: ctx_size (or n_ctx) and threads; other loader args are ignored.",
                                   additional: Schema.any("A setting."))),
            ("settings", Schema.object("text-generation-webui's settings; accepted.", additional: Schema.any("A setting."))),
            ("instruction_template", Schema.string("An instruction template that becomes the default.")),
            ("instruction_template_str", Schema.string("An inline instruction template that becomes the default.")),
        ])
    }

    // MARK: - Responses

    static var usage: JSONValue {
        Schema.object("Token counts.", [
            ("prompt_tokens", Schema.integer("Prompt tokens.")),
            ("completion_tokens", Schema.integer("Generated tokens.")),
            ("total_tokens", Schema.integer("Their sum.")),
            ("prompt_tokens_details", Schema.object("", [("cached_tokens", Schema.integer("Prompt tokens reused from the cache."))])),
        ])
    }

    static var chatCompletion: JSONValue {
        Schema.object("A chat completion.", [
            ("id", Schema.string("chatcmpl-…")),
            ("object", Schema.string("chat.completion", values: ["chat.completion"])),
            ("created", Schema.integer("Unix time.")),
            ("model", Schema.string("The model that answered.")),
            ("choices", Schema.array(Schema.object("", [
                ("index", Schema.integer("The choice.")),
                ("message", Schema.object("", [
                    ("role", Schema.string("assistant")),
                    ("content", Schema.string("The answer (null when the message only calls tools).")),
                    ("reasoning_content", Schema.string("The reasoning (<think>…</think>), when the model reasoned.")),
                    ("reasoning", Schema.string("The same reasoning, under the other name clients use.")),
                    ("tool_calls", Schema.array(Schema.ref("ToolCall"))),
                ])),
                ("logprobs", Schema.any("{content: [{token, logprob, bytes, top_logprobs}]} when asked, else null.")),
                ("finish_reason", Schema.string("Why it ended.", values: ["stop", "length", "tool_calls"])),
            ]))),
            ("usage", Schema.ref("Usage")),
        ])
    }

    static var chatCompletionChunk: JSONValue {
        Schema.object("One server-sent event of a streamed chat completion.", [
            ("id", Schema.string("chatcmpl-…, the same in every chunk.")),
            ("object", Schema.string("chat.completion.chunk", values: ["chat.completion.chunk"])),
            ("created", Schema.integer("Unix time.")),
            ("model", Schema.string("The model.")),
            ("choices", Schema.array(Schema.object("", [
                ("index", Schema.integer("The choice.")),
                ("delta", Schema.object("What is new: role (first chunk), content, reasoning_content/reasoning, tool_calls.")),
                ("logprobs", Schema.any("The delta's logprobs, when asked.")),
                ("finish_reason", Schema.string("Set in the choice's last chunk.", values: ["stop", "length", "tool_calls"])),
            ]))),
            ("usage", Schema.any("null, or the usage in the last chunk (include_usage).")),
        ])
    }

    static var completion: JSONValue {
        Schema.object("A text completion (also the shape of each streamed chunk, with object text_completion).", [
            ("id", Schema.string("cmpl-…")),
            ("object", Schema.string("text_completion", values: ["text_completion"])),
            ("created", Schema.integer("Unix time.")),
            ("model", Schema.string("The model.")),
            ("choices", Schema.array(Schema.object("", [
                ("index", Schema.integer("The choice.")),
                ("text", Schema.string("The completion (after the prompt with echo).")),
                ("logprobs", Schema.any("{tokens, token_logprobs, top_logprobs, text_offset} when asked, else null.")),
                ("finish_reason", Schema.string("Why it ended.", values: ["stop", "length"])),
            ]))),
            ("usage", Schema.ref("Usage")),
        ])
    }

    static var model: JSONValue {
        Schema.object("A model.", [
            ("id", Schema.string("The id requests use.")),
            ("object", Schema.string("model", values: ["model"])),
            ("created", Schema.integer("The file's modification time.")),
            ("owned_by", Schema.string("Who provides it.")),
        ])
    }

    static var modelList: JSONValue {
        Schema.object("The models on offer.", [
            ("object", Schema.string("list", values: ["list"])),
            ("data", Schema.array(Schema.ref("Model"))),
        ])
    }

    static var error: JSONValue {
        Schema.object("OpenAI's error envelope.", [
            ("error", Schema.object("", [
                ("message", Schema.string("What went wrong, for people.")),
                ("type", Schema.string("invalid_request_error, authentication_error, server_error, …")),
                ("param", Schema.string("The offending parameter, when one is.")),
                ("code", Schema.string("A machine-readable code (model_not_found, context_length_exceeded, …).")),
            ])),
        ])
    }
}
