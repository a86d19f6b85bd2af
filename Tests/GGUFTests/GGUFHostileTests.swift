import Foundation
import GGUF
import Testing
import TestSupport

/// Hand-assembled GGUF bytes, so a test can write any field, however wrong.
struct RawGGUF {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    init(magic: UInt32 = 0x4655_4747, version: UInt32 = 3, tensors: UInt64 = 0, entries: UInt64 = 0) {
        u32(magic)
        u32(version)
        u64(tensors)
        u64(entries)
    }

    mutating func tensorInfo(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(dims.count))
        for d in dims { u64(d) }
        u32(type)
        u64(offset)
    }

    mutating func pad(to alignment: Int = 32) {
        bytes.append(contentsOf: repeatElement(0, count: (alignment - bytes.count % alignment) % alignment))
    }

    mutating func zeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }
}

@Suite struct GGUFHostileTests {
    private func open(_ raw: RawGGUF) throws -> GGUFFile { try GGUFFile(bytes: raw.bytes) }

    /// One F32 tensor info per (name, dims, type, offset) followed by 64 bytes of data.
    private func tensors(_ infos: [(String, [UInt64], UInt32, UInt64)], entries: (inout RawGGUF) -> Int = { _ in 0 },
                         data: Int = 64) -> RawGGUF {
        var kv = RawGGUF()
        kv.bytes = []
        let count = entries(&kv)
        var raw = RawGGUF(tensors: UInt64(infos.count), entries: UInt64(count))
        raw.bytes += kv.bytes
        for (name, dims, type, offset) in infos { raw.tensorInfo(name, dims: dims, type: type, offset: offset) }
        raw.pad()
        raw.zeros(data)
        return raw
    }

    // MARK: - Header

    @Test func emptyAndShortFiles() throws {
        #expect(throws: GGUFError.truncated(at: 0, needed: 4)) { try GGUFFile(bytes: []) }
        #expect(throws: GGUFError.truncated(at: 8, needed: 8)) { try GGUFFile(bytes: Array(RawGGUF().bytes.prefix(12))) }
        #expect(throws: GGUFError.truncated(at: 16, needed: 8)) { try GGUFFile(bytes: Array(RawGGUF().bytes.prefix(23))) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-empty-\(getpid())").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: GGUFError.truncated(at: 0, needed: 4)) { try GGUFFile(path: path) }
    }

    @Test func unopenableFiles() {
        #expect(throws: GGUFError.cannotOpen(path: "/nonexistent/x.gguf", errno: ENOENT)) {
            try GGUFFile(path: "/nonexistent/x.gguf")
        }
        #expect(throws: GGUFError.self) { try GGUFFile(path: "/tmp") }
    }

    @Test func badMagicAndVersions() throws {
        #expect(throws: GGUFError.badMagic(0x4C4C_5547)) { try open(RawGGUF(magic: 0x4C4C_5547)) }
        #expect(throws: GGUFError.unsupportedVersion(1)) { try open(RawGGUF(version: 1)) }
        #expect(throws: GGUFError.unsupportedVersion(4)) { try open(RawGGUF(version: 4)) }
        #expect(throws: GGUFError.bigEndian) { try open(RawGGUF(version: UInt32(3).byteSwapped)) }
        #expect(try open(RawGGUF(version: 2)).version == 2)
        #expect(try open(RawGGUF()).metadata.isEmpty)
    }

    @Test func absurdCounts() {
        #expect(throws: GGUFError.countTooLarge(what: "tensors", count: .max)) { try open(RawGGUF(tensors: .max)) }
        #expect(throws: GGUFError.countTooLarge(what: "tensors", count: 1)) { try open(RawGGUF(tensors: 1)) }
        #expect(throws: GGUFError.countTooLarge(what: "metadata entries", count: 1 << 40)) {
            try open(RawGGUF(entries: 1 << 40))
        }
        var array = RawGGUF(entries: 1)
        array.string("k")
        array.u32(9)
        array.u32(4)
        array.u64(1 << 61) // × 4 bytes would overflow Int if multiplied before checking
        #expect(throws: GGUFError.countTooLarge(what: "array elements of k", count: 1 << 61)) { try open(array) }
    }

    @Test func absurdStringLengths() {
        var key = RawGGUF(entries: 1)
        key.u64(.max)
        key.zeros(16) // enough bytes for the entry count to be plausible
        #expect(throws: GGUFError.stringTooLong(length: .max, offset: 24)) { try open(key) }
        var value = RawGGUF(entries: 1)
        value.string("k")
        value.u32(8)
        value.u64(2)
        value.u8(0x41)
        #expect(throws: GGUFError.stringTooLong(length: 2, offset: 37)) { try open(value) }
        var element = RawGGUF(entries: 1)
        element.string("k")
        element.u32(9)
        element.u32(8)
        element.u64(2)
        element.string("ok")
        element.u64(1 << 50)
        #expect(throws: GGUFError.stringTooLong(length: 1 << 50, offset: 59)) { try open(element) }
    }

    // MARK: - Metadata values

    @Test func unknownValueTypes() {
        var scalar = RawGGUF(entries: 1)
        scalar.string("k")
        scalar.u32(13)
        scalar.zeros(8)
        #expect(throws: GGUFError.unknownValueType(13, key: "k")) { try open(scalar) }
        var element = RawGGUF(entries: 1)
        element.string("arr")
        element.u32(9)
        element.u32(0xFFFF_FFFF)
        element.u64(0)
        #expect(throws: GGUFError.unknownValueType(0xFFFF_FFFF, key: "arr")) { try open(element) }
    }

    @Test func invalidBools() {
        var scalar = RawGGUF(entries: 1)
        scalar.string("b")
        scalar.u32(7)
        scalar.u8(2)
        #expect(throws: GGUFError.invalidBool(2, offset: 37)) { try open(scalar) }
        var array = RawGGUF(entries: 1)
        array.string("b")
        array.u32(9)
        array.u32(7)
        array.u64(2)
        array.u8(1)
        array.u8(0xFF)
        #expect(throws: GGUFError.invalidBool(0xFF, offset: 50)) { try open(array) }
    }

    @Test func arraysNestedTooDeeply() throws {
        func nested(_ depth: Int) -> RawGGUF {
            var raw = RawGGUF(entries: 1)
            raw.string("n")
            raw.u32(9)
            for _ in 1..<depth {
                raw.u32(9)
                raw.u64(1)
            }
            raw.u32(4)
            raw.u64(0)
            return raw
        }
        let deepest = try open(nested(GGUFArray.maxNestingDepth))
        #expect(deepest["n"]?.arrayValue?.count == 1)
        #expect(throws: GGUFError.nestingTooDeep(key: "n")) { try open(nested(GGUFArray.maxNestingDepth + 1)) }
        #expect(throws: GGUFError.nestingTooDeep(key: "n")) { try open(nested(100_000)) }
    }

    @Test func duplicateKeys() {
        var raw = RawGGUF(entries: 2)
        for _ in 0..<2 {
            raw.string("general.name")
            raw.u32(0)
            raw.u8(1)
        }
        #expect(throws: GGUFError.duplicateKey("general.name")) { try open(raw) }
    }

    @Test func badAlignments() throws {
        func aligned(_ type: UInt32, _ payload: [UInt8]) -> RawGGUF {
            var raw = RawGGUF(entries: 1)
            raw.string("general.alignment")
            raw.u32(type)
            raw.bytes += payload
            return raw
        }
        #expect(throws: GGUFError.badAlignment(key: "general.alignment", value: "0 (UINT32)")) {
            try open(aligned(4, [0, 0, 0, 0]))
        }
        #expect(throws: GGUFError.badAlignment(key: "general.alignment", value: "24 (UINT32)")) {
            try open(aligned(4, [24, 0, 0, 0]))
        }
        #expect(throws: GGUFError.badAlignment(key: "general.alignment", value: "-64 (INT32)")) {
            try open(aligned(5, [0xC0, 0xFF, 0xFF, 0xFF]))
        }
        #expect(throws: GGUFError.badAlignment(key: "general.alignment", value: "64.0 (FLOAT32)")) {
            try open(aligned(6, [0, 0, 0x80, 0x42]))
        }
        #expect(try open(aligned(4, [16, 0, 0, 0])).alignment == 16)
    }

    // MARK: - Tensor infos

    @Test func unknownTensorTypes() {
        #expect(throws: GGUFError.unknownTensorType(4, tensor: "w")) { try open(tensors([("w", [32], 4, 0)])) }
        #expect(throws: GGUFError.unknownTensorType(1000, tensor: "w")) { try open(tensors([("w", [32], 1000, 0)])) }
    }

    @Test func badShapes() {
        #expect(throws: GGUFError.badShape(name: "w", shape: [])) { try open(tensors([("w", [1, 1, 1, 1, 1], 0, 0)])) }
        #expect(throws: GGUFError.badShape(name: "w", shape: [1 << 32, 1 << 32])) {
            try open(tensors([("w", [1 << 32, 1 << 32], 0, 0)]))
        }
        #expect(throws: GGUFError.badShape(name: "w", shape: [.max])) { try open(tensors([("w", [.max], 0, 0)])) }
        #expect(throws: GGUFError.badShape(name: "w", shape: [16, 2])) { try open(tensors([("w", [16, 2], 2, 0)])) }
        // 2^62 F32 elements: the element count fits in Int but the byte count does not.
        #expect(throws: GGUFError.badShape(name: "w", shape: [1 << 31, 1 << 31])) {
            try open(tensors([("w", [1 << 31, 1 << 31], 0, 0)]))
        }
        var raw = RawGGUF(tensors: 1)
        raw.string("w")
        raw.u32(0xFFFF_FFFF)
        raw.zeros(24)
        #expect(throws: GGUFError.badShape(name: "w", shape: [])) { try open(raw) }
    }

    @Test func duplicateTensors() {
        #expect(throws: GGUFError.duplicateTensor("w")) { try open(tensors([("w", [4], 0, 0), ("w", [4], 0, 32)])) }
    }

    @Test func misalignedTensors() {
        #expect(throws: GGUFError.misaligned(name: "w", offset: 4, alignment: 32)) {
            try open(tensors([("w", [4], 0, 4)]))
        }
    }

    @Test func tensorsOutOfBounds() throws {
        #expect(try open(tensors([("w", [16], 0, 0)])).tensors.count == 1) // exactly the 64 data bytes
        #expect(throws: GGUFError.tensorOutOfBounds(name: "w")) { try open(tensors([("w", [17], 0, 0)])) }
        #expect(throws: GGUFError.tensorOutOfBounds(name: "w")) { try open(tensors([("w", [4], 0, 64)])) }
        #expect(throws: GGUFError.tensorOutOfBounds(name: "w")) {
            try open(tensors([("w", [4], 0, UInt64.max & ~31)]))
        }
        #expect(throws: GGUFError.tensorOutOfBounds(name: "w")) { try open(tensors([("w", [4], 0, 0)], data: 8)) }
    }

    @Test func overlappingTensors() throws {
        #expect(throws: GGUFError.tensorsOverlap("a", "b")) { try open(tensors([("a", [16], 0, 0), ("b", [8], 0, 32)])) }
        #expect(throws: GGUFError.tensorsOverlap("a", "b")) { try open(tensors([("b", [8], 0, 32), ("a", [16], 0, 0)])) }
        #expect(throws: GGUFError.tensorsOverlap("a", "b")) { try open(tensors([("a", [16], 0, 0), ("b", [16], 0, 0)])) }
        // Empty tensors occupy no bytes, so they overlap nothing; adjacent tensors are fine.
        let file = try open(tensors([("a", [8], 0, 0), ("e", [0], 0, 0), ("b", [8], 0, 32)]))
        #expect(file.tensors.map(\.name) == ["a", "e", "b"])
    }

    @Test func messagesNameTheProblemAndItsPlace() {
        #expect(GGUFError.truncated(at: 24, needed: 8).description == "GGUF file truncated: needed 8 bytes at offset 24")
        #expect(GGUFError.badMagic(0x4C4C_5547).description == "not a GGUF file: magic is 0x4c4c5547, expected \"GGUF\"")
        #expect(GGUFError.tensorsOverlap("a", "b").description == "tensors \"a\" and \"b\" overlap")
        #expect(GGUFError.unknownTensorType(4, tensor: "w").description == "unknown ggml type 4 for tensor \"w\"")
        #expect(GGUFError.countTooLarge(what: "tensors", count: 9).description
            == "count of tensors (9) is larger than the file can hold")
    }

    /// Every prefix of a valid file that cuts into its content fails cleanly; one that cuts only tensor data
    /// fails as out of bounds. (Cutting the padding after the last tensor leaves a valid file.)
    @Test func truncationAnywhere() throws {
        let bytes = try GGUFSamples.writerSample().serialize()
        let full = try GGUFFile(bytes: bytes)
        let end = full.tensors.map { $0.offset + $0.byteCount }.max() ?? full.dataOffset
        #expect(try GGUFFile(bytes: Array(bytes[0..<end])).tensors == full.tensors)
        for length in 0..<end {
            do {
                _ = try GGUFFile(bytes: Array(bytes[0..<length]))
                Issue.record("prefix of \(length) bytes opened")
            } catch let error as GGUFError {
                if length >= full.dataOffset {
                    guard case .tensorOutOfBounds = error else {
                        Issue.record("prefix \(length): \(error)")
                        continue
                    }
                }
            }
        }
    }
}
