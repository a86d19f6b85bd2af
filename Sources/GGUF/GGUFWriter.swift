#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Builds a GGUF file in memory: for tests and tiny synthetic models.
///
/// Metadata is written in insertion order, then tensor infos, then each tensor's data at the next
/// multiple of `alignment`, in insertion order. A non-default alignment is recorded as
/// `general.alignment` (UINT32) unless that key was added explicitly.
public struct GGUFWriter: Sendable {
    /// The version written into the header (2 and 3 share the layout written here).
    public var version: UInt32
    /// Tensor data alignment: a nonzero power of two.
    public let alignment: Int
    private var entries: [GGUFMetadataEntry] = []
    private var keys: Set<String> = []
    private var pending: [PendingTensor] = []
    private var tensorNames: Set<String> = []

    private struct PendingTensor {
        let name: String
        let type: GGMLType
        let shape: [Int]
        let data: [UInt8]
    }

    /// A writer for an empty file. Throws `badAlignment` unless `alignment` is a nonzero power of two.
    public init(alignment: Int = GGUFFile.defaultAlignment, version: UInt32 = 3) throws {
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= Int(UInt32.max) else {
            throw GGUFError.badAlignment(key: GGUFFile.alignmentKey, value: String(alignment))
        }
        self.alignment = alignment
        self.version = version
    }

    /// Adds a metadata entry. Throws `duplicateKey` for a key already added, and `badAlignment` when
    /// `general.alignment` disagrees with `alignment`.
    public mutating func add(_ key: String, _ value: GGUFValue) throws {
        if key == GGUFFile.alignmentKey, value.intValue != alignment {
            throw GGUFError.badAlignment(key: key, value: GGUFFile.describe(value))
        }
        guard keys.insert(key).inserted else { throw GGUFError.duplicateKey(key) }
        entries.append(GGUFMetadataEntry(key: key, value: value))
    }

    /// Adds a tensor. `shape` is in ggml order (ne0 first); `data` must hold exactly the bytes its type
    /// and shape need (`tensorSizeMismatch` otherwise).
    public mutating func addTensor(name: String, type: GGMLType, shape: [Int], data: [UInt8]) throws {
        guard shape.count <= GGUFFile.maxDimensions, shape.allSatisfy({ $0 >= 0 }),
              (shape.first ?? 0) % type.blockSize == 0
        else { throw GGUFError.badShape(name: name, shape: shape.map { UInt64(max($0, 0)) }) }
        var elements = 1
        for d in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow else { throw GGUFError.badShape(name: name, shape: shape.map { UInt64($0) }) }
            elements = product
        }
        let expected = type.byteCount(elements: elements)
        guard expected == data.count else {
            throw GGUFError.tensorSizeMismatch(name: name, expected: expected, actual: data.count)
        }
        guard tensorNames.insert(name).inserted else { throw GGUFError.duplicateTensor(name) }
        pending.append(PendingTensor(name: name, type: type, shape: shape, data: data))
    }

    /// The complete file image.
    public func serialize() -> [UInt8] {
        var metadata = entries
        if alignment != GGUFFile.defaultAlignment, !keys.contains(GGUFFile.alignmentKey) {
            metadata.append(GGUFMetadataEntry(key: GGUFFile.alignmentKey, value: .uint32(UInt32(alignment))))
        }
        var out: [UInt8] = []
        out.appendLittleEndian(UInt32(0x4655_4747))
        out.appendLittleEndian(version)
        out.appendLittleEndian(UInt64(pending.count))
        out.appendLittleEndian(UInt64(metadata.count))
        for entry in metadata {
            GGUFValue.string(GGUFString(entry.key)).encodePayload(into: &out)
            out.appendLittleEndian(entry.value.type.rawValue)
            entry.value.encodePayload(into: &out)
        }
        var relative = 0
        for tensor in pending {
            GGUFValue.string(GGUFString(tensor.name)).encodePayload(into: &out)
            out.appendLittleEndian(UInt32(tensor.shape.count))
            for d in tensor.shape { out.appendLittleEndian(UInt64(d)) }
            out.appendLittleEndian(tensor.type.rawValue)
            out.appendLittleEndian(UInt64(relative))
            relative = padded(relative + tensor.data.count)
        }
        out.append(contentsOf: repeatElement(0, count: padded(out.count) - out.count))
        for tensor in pending {
            out.append(contentsOf: tensor.data)
            out.append(contentsOf: repeatElement(0, count: padded(tensor.data.count) - tensor.data.count))
        }
        return out
    }

    /// Writes the file image to `path`, replacing any existing file.
    public func write(to path: String) throws {
        let bytes = serialize()
        try writeFile(bytes, to: path)
    }

    private func padded(_ n: Int) -> Int { (n + alignment - 1) & ~(alignment - 1) }
}

/// Writes `bytes` to `path` (created or truncated).
private func writeFile(_ bytes: [UInt8], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw GGUFError.cannotOpen(path: path, errno: errno) }
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { buffer in
            buffer.baseAddress.map { write(fd, $0 + done, buffer.count - done) } ?? 0
        }
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { throw GGUFError.cannotOpen(path: path, errno: errno) }
        done += n
    }
}

extension GGUFValue {
    /// Appends the value's encoding without its type tag (arrays: element type, count, elements).
    func encodePayload(into out: inout [UInt8]) {
        switch self {
        case let .uint8(v): out.append(v)
        case let .int8(v): out.append(UInt8(bitPattern: v))
        case let .uint16(v): out.appendLittleEndian(v)
        case let .int16(v): out.appendLittleEndian(v)
        case let .uint32(v): out.appendLittleEndian(v)
        case let .int32(v): out.appendLittleEndian(v)
        case let .float32(v): out.appendLittleEndian(v.bitPattern)
        case let .uint64(v): out.appendLittleEndian(v)
        case let .int64(v): out.appendLittleEndian(v)
        case let .float64(v): out.appendLittleEndian(v.bitPattern)
        case let .bool(v): out.append(v ? 1 : 0)
        case let .string(s):
            out.appendLittleEndian(UInt64(s.bytes.count))
            out.append(contentsOf: s.bytes)
        case let .array(a):
            out.appendLittleEndian(a.elementType.rawValue)
            out.appendLittleEndian(UInt64(a.count))
            out.append(contentsOf: a.payload)
        }
    }
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
