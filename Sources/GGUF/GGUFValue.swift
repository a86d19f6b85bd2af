/// The type tag GGUF stores before every metadata value and array.
public enum GGUFValueType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case uint8 = 0
    case int8 = 1
    case uint16 = 2
    case int16 = 3
    case uint32 = 4
    case int32 = 5
    case float32 = 6
    case bool = 7
    case string = 8
    case array = 9
    case uint64 = 10
    case int64 = 11
    case float64 = 12

    /// Bytes per value for fixed-size types; nil for strings and arrays.
    public var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        case .string, .array: nil
        }
    }

    /// The fewest bytes one value of this type can occupy: a string needs its 8-byte length, an array
    /// its 4-byte element type and 8-byte count. Used to reject counts before looping over them.
    var minimumSize: Int {
        switch self {
        case .string: 8
        case .array: 12
        default: fixedSize ?? 1
        }
    }

    public var description: String {
        switch self {
        case .uint8: "UINT8"
        case .int8: "INT8"
        case .uint16: "UINT16"
        case .int16: "INT16"
        case .uint32: "UINT32"
        case .int32: "INT32"
        case .float32: "FLOAT32"
        case .bool: "BOOL"
        case .string: "STRING"
        case .array: "ARRAY"
        case .uint64: "UINT64"
        case .int64: "INT64"
        case .float64: "FLOAT64"
        }
    }
}

/// A GGUF string: the raw bytes as stored, which need not be valid UTF-8.
///
/// Tokenizer vocabularies hold byte fragments that are not valid UTF-8 on their own, so the bytes are
/// kept exactly; `string` decodes them leniently, replacing each invalid sequence with U+FFFD.
public struct GGUFString: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The stored bytes, exactly as in the file.
    public let bytes: [UInt8]

    /// A string of exactly these bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }
    /// The UTF-8 encoding of `string`.
    public init(_ string: String) { bytes = Array(string.utf8) }
    /// The UTF-8 encoding of the literal.
    public init(stringLiteral value: String) { self.init(value) }

    /// The bytes decoded as UTF-8, invalid sequences replaced by U+FFFD.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether `bytes` is valid UTF-8 (so `string` is lossless).
    public var isValidUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    public var description: String { string }
}

/// One GGUF metadata value. Arrays are lazy views into the file (see `GGUFArray`).
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)
    case bool(Bool)
    case string(GGUFString)
    case array(GGUFArray)

    /// The value's GGUF type tag.
    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .float32: .float32
        case .uint64: .uint64
        case .int64: .int64
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    /// The string, decoded leniently (see `GGUFString`); nil for other types.
    public var stringValue: String? {
        if case let .string(s) = self { return s.string }
        return nil
    }

    /// Any integer type as `Int`; nil for other types or when the value does not fit.
    public var intValue: Int? {
        switch self {
        case let .uint8(v): Int(v)
        case let .int8(v): Int(v)
        case let .uint16(v): Int(v)
        case let .int16(v): Int(v)
        case let .uint32(v): Int(v)
        case let .int32(v): Int(v)
        case let .uint64(v): Int(exactly: v)
        case let .int64(v): Int(exactly: v)
        default: nil
        }
    }

    /// Floats and integers as `Double` (large 64-bit integers round); nil for other types.
    public var doubleValue: Double? {
        switch self {
        case let .float32(v): Double(v)
        case let .float64(v): v
        case let .uint64(v): Double(v)
        case let .int64(v): Double(v)
        default: intValue.map(Double.init)
        }
    }

    /// The bool; nil for other types.
    public var boolValue: Bool? {
        if case let .bool(v) = self { return v }
        return nil
    }

    /// The array; nil for other types.
    public var arrayValue: GGUFArray? {
        if case let .array(a) = self { return a }
        return nil
    }
}

/// One metadata key-value pair, in file order.
public struct GGUFMetadataEntry: Sendable, Equatable {
    /// The key (`general.architecture`), decoded leniently.
    public let key: String
    public let value: GGUFValue

    /// An entry pairing `key` with `value`.
    public init(key: String, value: GGUFValue) {
        self.key = key
        self.value = value
    }
}
