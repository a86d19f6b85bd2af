import OpenAIAPI

/// JSON Schema builders for the OpenAPI document, so each property is one readable line.
enum Schema {
    static func string(_ description: String, values: [String]? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("string"), "description": .string(description)]
        if let values { schema["enum"] = .array(values.map(JSONValue.string)) }
        return .object(schema)
    }

    static func integer(_ description: String, minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("integer"), "description": .string(description)]
        if let minimum { schema["minimum"] = .integer(minimum) }
        if let maximum { schema["maximum"] = .integer(maximum) }
        return .object(schema)
    }

    static func number(_ description: String, minimum: Double? = nil, maximum: Double? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("number"), "description": .string(description)]
        if let minimum { schema["minimum"] = .number(minimum) }
        if let maximum { schema["maximum"] = .number(maximum) }
        return .object(schema)
    }

    static func boolean(_ description: String) -> JSONValue {
        .object(["type": .string("boolean"), "description": .string(description)])
    }

    static func array(_ items: JSONValue, _ description: String = "") -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("array"), "items": items]
        if !description.isEmpty { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// An object whose properties are listed in order; `additional` describes the values of a map.
    static func object(_ description: String = "", required: [String] = [], _ properties: [(String, JSONValue)] = [],
                       additional: JSONValue? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("object")]
        if !description.isEmpty { schema["description"] = .string(description) }
        if !properties.isEmpty {
            schema["properties"] = .object(Dictionary(properties, uniquingKeysWith: { first, _ in first }))
        }
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        if let additional { schema["additionalProperties"] = additional }
        return .object(schema)
    }

    static func oneOf(_ description: String, _ options: JSONValue...) -> JSONValue {
        .object(["description": .string(description), "oneOf": .array(options)])
    }

    /// All of `parts` at once: a request's own parameters plus a shared set of them.
    static func allOf(_ parts: JSONValue...) -> JSONValue {
        .object(["allOf": .array(parts)])
    }

    /// `schema` with a description added (for references and unions reused under another name).
    static func described(_ description: String, _ schema: JSONValue) -> JSONValue {
        guard case var .object(fields) = schema else { return schema }
        fields["description"] = .string(description)
        return .object(fields)
    }

    /// A reference to `#/components/schemas/<name>`, with a description beside it (OpenAPI 3.1 allows that).
    static func ref(_ name: String, _ description: String = "") -> JSONValue {
        var schema: [String: JSONValue] = ["$ref": .string("#/components/schemas/\(name)")]
        if !description.isEmpty { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// Any JSON value.
    static func any(_ description: String) -> JSONValue {
        .object(["description": .string(description)])
    }

    /// The properties an object schema lists, with those of its inline `allOf` parts (references are
    /// not followed).
    static func properties(of schema: JSONValue) -> [String: JSONValue] {
        guard case let .object(fields) = schema else { return [:] }
        var result: [String: JSONValue] = [:]
        if case let .object(properties)? = fields["properties"] { result = properties }
        if case let .array(parts)? = fields["allOf"] {
            for part in parts { result.merge(properties(of: part)) { first, _ in first } }
        }
        return result
    }
}
