import Foundation
import OpenAIAPI
import Testing

/// Encodes with sorted keys so expected JSON can be written as literal strings.
private func json(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

@Test func errorEnvelopeKeepsNullParamAndCode() throws {
    let envelope = ErrorResponse(message: "boom", type: "server_error")
    #expect(try json(envelope) == #"{"error":{"code":null,"message":"boom","param":null,"type":"server_error"}}"#)
}

@Test func errorEnvelopeRoundTrips() throws {
    let envelope = ErrorResponse(message: "no such model", type: "invalid_request_error", param: "model",
                                 code: "model_not_found")
    let decoded = try JSONDecoder().decode(ErrorResponse.self, from: Data(try json(envelope).utf8))
    #expect(decoded == envelope)
}

@Test func modelListHasOpenAIShape() throws {
    let list = ModelListResponse(data: [ModelObject(id: "tiny", created: 1_700_000_000, ownedBy: "swiftlet")])
    #expect(try json(list)
        == #"{"data":[{"created":1700000000,"id":"tiny","object":"model","owned_by":"swiftlet"}],"object":"list"}"#)
}

@Test func loadModelRequestDecodesTextGenerationWebUIBody() throws {
    let body = #"{"model_name": "SmolLM2", "args": {"ctx_size": 2048, "cpu": true, "scale": 0.5, "tags": ["a"]}}"#
    let request = try JSONDecoder().decode(LoadModelRequest.self, from: Data(body.utf8))
    #expect(request.modelName == "SmolLM2")
    #expect(request.args?["ctx_size"] == .integer(2048))
    #expect(request.args?["cpu"] == .bool(true))
    #expect(request.args?["scale"] == .number(0.5))
    #expect(request.args?["tags"] == .array([.string("a")]))
    #expect(request.settings == nil)
}

@Test func loadModelRequestRequiresModelName() {
    #expect(throws: DecodingError.self) {
        try JSONDecoder().decode(LoadModelRequest.self, from: Data(#"{"args": {}}"#.utf8))
    }
}

@Test func jsonValueRoundTripsEveryCase() throws {
    let value = JSONValue.object([
        "null": .null, "bool": .bool(false), "int": .integer(-3), "number": .number(1.25),
        "string": .string("x"), "array": .array([.integer(1), .object([:])]),
    ])
    let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(try json(value).utf8))
    #expect(decoded == value)
    #expect(JSONValue.integer(1).typeName == "an integer")
}

@Test func modelInfoUsesTextGenerationWebUIKeys() throws {
    let info = ModelInfoResponse(modelName: "None")
    #expect(try json(info) == #"{"lora_names":[],"model_name":"None"}"#)
    let names = ModelNameListResponse(modelNames: ["a", "b"])
    #expect(try json(names) == #"{"model_names":["a","b"]}"#)
}
