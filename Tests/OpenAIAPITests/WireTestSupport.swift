import Foundation
import OpenAIAPI
import Testing

/// Encodes with sorted keys so expected JSON can be written as literal strings.
func encodedJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Decodes `body` the way the server does (a plain `JSONDecoder`).
func decodeJSON<Value: Decodable>(_ type: Value.Type, _ body: String) throws -> Value {
    try JSONDecoder().decode(Value.self, from: Data(body.utf8))
}

/// Decodes, re-encodes and decodes again; the two decoded values must be equal.
func expectRoundTrip<Value: Codable & Equatable>(
    _ type: Value.Type, _ body: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> Value {
    let first = try decodeJSON(Value.self, body)
    let second = try decodeJSON(Value.self, try encodedJSON(first))
    #expect(first == second, sourceLocation: sourceLocation)
    return first
}

/// What a failed decode tells the server: the error's kind and the dotted path it reports
/// (`messages.0.content`, the format of `ServerError.decoding`), and the decoder's description.
struct DecodeFailure: Equatable, CustomStringConvertible {
    var kind: String
    var path: String
    var detail: String

    var description: String { "\(kind) at '\(path)': \(detail)" }
}

func decodeFailure<Value: Decodable>(_ type: Value.Type, _ body: String) -> DecodeFailure? {
    do {
        _ = try decodeJSON(Value.self, body)
        return nil
    } catch let error as DecodingError {
        func dotted(_ path: [any CodingKey]) -> String {
            path.map { key in key.intValue.map(String.init) ?? key.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .typeMismatch(_, context):
            return DecodeFailure(kind: "typeMismatch", path: dotted(context.codingPath), detail: context.debugDescription)
        case let .valueNotFound(_, context):
            return DecodeFailure(kind: "valueNotFound", path: dotted(context.codingPath), detail: context.debugDescription)
        case let .keyNotFound(key, context):
            return DecodeFailure(kind: "keyNotFound", path: dotted(context.codingPath + [key]), detail: context.debugDescription)
        case let .dataCorrupted(context):
            return DecodeFailure(kind: "dataCorrupted", path: dotted(context.codingPath), detail: context.debugDescription)
        @unknown default:
            return DecodeFailure(kind: "unknown", path: "", detail: "\(error)")
        }
    } catch {
        return DecodeFailure(kind: "other", path: "", detail: "\(error)")
    }
}

/// The keys of the JSON object `json` (top level, or at a dotted path of object keys and indices).
func jsonKeys(_ json: String, at path: String = "") throws -> Set<String> {
    var node = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
    for component in path.split(separator: ".") {
        if let index = Int(component), let array = node as? [Any] {
            node = array[index]
        } else if let object = node as? [String: Any], let next = object[String(component)] {
            node = next
        } else {
            Issue.record("no \(component) in \(path)")
            return []
        }
    }
    return Set((node as? [String: Any])?.keys.map { $0 } ?? [])
}
