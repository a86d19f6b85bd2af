/// One tensor's description from the GGUF header.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name (`blk.0.attn_q.weight`), decoded leniently like every GGUF string.
    public let name: String
    /// The element type of the data.
    public let type: GGMLType
    /// Dimensions in ggml order: `shape[0]` (ne0) is the contiguous row length.
    public let shape: [Int]
    /// The product of `shape` (1 for a zero-dimensional tensor).
    public let elementCount: Int
    /// Bytes of data: `elementCount / type.blockSize * type.typeSize`.
    public let byteCount: Int
    /// Absolute offset of the data in the file (the header's relative offset plus `GGUFFile.dataOffset`).
    public let offset: Int
}

/// A GGUF file (version 2 or 3, little-endian), mapped read-only.
///
/// Opening parses and validates the header, metadata and tensor infos: every tensor's byte range is
/// checked to lie inside the file, aligned and not overlapping another, so `bytes(of:)` cannot fail.
/// Tensor data is not touched. Metadata arrays stay lazy views into the mapping. The object is
/// immutable; the mapping is released when the object (and every array taken from it) is gone.
public final class GGUFFile: @unchecked Sendable {
    /// The alignment GGUF uses when `general.alignment` is absent.
    public static let defaultAlignment = 32
    /// The metadata key that overrides the alignment.
    public static let alignmentKey = "general.alignment"
    /// ggml's maximum number of tensor dimensions.
    public static let maxDimensions = 4

    /// The format version (2 or 3).
    public let version: UInt32
    /// Tensor data alignment in bytes: `general.alignment`, else 32.
    public let alignment: Int
    /// Metadata entries in file order.
    public let metadata: [GGUFMetadataEntry]
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// Absolute offset where tensor data begins (the end of the tensor infos, rounded up to `alignment`).
    /// It may exceed `fileSize` in a file without tensors, whose padding is optional.
    public let dataOffset: Int

    let storage: MappedFile
    private let metadataIndex: [String: Int]
    private let tensorIndex: [String: Int]

    /// The file's size in bytes.
    public var fileSize: Int { storage.buffer.count }

    /// Maps and parses the file at `path`.
    public convenience init(path: String) throws {
        let storage: MappedFile
        do { storage = try MappedFile(mapping: path) } catch { throw GGUFError.cannotOpen(path: error.path, errno: error.errno) }
        try self.init(storage: storage)
    }

    /// Parses a GGUF image held in memory (copied), as written by `GGUFWriter`.
    public convenience init(bytes: [UInt8]) throws {
        try self.init(storage: MappedFile(copying: bytes))
    }

    private init(storage: MappedFile) throws {
        self.storage = storage
        var reader = ByteReader(storage.buffer)

        let magic = try reader.read(UInt32.self)
        guard magic == 0x4655_4747 else { throw GGUFError.badMagic(magic) } // "GGUF" read little-endian
        let version = try reader.read(UInt32.self)
        guard version == 2 || version == 3 else {
            if version.byteSwapped == 2 || version.byteSwapped == 3 { throw GGUFError.bigEndian }
            throw GGUFError.unsupportedVersion(version)
        }
        self.version = version

        // Minimum sizes: a tensor info is a name length, n_dims, type and offset (8+4+4+8); a metadata
        // entry is a key length, a type and at least one value byte (8+4+1).
        let tensorCount = try reader.read(UInt64.self)
        let entryCount = try reader.count(of: "metadata entries", minimumSize: 13)
        guard tensorCount <= UInt64(reader.remaining / 24) else {
            throw GGUFError.countTooLarge(what: "tensors", count: tensorCount)
        }

        var metadata: [GGUFMetadataEntry] = []
        var metadataIndex: [String: Int] = [:]
        metadata.reserveCapacity(entryCount)
        for _ in 0..<entryCount {
            let key = try reader.string()
            let rawType = try reader.read(UInt32.self)
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.unknownValueType(rawType, key: key)
            }
            let value = try GGUFValue.read(type, from: &reader, storage: storage, base: 0, key: key, depth: 1)
            guard metadataIndex.updateValue(metadata.count, forKey: key) == nil else {
                throw GGUFError.duplicateKey(key)
            }
            metadata.append(GGUFMetadataEntry(key: key, value: value))
        }
        self.metadata = metadata
        self.metadataIndex = metadataIndex

        var alignment = Self.defaultAlignment
        if let index = metadataIndex[Self.alignmentKey] {
            let value = metadata[index].value
            guard let a = value.intValue, a > 0, a & (a - 1) == 0 else {
                throw GGUFError.badAlignment(key: Self.alignmentKey, value: Self.describe(value))
            }
            alignment = a
        }
        self.alignment = alignment

        let raw = try (0..<Int(tensorCount)).map { _ in try RawTensorInfo(&reader) }
        let (aligned, overflow) = reader.position.addingReportingOverflow(alignment - 1)
        guard !overflow else {
            throw GGUFError.badAlignment(key: Self.alignmentKey, value: Self.describe(.uint64(UInt64(alignment))))
        }
        dataOffset = aligned & ~(alignment - 1)

        var tensors: [GGUFTensorInfo] = []
        var tensorIndex: [String: Int] = [:]
        tensors.reserveCapacity(raw.count)
        for info in raw {
            let tensor = try info.validated(dataOffset: dataOffset, alignment: alignment, fileSize: storage.buffer.count)
            guard tensorIndex.updateValue(tensors.count, forKey: tensor.name) == nil else {
                throw GGUFError.duplicateTensor(tensor.name)
            }
            tensors.append(tensor)
        }
        try Self.checkOverlaps(tensors)
        self.tensors = tensors
        self.tensorIndex = tensorIndex
    }

    /// The value for `key`, or nil.
    public subscript(key: String) -> GGUFValue? {
        metadataIndex[key].map { metadata[$0].value }
    }

    /// The tensor named `name`, or nil.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The raw data of `tensor`, which must come from this file. Valid while this object lives.
    public func bytes(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(tensor.offset >= 0 && tensor.byteCount <= fileSize - tensor.offset,
                     "tensor \(tensor.name) does not belong to this file")
        return UnsafeRawBufferPointer(rebasing: storage.buffer[tensor.offset..<(tensor.offset + tensor.byteCount)])
    }

    private static func checkOverlaps(_ tensors: [GGUFTensorInfo]) throws {
        let ordered = tensors.filter { $0.byteCount > 0 }.sorted { $0.offset < $1.offset }
        var furthest: GGUFTensorInfo?
        for tensor in ordered {
            if let previous = furthest, tensor.offset < previous.offset + previous.byteCount {
                throw GGUFError.tensorsOverlap(previous.name, tensor.name)
            }
            if furthest.map({ tensor.offset + tensor.byteCount > $0.offset + $0.byteCount }) ?? true {
                furthest = tensor
            }
        }
    }
}

/// A tensor info as stored, before its type, shape and range are validated.
private struct RawTensorInfo {
    let name: String
    let dims: [UInt64]
    let type: UInt32
    let offset: UInt64

    init(_ reader: inout ByteReader) throws {
        name = try reader.string()
        let dimCount = try reader.read(UInt32.self)
        guard dimCount <= GGUFFile.maxDimensions else {
            throw GGUFError.badShape(name: name, shape: [])
        }
        dims = try (0..<Int(dimCount)).map { _ in try reader.read(UInt64.self) }
        type = try reader.read(UInt32.self)
        offset = try reader.read(UInt64.self)
    }

    func validated(dataOffset: Int, alignment: Int, fileSize: Int) throws -> GGUFTensorInfo {
        guard let ggmlType = GGMLType(rawValue: type) else { throw GGUFError.unknownTensorType(type, tensor: name) }
        var shape: [Int] = []
        var elements = 1
        for dim in dims {
            guard let d = Int(exactly: dim) else { throw GGUFError.badShape(name: name, shape: dims) }
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow else { throw GGUFError.badShape(name: name, shape: dims) }
            elements = product
            shape.append(d)
        }
        // ggml stores whole blocks per row, so the row length must be a multiple of the block size.
        if let rowLength = shape.first, rowLength % ggmlType.blockSize != 0 {
            throw GGUFError.badShape(name: name, shape: dims)
        }
        guard let byteCount = ggmlType.byteCount(elements: elements) else {
            throw GGUFError.badShape(name: name, shape: dims)
        }
        guard offset % UInt64(alignment) == 0 else {
            throw GGUFError.misaligned(name: name, offset: offset, alignment: alignment)
        }
        guard offset <= UInt64(fileSize), dataOffset <= fileSize - Int(offset),
              byteCount <= fileSize - dataOffset - Int(offset)
        else { throw GGUFError.tensorOutOfBounds(name: name) }
        return GGUFTensorInfo(name: name, type: ggmlType, shape: shape, elementCount: elements,
                              byteCount: byteCount, offset: dataOffset + Int(offset))
    }
}
