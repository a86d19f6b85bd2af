import GGUF

/// A `rows × cols` weight matrix stored row by row in one of ggml's formats (each row is
/// `cols / type.blockSize` blocks), over bytes owned elsewhere (an mmap'd GGUF file) or copied in.
///
/// y = W·x: `matvec` multiplies one activation row, `matmul` a batch; both read each weight block
/// once per call and never dequantize whole rows.
public struct WeightMatrix: @unchecked Sendable {
    /// Storage format of the elements.
    public let type: GGMLType
    /// Output features (rows) and input features (cols).
    public let rows: Int, cols: Int
    /// Bytes per stored row.
    public let rowBytes: Int
    let base: UnsafeRawPointer
    // Keeps `base` alive: an owned copy, or whatever the caller says owns the bytes.
    private let owner: AnyObject?

    /// A matrix over a copy of `bytes`.
    /// - Throws: `KernelError` when `type` has no kernels, `cols` is not block-aligned, or
    ///   `bytes.count` is not `rows × rowBytes`.
    public init(type: GGMLType, rows: Int, cols: Int, bytes: [UInt8]) throws {
        let expected = try Self.validate(type: type, rows: rows, cols: cols, actual: bytes.count)
        let storage = ByteStorage(count: expected)
        bytes.withUnsafeBytes { raw in
            if let src = raw.baseAddress { storage.pointer.copyMemory(from: src, byteCount: expected) }
        }
        self.init(type: type, rows: rows, cols: cols, base: UnsafeRawPointer(storage.pointer), owner: storage)
    }

    /// A matrix over bytes that stay valid while `owner` lives (e.g. a tensor's range in an mmap'd
    /// GGUF file, with the file object as owner). No copy is made.
    /// - Throws: `KernelError` as for `init(type:rows:cols:bytes:)`.
    public init(type: GGMLType, rows: Int, cols: Int, buffer: UnsafeRawBufferPointer, owner: AnyObject?) throws {
        _ = try Self.validate(type: type, rows: rows, cols: cols, actual: buffer.count)
        // A valid empty buffer may have no address; nothing is ever read from it then.
        let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        self.init(type: type, rows: rows, cols: cols, base: base, owner: owner)
    }

    private init(type: GGMLType, rows: Int, cols: Int, base: UnsafeRawPointer, owner: AnyObject?) {
        self.type = type
        self.rows = rows
        self.cols = cols
        self.rowBytes = type.byteCount(elements: cols) ?? 0
        self.base = base
        self.owner = owner
    }

    private static func validate(type: GGMLType, rows: Int, cols: Int, actual: Int) throws -> Int {
        guard Quantization.isSupported(type) else { throw KernelError.unsupportedType(type, operation: "matvec") }
        let expected = try Quantization.checkedByteCount(type: type, rows: rows, cols: cols)
        guard actual == expected else {
            throw KernelError.byteCountMismatch(type: type, rows: rows, cols: cols, expected: expected, actual: actual)
        }
        return expected
    }

    /// Row `r` dequantized to f32 (`cols` values); for tests, embeddings lookups and debugging.
    /// - Throws: `KernelError.invalidDimension` when `r` is out of range.
    public func dequantizedRow(_ r: Int) throws -> [Float] {
        guard r >= 0, r < rows else { throw KernelError.invalidDimension(name: "row", value: r) }
        return [Float](unsafeUninitializedCapacity: cols) { out, initialized in
            if let dst = out.baseAddress { Quantization.dequantizeRow(type, base + r * rowBytes, dst, count: cols) }
            initialized = cols
        }
    }

    /// Dequantizes row `r` into `out[offset..<offset+cols]` without allocating (token-embedding lookup).
    /// - Throws: `KernelError.invalidDimension` when `r` is out of range, `shapeMismatch` when `out`
    ///   has no room at `offset`.
    public func dequantizeRow(_ r: Int, into out: inout [Float], at offset: Int = 0) throws {
        guard r >= 0, r < rows else { throw KernelError.invalidDimension(name: "row", value: r) }
        guard offset >= 0, out.count - offset >= cols else {
            throw KernelError.shapeMismatch(operation: "dequantizeRow", expected: offset + cols, actual: out.count)
        }
        out.withUnsafeMutableBufferPointer { buffer in
            Quantization.dequantizeRow(type, base + r * rowBytes, buffer.baseAddress! + offset, count: cols)
        }
    }
}

/// Heap bytes owned by a `WeightMatrix` made from an array; 64-byte aligned for cache-line reads.
final class ByteStorage: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer

    init(count: Int) {
        pointer = .allocate(byteCount: max(count, 1), alignment: 64)
    }

    deinit { pointer.deallocate() }
}
