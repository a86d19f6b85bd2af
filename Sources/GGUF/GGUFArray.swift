/// A GGUF array: an element type, a count, and the elements' encoded bytes, decoded only on request.
///
/// Opening a file validates every array's structure (string lengths, nested headers, bool bytes) without
/// creating Swift values, so a 262k-entry vocabulary costs one pass over its length fields at open time
/// and the accessors below cannot meet malformed data. An array read from a file keeps the file's bytes
/// alive. Two arrays are equal when their element types, counts and encoded bytes are equal.
public struct GGUFArray: Sendable, Equatable {
    /// Arrays may nest at most this deep; deeper files are rejected rather than recursed into.
    public static let maxNestingDepth = 16

    /// The type of every element.
    public let elementType: GGUFValueType
    /// The number of elements.
    public let count: Int
    let storage: MappedFile
    let range: Range<Int>

    init(elementType: GGUFValueType, count: Int, storage: MappedFile, range: Range<Int>) {
        self.elementType = elementType
        self.count = count
        self.storage = storage
        self.range = range
    }

    /// The encoded elements.
    var payload: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage.buffer[range]) }

    public static func == (lhs: GGUFArray, rhs: GGUFArray) -> Bool {
        lhs.elementType == rhs.elementType && lhs.count == rhs.count && lhs.payload.elementsEqual(rhs.payload)
    }

    // MARK: - Building arrays (for the writer)

    /// An array of `values`, which must all have type `elementType`.
    public init(of elementType: GGUFValueType, _ values: [GGUFValue]) throws {
        var bytes: [UInt8] = []
        for value in values {
            guard value.type == elementType else {
                throw GGUFError.mixedArray(expected: elementType.description, found: value.type.description)
            }
            value.encodePayload(into: &bytes)
        }
        self.init(elementType: elementType, count: values.count, encoded: bytes)
    }

    /// An array of strings.
    public init(strings: [String]) {
        self.init(stringBytes: strings.map { Array($0.utf8) })
    }

    /// An array of strings given as raw bytes (which need not be valid UTF-8).
    public init(stringBytes: [[UInt8]]) {
        var bytes: [UInt8] = []
        for string in stringBytes { GGUFValue.string(GGUFString(bytes: string)).encodePayload(into: &bytes) }
        self.init(elementType: .string, count: stringBytes.count, encoded: bytes)
    }

    /// An array of INT32.
    public init(int32s: [Int32]) {
        var bytes: [UInt8] = []
        for v in int32s { GGUFValue.int32(v).encodePayload(into: &bytes) }
        self.init(elementType: .int32, count: int32s.count, encoded: bytes)
    }

    /// An array of FLOAT32.
    public init(float32s: [Float]) {
        var bytes: [UInt8] = []
        for v in float32s { GGUFValue.float32(v).encodePayload(into: &bytes) }
        self.init(elementType: .float32, count: float32s.count, encoded: bytes)
    }

    /// An array of nested arrays (their element types may differ, as GGUF allows).
    public init(arrays: [GGUFArray]) {
        var bytes: [UInt8] = []
        for v in arrays { GGUFValue.array(v).encodePayload(into: &bytes) }
        self.init(elementType: .array, count: arrays.count, encoded: bytes)
    }

    private init(elementType: GGUFValueType, count: Int, encoded: [UInt8]) {
        self.init(elementType: elementType, count: count, storage: MappedFile(copying: encoded),
                  range: 0..<encoded.count)
    }

    // MARK: - Decoding

    /// The elements of a STRING array, each decoded leniently (invalid UTF-8 becomes U+FFFD).
    public func strings() throws -> [String] {
        var result: [String] = []
        result.reserveCapacity(count)
        try forEachStringBytes { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }

    /// The elements of a STRING array as their exact bytes.
    public func stringBytes() throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(count)
        try forEachStringBytes { result.append(Array($0)) }
        return result
    }

    /// Calls `body` with each element of a STRING array as raw bytes, in order, without allocating.
    /// The buffer is valid only during the call.
    public func forEachStringBytes(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try expect(.string)
        var reader = ByteReader(payload)
        for _ in 0..<count {
            let range = try reader.stringRange()
            try body(UnsafeRawBufferPointer(rebasing: reader.buffer[range]))
        }
    }

    /// The elements of an array of any integer type, as `Int`. Throws `integerOverflow` for a UINT64
    /// above `Int.max`.
    public func ints() throws -> [Int] {
        var reader = ByteReader(payload)
        var result: [Int] = []
        result.reserveCapacity(count)
        switch elementType {
        case .uint8: for _ in 0..<count { result.append(Int(try reader.read(UInt8.self))) }
        case .int8: for _ in 0..<count { result.append(Int(try reader.read(Int8.self))) }
        case .uint16: for _ in 0..<count { result.append(Int(try reader.read(UInt16.self))) }
        case .int16: for _ in 0..<count { result.append(Int(try reader.read(Int16.self))) }
        case .uint32: for _ in 0..<count { result.append(Int(try reader.read(UInt32.self))) }
        case .int32: for _ in 0..<count { result.append(Int(try reader.read(Int32.self))) }
        case .int64: for _ in 0..<count { result.append(Int(try reader.read(Int64.self))) }
        case .uint64:
            for _ in 0..<count {
                let v = try reader.read(UInt64.self)
                guard let i = Int(exactly: v) else { throw GGUFError.integerOverflow(String(v)) }
                result.append(i)
            }
        default: throw GGUFError.typeMismatch(expected: "integer array", actual: "\(elementType) array")
        }
        return result
    }

    /// The elements of a FLOAT32 or FLOAT64 array, as `Float`.
    public func floats() throws -> [Float] {
        var reader = ByteReader(payload)
        var result: [Float] = []
        result.reserveCapacity(count)
        switch elementType {
        case .float32: for _ in 0..<count { result.append(Float(bitPattern: try reader.read(UInt32.self))) }
        case .float64: for _ in 0..<count { result.append(Float(Double(bitPattern: try reader.read(UInt64.self)))) }
        default: throw GGUFError.typeMismatch(expected: "float array", actual: "\(elementType) array")
        }
        return result
    }

    /// The elements of a BOOL array.
    public func bools() throws -> [Bool] {
        try expect(.bool)
        return payload.map { $0 != 0 }
    }

    /// The elements of an ARRAY array: nested lazy arrays.
    public func arrays() throws -> [GGUFArray] {
        try expect(.array)
        return try values().compactMap(\.arrayValue)
    }

    /// Every element as a `GGUFValue`, whatever the element type.
    public func values() throws -> [GGUFValue] {
        try prefixValues(count)
    }

    /// The first `n` elements (at most `count`) as `GGUFValue`s.
    func prefixValues(_ n: Int) throws -> [GGUFValue] {
        let n = min(max(n, 0), count)
        var reader = ByteReader(payload)
        var result: [GGUFValue] = []
        result.reserveCapacity(n)
        for _ in 0..<n {
            result.append(try GGUFValue.read(elementType, from: &reader, storage: storage, base: range.lowerBound,
                                             key: "", depth: 1))
        }
        return result
    }

    private func expect(_ type: GGUFValueType) throws {
        guard elementType == type else {
            throw GGUFError.typeMismatch(expected: "\(type) array", actual: "\(elementType) array")
        }
    }
}

// MARK: - Parsing

extension GGUFArray {
    /// Reads an array header and validates its elements, leaving `reader` after the array.
    /// `base` is the offset of `reader.buffer` within `storage` (0 for a whole file).
    static func parse(_ reader: inout ByteReader, storage: MappedFile, base: Int, key: String,
                      depth: Int) throws -> GGUFArray {
        let (type, count) = try readHeader(&reader, key: key, depth: depth)
        let start = reader.position
        try skipElements(type, count: count, reader: &reader, key: key, depth: depth)
        return GGUFArray(elementType: type, count: count, storage: storage,
                         range: (base + start)..<(base + reader.position))
    }

    private static func readHeader(_ reader: inout ByteReader, key: String,
                                   depth: Int) throws -> (GGUFValueType, Int) {
        guard depth <= maxNestingDepth else { throw GGUFError.nestingTooDeep(key: key) }
        let rawType = try reader.read(UInt32.self)
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw GGUFError.unknownValueType(rawType, key: key)
        }
        let count = try reader.count(of: "array elements of \(key)", minimumSize: type.minimumSize)
        return (type, count)
    }

    /// Walks `count` elements; the count was already checked against the remaining bytes, so the loops
    /// below are bounded by the file size.
    private static func skipElements(_ type: GGUFValueType, count: Int, reader: inout ByteReader, key: String,
                                     depth: Int) throws {
        switch type {
        case .string:
            for _ in 0..<count { _ = try reader.stringRange() }
        case .array:
            for _ in 0..<count {
                let (inner, innerCount) = try readHeader(&reader, key: key, depth: depth + 1)
                try skipElements(inner, count: innerCount, reader: &reader, key: key, depth: depth + 1)
            }
        case .bool:
            for _ in 0..<count {
                let offset = reader.position
                let byte = try reader.read(UInt8.self)
                guard byte <= 1 else { throw GGUFError.invalidBool(byte, offset: offset) }
            }
        default:
            try reader.skip(count * (type.fixedSize ?? 1))
        }
    }
}

extension GGUFValue {
    /// Reads one value of `type` at `reader`. Strings are copied; arrays stay lazy views into `storage`.
    static func read(_ type: GGUFValueType, from reader: inout ByteReader, storage: MappedFile, base: Int,
                     key: String, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self))
        case .int8: return .int8(try reader.read(Int8.self))
        case .uint16: return .uint16(try reader.read(UInt16.self))
        case .int16: return .int16(try reader.read(Int16.self))
        case .uint32: return .uint32(try reader.read(UInt32.self))
        case .int32: return .int32(try reader.read(Int32.self))
        case .float32: return .float32(Float(bitPattern: try reader.read(UInt32.self)))
        case .uint64: return .uint64(try reader.read(UInt64.self))
        case .int64: return .int64(try reader.read(Int64.self))
        case .float64: return .float64(Double(bitPattern: try reader.read(UInt64.self)))
        case .bool:
            let offset = base + reader.position
            let byte = try reader.read(UInt8.self)
            guard byte <= 1 else { throw GGUFError.invalidBool(byte, offset: offset) }
            return .bool(byte == 1)
        case .string:
            let range = try reader.stringRange()
            return .string(GGUFString(bytes: Array(reader.buffer[range])))
        case .array:
            return .array(try GGUFArray.parse(&reader, storage: storage, base: base, key: key, depth: depth))
        }
    }
}
