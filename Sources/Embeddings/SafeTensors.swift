import Foundation
import GGUF

/// A safetensors file: an 8-byte little-endian header length N, N bytes of JSON
/// `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}`, then
/// the data section, which the tensors must tile exactly (no holes, no overlaps).
///
/// The file is mapped read-only; every header value is checked against the file before anything is
/// read or allocated from it, so a hostile file yields an `EmbeddingsError`, never a crash.
public final class SafeTensorsFile: @unchecked Sendable {
    /// Element types the format defines, with their sizes.
    public enum DType: String, Sendable, CaseIterable {
        case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
        case f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2"
        case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
        case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8", bool = "BOOL"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .f64, .i64, .u64: 8
            case .f32, .i32, .u32: 4
            case .f16, .bf16, .i16, .u16: 2
            case .f8e4m3, .f8e5m2, .i8, .u8, .bool: 1
            }
        }
    }

    /// One tensor's entry, checked against the file.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        public let dtype: DType
        /// Dimensions, outermost first (row-major, as PyTorch stores them).
        public let shape: [Int]
        /// Byte range within the data section.
        public let range: Range<Int>
        /// Product of `shape` (1 for a scalar).
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The format's own cap on the header (the reference reader refuses anything larger).
    public static let maxHeaderLength = 100_000_000

    /// Tensors by name.
    public let tensors: [String: TensorInfo]
    /// The free-form `__metadata__` strings (e.g. `format: pt`).
    public let metadata: [String: String]

    private let storage: MappedFile
    private let dataStart: Int

    /// Maps and validates the file at `path`.
    /// - Throws: `EmbeddingsError` for an unreadable or malformed file.
    public convenience init(path: String) throws {
        let storage: MappedFile
        do { storage = try MappedFile(mapping: path) } catch {
            throw EmbeddingsError.cannotOpen(path: error.path, errno: error.errno)
        }
        try self.init(storage: storage)
    }

    /// Validates `bytes` as a safetensors file (tests and in-memory models).
    public convenience init(bytes: [UInt8]) throws {
        try self.init(storage: MappedFile(copying: bytes))
    }

    private init(storage: MappedFile) throws {
        self.storage = storage
        let file = storage.buffer
        guard file.count >= 8 else { throw EmbeddingsError.truncated(fileSize: file.count, needed: 8) }
        let length = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        guard length > 0, length <= UInt64(Self.maxHeaderLength) else { throw EmbeddingsError.headerLength(length) }
        let headerEnd = 8 + Int(length)
        guard headerEnd <= file.count else { throw EmbeddingsError.truncated(fileSize: file.count, needed: headerEnd) }
        dataStart = headerEnd
        let header = Data(UnsafeRawBufferPointer(rebasing: file[8..<headerEnd]))
        (tensors, metadata) = try Self.parseHeader(header, dataSize: file.count - headerEnd)
    }

    // MARK: - Reading

    /// The tensor `name` converted to f32, row-major.
    /// - Parameter shape: when given, the shape the tensor must have.
    /// - Throws: `missingTensor`, `shapeMismatch`, or `unsupportedDType` for non-float tensors.
    public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        guard let info = tensors[name] else { throw EmbeddingsError.missingTensor(name) }
        if let shape, shape != info.shape {
            throw EmbeddingsError.shapeMismatch(tensor: name, expected: shape, actual: info.shape)
        }
        let count = info.elementCount
        let base = storage.buffer.baseAddress.map { $0 + dataStart + info.range.lowerBound }
        guard let base else { return [] }
        // Data offsets need not be aligned to the element size, hence the unaligned loads.
        switch info.dtype {
        case .f32:
            return [Float](unsafeUninitializedCapacity: count) { out, done in
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
                done = count
            }
        case .f16:
            return [Float](unsafeUninitializedCapacity: count) { out, done in
                for i in 0..<count {
                    let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    out[i] = Float(Float16(bitPattern: bits))
                }
                done = count
            }
        case .bf16:
            return [Float](unsafeUninitializedCapacity: count) { out, done in
                for i in 0..<count {
                    let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    out[i] = Float(bitPattern: UInt32(bits) << 16)
                }
                done = count
            }
        default:
            throw EmbeddingsError.unsupportedDType(tensor: name, dtype: info.dtype.rawValue)
        }
    }

    // MARK: - Header validation

    private static func parseHeader(_ header: Data, dataSize: Int) throws -> ([String: TensorInfo], [String: String]) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw EmbeddingsError.badHeader(reason: "not valid JSON")
        }
        guard let entries = object as? [String: Any] else { throw EmbeddingsError.badHeader(reason: "not a JSON object") }
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw EmbeddingsError.badHeader(reason: "__metadata__ is not an object of strings")
                }
                metadata = strings
                continue
            }
            tensors[name] = try tensorInfo(name: name, value, dataSize: dataSize)
        }
        try checkTiling(tensors.values, dataSize: dataSize)
        return (tensors, metadata)
    }

    private static func tensorInfo(name: String, _ value: Any, dataSize: Int) throws -> TensorInfo {
        guard let entry = value as? [String: Any] else { throw EmbeddingsError.badHeader(reason: "entry \(name) is not an object") }
        guard let dtypeText = entry["dtype"] as? String else { throw EmbeddingsError.badHeader(reason: "entry \(name) has no dtype") }
        guard let dtype = DType(rawValue: dtypeText) else { throw EmbeddingsError.unknownDType(tensor: name, dtype: dtypeText) }
        guard let dims = entry["shape"] as? [Any] else { throw EmbeddingsError.badShape(tensor: name, reason: "missing") }
        var shape: [Int] = []
        var elements = 1
        for dim in dims {
            guard let n = exactInt(dim), n >= 0 else { throw EmbeddingsError.badShape(tensor: name, reason: "dimension \(dim)") }
            shape.append(n)
            let (product, overflow) = elements.multipliedReportingOverflow(by: n)
            guard !overflow else { throw EmbeddingsError.badShape(tensor: name, reason: "element count overflows") }
            elements = product
        }
        let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
        guard !overflow else { throw EmbeddingsError.badShape(tensor: name, reason: "byte count overflows") }
        guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
              let begin = exactInt(offsets[0]), let end = exactInt(offsets[1]) else {
            throw EmbeddingsError.badOffsets(tensor: name, reason: "not a pair of integers")
        }
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw EmbeddingsError.badOffsets(tensor: name, reason: "[\(begin), \(end)] outside data of \(dataSize) bytes")
        }
        guard end - begin == byteCount else {
            throw EmbeddingsError.badOffsets(tensor: name, reason: "\(end - begin) bytes for \(byteCount) bytes of \(dtype.rawValue) \(shape)")
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, range: begin..<end)
    }

    /// Sorted by offset, each tensor must start where the previous ended, and the last end the data.
    private static func checkTiling(_ infos: some Collection<TensorInfo>, dataSize: Int) throws {
        var position = 0
        for info in infos.sorted(by: { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }) {
            guard info.range.lowerBound == position else {
                let problem = info.range.lowerBound < position ? "overlaps the previous tensor" : "leaves a hole before it"
                throw EmbeddingsError.badOffsets(tensor: info.name, reason: problem)
            }
            position = info.range.upperBound
        }
        guard position == dataSize else {
            throw EmbeddingsError.badOffsets(tensor: "(end)", reason: "tensors cover \(position) of \(dataSize) data bytes")
        }
    }

    /// A JSON number that is an integer well inside `Int` range (not a fraction, not 1e300).
    private static func exactInt(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double.rounded() == double, abs(double) < 9.0e15 else { return nil }
        return number.intValue
    }
}
