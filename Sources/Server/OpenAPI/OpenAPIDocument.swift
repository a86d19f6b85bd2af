import HTTPTypes
import OpenAIAPI

/// What `/openapi.json` says about one endpoint.
struct EndpointDoc {
    var tag: String
    var summary: String
    var description: String = ""
    /// The request body's schema (a `$ref` or an inline schema), if the endpoint takes one.
    var request: JSONValue?
    /// A request body to start from in `/docs`.
    var example: String?
    var response: JSONValue?
    /// The endpoint can answer with server-sent events (`stream: true`).
    var streams = false
    /// Path parameters, `{name}` in the path.
    var pathParameters: [(String, String)] = []
}

/// The OpenAPI 3.1 description of every route the server registers, served at `/openapi.json`.
///
/// Built from the route table, so the paths and their auth levels are the ones the router really has;
/// `docs` holds the words. A route without an entry in `docs` is a bug caught by the tests.
enum OpenAPIDocument {
    /// What the document needs of a route.
    struct Endpoint {
        var method: HTTPRequest.Method
        var path: String
        var access: RouteAccess
    }

    static func make(_ routes: [Endpoint], version: String) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for route in routes {
            let key = "\(route.method.rawValue) \(route.path)"
            guard let doc = docs[key] ?? aliases[key].flatMap({ docs[$0] }) else { continue }
            var operation = operation(doc, route: route)
            if let canonical = aliases[key] {
                operation["description"] = .string("Same as `\(canonical)`." + (doc.description.isEmpty ? "" : " " + doc.description))
            }
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = .object(operation)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Swiftlet"),
                "version": .string(version),
                "description": .string("An offline, OpenAI-compatible LLM server. It speaks OpenAI's API and "
                    + "text-generation-webui's extensions. Send the API key (when the server has one) as "
                    + "`Authorization: Bearer KEY`; model management needs the admin key when one is set."),
            ]),
            "servers": .array([.object(["url": .string("/")])]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "schemas": .object(OpenAPIComponents.schemas),
                "securitySchemes": .object([
                    "apiKey": .object(["type": .string("http"), "scheme": .string("bearer"),
                                       "description": .string("The --api-key (or an admin key).")]),
                    "adminKey": .object(["type": .string("http"), "scheme": .string("bearer"),
                                         "description": .string("The --admin-key (the API key when no admin key is set).")]),
                ]),
            ]),
            "tags": .array(tags.map { .object(["name": .string($0.0), "description": .string($0.1)]) }),
        ])
    }

    /// The tags in the order `/docs` shows them.
    static let tags: [(String, String)] = [
        ("Chat", "Chat completions: conversations through the model's chat template."),
        ("Completions", "Text completions: raw prompts."),
        ("Embeddings", "Vectors for texts, and moderation by embedding similarity."),
        ("Models", "The models on offer and the loaded one."),
        ("Tokens", "text-generation-webui's token utilities."),
        ("Administration", "Loading and unloading models (admin key)."),
        ("Server", "Health and this documentation."),
    ]

    private static func operation(_ doc: EndpointDoc, route: Endpoint) -> [String: JSONValue] {
        var operation: [String: JSONValue] = [
            "tags": .array([.string(doc.tag)]),
            "summary": .string(doc.summary),
            "operationId": .string(operationID(route)),
        ]
        if !doc.description.isEmpty { operation["description"] = .string(doc.description) }
        switch route.access {
        case .open: operation["security"] = .array([])
        case .user: operation["security"] = .array([.object(["apiKey": .array([])])])
        case .admin: operation["security"] = .array([.object(["adminKey": .array([])])])
        }
        if !doc.pathParameters.isEmpty {
            operation["parameters"] = .array(doc.pathParameters.map { name, description in
                .object(["name": .string(name), "in": .string("path"), "required": .bool(true),
                         "description": .string(description), "schema": .object(["type": .string("string")])])
            })
        }
        if let request = doc.request {
            var media: [String: JSONValue] = ["schema": request]
            if let example = doc.example { media["example"] = .string(example) }
            operation["requestBody"] = .object(["required": .bool(true),
                                                "content": .object(["application/json": .object(media)])])
        }
        var success: [String: JSONValue] = [:]
        if let response = doc.response { success["application/json"] = .object(["schema": response]) }
        if doc.streams {
            success["text/event-stream"] = .object(["schema": Schema.string(
                "With stream: true: `data: {chunk}` events, then `data: [DONE]`; `: keep-alive` comments while waiting.")])
        }
        var success200: [String: JSONValue] = ["description": .string("Success.")]
        if !success.isEmpty { success200["content"] = .object(success) }
        let error: JSONValue = .object(["application/json": .object(["schema": Schema.ref("Error")])])
        var responses: [String: JSONValue] = ["200": .object(success200)]
        let failures: [(String, String)] = switch route.access {
        case .open: [("503", "No model is ready.")]
        case .user, .admin: [("400", "Invalid request."), ("401", "Missing or wrong key."), ("404", "Unknown model."),
                             ("503", "No model is ready, or the queue is full (with Retry-After).")]
        }
        for (status, description) in failures {
            responses[status] = .object(["description": .string(description), "content": error])
        }
        operation["responses"] = .object(responses)
        return operation
    }

    private static func operationID(_ route: Endpoint) -> String {
        let words = route.path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.capitalized }
        return route.method.rawValue.lowercased() + words.joined()
    }

    /// Routes that answer exactly like another (without the `/v1` prefix, OpenAI's legacy names).
    static let aliases: [String: String] = [
        "POST /chat/completions": "POST /v1/chat/completions",
        "POST /completions": "POST /v1/completions",
        "POST /embeddings": "POST /v1/embeddings",
        "POST /v1/engines/{id}/completions": "POST /v1/completions",
        "GET /models": "GET /v1/models",
        "GET /models/{id}": "GET /v1/models/{id}",
        "GET /v1/engines": "GET /v1/models",
        "GET /v1/engines/{id}": "GET /v1/models/{id}",
        "GET /v1/internal/health": "GET /health",
    ]

    static let docs: [String: EndpointDoc] = [
        "POST /v1/chat/completions": EndpointDoc(
            tag: "Chat", summary: "Create a chat completion",
            description: "Renders the messages (and tools) with the model's chat template or the requested "
                + "instruction template, generates, and parses tool calls and <think> reasoning out of the answer.",
            request: Schema.ref("ChatCompletionRequest"),
            example: #"{"messages": [{"role": "user", "content": "What is the capital of France?"}], "max_tokens": 64}"#,
            response: Schema.ref("ChatCompletion"), streams: true),
        "POST /v1/internal/chat-prompt": EndpointDoc(
            tag: "Chat", summary: "Render a chat prompt without generating",
            description: "The prompt text a chat completion request would generate from.",
            request: Schema.ref("ChatCompletionRequest"),
            example: #"{"messages": [{"role": "user", "content": "Hi"}]}"#,
            response: Schema.object("", [("prompt", Schema.string("The rendered prompt."))])),
        "POST /v1/completions": EndpointDoc(
            tag: "Completions", summary: "Create a text completion",
            request: Schema.ref("CompletionRequest"),
            example: #"{"prompt": "Once upon a time", "max_tokens": 32}"#,
            response: Schema.ref("Completion"), streams: true),
        "POST /v1/edits": EndpointDoc(
            tag: "Completions", summary: "Edit text (OpenAI's legacy edits API)",
            description: "The instruction and the input become one user message for the model's chat template; "
                + "the answer is the edited text.",
            request: Schema.ref("EditRequest"),
            example: #"{"instruction": "Fix the spelling mistakes.", "input": "What day of the wek is it?"}"#,
            response: Schema.object("", [
                ("object", Schema.string("edit", values: ["edit"])),
                ("created", Schema.integer("Unix time.")),
                ("choices", Schema.array(Schema.object("", [("text", Schema.string("The edited text.")),
                                                            ("index", Schema.integer("The choice."))]))),
                ("usage", Schema.ref("Usage")),
            ])),
        "POST /v1/embeddings": EndpointDoc(
            tag: "Embeddings", summary: "Create embeddings",
            description: "Vectors from the default embedding model (also under OpenAI's embedding model names), another "
                + "embedding model by id, or the loaded chat model by its id (mean-pooled final hidden states). Texts "
                + "longer than a sentence model's max_seq_length are truncated; token lists are the model's own ids.",
            request: Schema.ref("EmbeddingRequest"),
            example: #"{"input": ["The cat sits on the mat.", "A feline rests on a rug."]}"#,
            response: Schema.object("", [
                ("object", Schema.string("list", values: ["list"])),
                ("data", Schema.array(Schema.object("", [
                    ("object", Schema.string("embedding", values: ["embedding"])),
                    ("index", Schema.integer("The input.")),
                    ("embedding", Schema.oneOf("The vector.", Schema.array(Schema.number("A value.")),
                                               Schema.string("base64 of little-endian float32 values."))),
                ]))),
                ("model", Schema.string("The model.")),
                ("usage", Schema.object("", [("prompt_tokens", Schema.integer("Tokens embedded.")),
                                             ("total_tokens", Schema.integer("The same."))])),
            ])),
        "POST /v1/moderations": EndpointDoc(
            tag: "Embeddings", summary: "Classify text (heuristic)",
            description: "Scores each input against OpenAI's categories by embedding similarity to a few example "
                + "texts of each; a score above 0.5 flags it. A heuristic, not a trained classifier.",
            request: Schema.ref("ModerationRequest"),
            example: #"{"input": "I will hurt you."}"#,
            response: Schema.object("", [
                ("id", Schema.string("modr-…")),
                ("model", Schema.string("The model.")),
                ("results", Schema.array(Schema.object("", [
                    ("flagged", Schema.boolean("Any category flagged.")),
                    ("categories", Schema.object("Category → flagged.", additional: Schema.boolean("Flagged."))),
                    ("category_scores", Schema.object("Category → score from 0 to 1.", additional: Schema.number("Score."))),
                ]))),
            ])),
        "GET /v1/models": EndpointDoc(
            tag: "Models", summary: "List the models",
            description: "GGUF files and embedding models in the models directory, plus models configured by path.",
            response: Schema.ref("ModelList")),
        "GET /v1/models/{id}": EndpointDoc(
            tag: "Models", summary: "Describe a model", response: Schema.ref("Model"),
            pathParameters: [("id", "A model id or file name.")]),
        "GET /v1/internal/model/info": EndpointDoc(
            tag: "Models", summary: "The loaded model",
            response: Schema.object("", [
                ("model_name", Schema.string("The loaded model's id, or None.")),
                ("lora_names", Schema.array(Schema.string("Always empty."))),
                ("architecture", Schema.string("general.architecture.")),
                ("context_length", Schema.integer("The context requests are served with.")),
                ("trained_context_length", Schema.integer("What the model was trained for.")),
                ("parameter_count", Schema.integer("Parameters.")),
                ("tensor_count", Schema.integer("Tensors.")),
            ])),
        "GET /v1/internal/model/list": EndpointDoc(
            tag: "Administration", summary: "List loadable models",
            response: Schema.object("", [("model_names", Schema.array(Schema.string("A model id.")))])),
        "POST /v1/internal/model/load": EndpointDoc(
            tag: "Administration", summary: "Load a model",
            description: "Replaces the loaded model when the load succeeds; a failed load keeps the previous one.",
            request: Schema.ref("LoadModelRequest"),
            example: #"{"model_name": "SmolLM2-135M-Instruct.Q4_1", "args": {"ctx_size": 2048}}"#,
            response: Schema.string("OK")),
        "POST /v1/internal/model/unload": EndpointDoc(
            tag: "Administration", summary: "Unload the model", response: Schema.string("OK")),
        "POST /v1/internal/encode": EndpointDoc(
            tag: "Tokens", summary: "Tokenize text", request: Schema.ref("EncodeRequest"),
            example: #"{"text": "Hello, world!"}"#,
            response: Schema.object("", [("tokens", Schema.array(Schema.integer("A token id."))),
                                         ("length", Schema.integer("How many."))])),
        "POST /v1/internal/token-count": EndpointDoc(
            tag: "Tokens", summary: "Count tokens", request: Schema.ref("EncodeRequest"),
            example: #"{"text": "Hello, world!"}"#,
            response: Schema.object("", [("length", Schema.integer("How many tokens."))])),
        "POST /v1/internal/decode": EndpointDoc(
            tag: "Tokens", summary: "Turn token ids into text", request: Schema.ref("DecodeRequest"),
            example: #"{"tokens": [19556, 28, 905, 17]}"#,
            response: Schema.object("", [("text", Schema.string("The text."))])),
        "POST /v1/internal/logits": EndpointDoc(
            tag: "Tokens", summary: "Next-token probabilities", request: Schema.ref("LogitsRequest"),
            example: #"{"prompt": "The capital of France is", "top_logits": 5}"#,
            response: Schema.object("Token text → probability.", additional: Schema.number("Probability."))),
        "POST /v1/internal/stop-generation": EndpointDoc(
            tag: "Chat", summary: "Stop every generation in flight",
            description: "Running and queued generations end with what they have so far.",
            response: Schema.string("OK")),
        "GET /health": EndpointDoc(
            tag: "Server", summary: "Readiness",
            description: "200 {\"status\": \"ok\"} when a model is ready; 503 while one loads or after a failed load.",
            response: Schema.object("", [("status", Schema.string("ok"))])),
        "GET /openapi.json": EndpointDoc(
            tag: "Server", summary: "This description", response: Schema.any("An OpenAPI 3.1 document.")),
        "GET /docs": EndpointDoc(
            tag: "Server", summary: "Interactive documentation",
            description: "An HTML page (no external resources) that reads /openapi.json and sends requests."),
    ]
}
