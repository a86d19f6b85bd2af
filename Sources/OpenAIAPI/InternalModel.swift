// text-generation-webui's model administration API (`/v1/internal/model/...`), whose field names
// existing clients rely on.

/// `GET /v1/internal/model/info`.
public struct ModelInfoResponse: Codable, Sendable, Equatable {
    /// The loaded model's id, or `"None"` when no model is loaded (text-generation-webui's spelling).
    public var modelName: String
    /// Always empty: LoRA adapters are not supported.
    public var loraNames: [String]
    /// `general.architecture` of the loaded model; absent when no model is loaded.
    public var architecture: String?
    /// The context length the model was trained for (`<arch>.context_length`).
    public var trainedContextLength: Int?
    /// The context length requests are served with (`--ctx-size`, capped at the trained length).
    public var contextLength: Int?
    /// Number of weights (elements over all tensors).
    public var parameterCount: Int?
    public var tensorCount: Int?

    public init(
        modelName: String, loraNames: [String] = [], architecture: String? = nil,
        trainedContextLength: Int? = nil, contextLength: Int? = nil, parameterCount: Int? = nil,
        tensorCount: Int? = nil
    ) {
        self.modelName = modelName
        self.loraNames = loraNames
        self.architecture = architecture
        self.trainedContextLength = trainedContextLength
        self.contextLength = contextLength
        self.parameterCount = parameterCount
        self.tensorCount = tensorCount
    }

    enum CodingKeys: String, CodingKey {
        case modelName = "model_name"
        case loraNames = "lora_names"
        case architecture
        case trainedContextLength = "trained_context_length"
        case contextLength = "context_length"
        case parameterCount = "parameter_count"
        case tensorCount = "tensor_count"
    }
}

/// `GET /v1/internal/model/list`: the names `POST /v1/internal/model/load` accepts.
public struct ModelNameListResponse: Codable, Sendable, Equatable {
    public var modelNames: [String]

    public init(modelNames: [String]) {
        self.modelNames = modelNames
    }

    enum CodingKeys: String, CodingKey {
        case modelNames = "model_names"
    }
}

/// `POST /v1/internal/model/load`.
public struct LoadModelRequest: Codable, Sendable, Equatable {
    public var modelName: String
    /// Loader settings by flag name with underscores (`ctx_size`, `threads`, `batch_size`,
    /// `cache_type`, …); other loaders' keys are accepted and ignored by the server.
    public var args: [String: JSONValue]?
    /// text-generation-webui's UI settings; accepted for compatibility, not used.
    public var settings: [String: JSONValue]?
    /// An instruction template by file name that becomes the default for later requests.
    public var instructionTemplate: String?
    /// An inline Jinja instruction template; wins over `instruction_template`.
    public var instructionTemplateStr: String?

    public init(
        modelName: String, args: [String: JSONValue]? = nil, settings: [String: JSONValue]? = nil,
        instructionTemplate: String? = nil, instructionTemplateStr: String? = nil
    ) {
        self.modelName = modelName
        self.args = args
        self.settings = settings
        self.instructionTemplate = instructionTemplate
        self.instructionTemplateStr = instructionTemplateStr
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case modelName = "model_name"
        case args, settings
        case instructionTemplate = "instruction_template"
        case instructionTemplateStr = "instruction_template_str"
    }
}
