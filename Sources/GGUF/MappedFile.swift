#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file's bytes, mapped read-only, or an owned in-memory copy. The GGUF and safetensors readers both
/// parse out of one of these; values that point into it (lazy arrays, tensors) keep it alive.
public final class MappedFile: @unchecked Sendable {
    /// Why a file could not be mapped: the path and the C `errno`.
    public struct OpenError: Error, Sendable {
        public let path: String
        public let errno: Int32
    }

    /// The whole file (or copy). Empty for an empty file.
    public let buffer: UnsafeRawBufferPointer
    private let isMapped: Bool

    /// Maps `path` read-only. The mapping is private, so a later change to the file on disk cannot be
    /// written through it; pages are read only when touched.
    public init(mapping path: String) throws(OpenError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpenError(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw OpenError(path: path, errno: errno) }
        let size = Int(info.st_size)
        guard size > 0 else {
            // mmap refuses zero lengths; to a parser an empty file is simply a truncated one.
            buffer = UnsafeRawBufferPointer(start: nil, count: 0)
            isMapped = false
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
              base != UnsafeMutableRawPointer(bitPattern: -1)
        else { throw OpenError(path: path, errno: errno) }
        buffer = UnsafeRawBufferPointer(start: base, count: size)
        isMapped = true
    }

    /// Copies `bytes` into memory this object owns (64-byte aligned).
    public init(copying bytes: some Collection<UInt8>) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        let written = memory.initializeMemory(as: UInt8.self, from: bytes).initialized.count
        buffer = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(memory)[0..<written])
        isMapped = false
    }

    deinit {
        guard let base = buffer.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
        } else {
            base.deallocate()
        }
    }
}

/// A bounds-checked little-endian cursor. Every read checks the remaining length first, so a hostile
/// length or count becomes a `GGUFError` rather than an out-of-range read.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var position: Int

    init(_ buffer: UnsafeRawBufferPointer, position: Int = 0) {
        self.buffer = buffer
        self.position = position
    }

    var remaining: Int { buffer.count - position }

    func require(_ count: Int) throws {
        guard count <= remaining else { throw GGUFError.truncated(at: position, needed: count) }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        let raw = buffer.loadUnaligned(fromByteOffset: position, as: T.self)
        position += size
        return T(littleEndian: raw)
    }

    mutating func skip(_ count: Int) throws {
        try require(count)
        position += count
    }

    /// Reads a string's length prefix and returns the range of its bytes, checked against the file.
    mutating func stringRange() throws -> Range<Int> {
        let start = position
        let length = try read(UInt64.self)
        guard length <= UInt64(remaining) else { throw GGUFError.stringTooLong(length: length, offset: start) }
        let begin = position
        position += Int(length)
        return begin..<position
    }

    /// Reads a string, decoded leniently.
    mutating func string() throws -> String {
        let range = try stringRange()
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    /// Reads a count and checks that `count` items of at least `minimumSize` bytes each fit in the rest
    /// of the file, so callers may loop over or reserve `count` items.
    mutating func count(of what: @autoclosure () -> String, minimumSize: Int) throws -> Int {
        let raw = try read(UInt64.self)
        guard raw <= UInt64(remaining / max(minimumSize, 1)) else {
            throw GGUFError.countTooLarge(what: what(), count: raw)
        }
        return Int(raw)
    }
}
