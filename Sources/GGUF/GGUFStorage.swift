#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The bytes a parsed file points into: a read-only mapping of the file, or an owned copy.
///
/// Lazy arrays hold a reference, so their bytes stay valid as long as any value taken from the file lives.
final class GGUFStorage: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    private let isMapped: Bool

    /// Maps `path` read-only. The mapping is private, so a later change to the file on disk cannot be
    /// written through it; pages are read only when touched.
    init(mapping path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw GGUFError.cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw GGUFError.cannotOpen(path: path, errno: errno) }
        let size = Int(info.st_size)
        guard size > 0 else {
            // mmap refuses zero lengths; an empty file is simply a truncated one.
            buffer = UnsafeRawBufferPointer(start: nil, count: 0)
            isMapped = false
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
              base != UnsafeMutableRawPointer(bitPattern: -1)
        else { throw GGUFError.cannotOpen(path: path, errno: errno) }
        buffer = UnsafeRawBufferPointer(start: base, count: size)
        isMapped = true
    }

    /// Copies `bytes` into storage this object owns.
    init(copying bytes: some Collection<UInt8>) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        let written = memory.initializeMemory(as: UInt8.self, from: bytes).initialized.count
        buffer = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(memory)[0..<written])
        isMapped = false
    }

    /// Writes `bytes` to `path` (created or truncated), for `GGUFWriter`.
    static func writeFile(_ bytes: [UInt8], to path: String) throws {
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
