import GGUF

/// Synthetic GGUF content shared by the writer, hostile-file and fuzz tests.
///
/// `writerSample()` is also committed as Tests/Fixtures/GGUF/writer-sample.gguf and checked against
/// Python gguf by scripts/goldens/gguf_writer_check.py, which spells out the same values independently:
/// keep the two in step.
enum GGUFSamples {
    /// One metadata entry per scalar type (at its extremes), awkward strings, an array of every element
    /// type, an empty array and nested arrays of mixed inner types.
    static func everyValueType() throws -> [(String, GGUFValue)] {
        let inner = [
            GGUFArray(int32s: [1, -2]),
            GGUFArray(strings: ["x"]),
            try GGUFArray(of: .bool, []),
        ]
        return [
            ("t.uint8", .uint8(.max)),
            ("t.int8", .int8(.min)),
            ("t.uint16", .uint16(.max)),
            ("t.int16", .int16(.min)),
            ("t.uint32", .uint32(.max)),
            ("t.int32", .int32(.min)),
            ("t.float32", .float32(-1.5)),
            ("t.uint64", .uint64(.max)),
            ("t.int64", .int64(.min)),
            ("t.float64", .float64(3.141592653589793)),
            ("t.bool.true", .bool(true)),
            ("t.bool.false", .bool(false)),
            ("t.string", .string("héllo ✓")),
            ("t.string.empty", .string("")),
            ("t.string.invalid", .string(GGUFString(bytes: [0x66, 0xFF, 0xC3]))),
            ("a.uint8", .array(try GGUFArray(of: .uint8, [.uint8(0), .uint8(1), .uint8(255)]))),
            ("a.int8", .array(try GGUFArray(of: .int8, [.int8(-128), .int8(127)]))),
            ("a.uint16", .array(try GGUFArray(of: .uint16, [.uint16(0), .uint16(65535)]))),
            ("a.int16", .array(try GGUFArray(of: .int16, [.int16(-32768), .int16(32767)]))),
            ("a.uint32", .array(try GGUFArray(of: .uint32, [.uint32(0), .uint32(.max)]))),
            ("a.int32", .array(GGUFArray(int32s: [.min, 0, .max]))),
            ("a.float32", .array(GGUFArray(float32s: [0.5, -2, .infinity]))),
            ("a.uint64", .array(try GGUFArray(of: .uint64, [.uint64(0), .uint64(1 << 40)]))),
            ("a.int64", .array(try GGUFArray(of: .int64, [.int64(.min), .int64(.max)]))),
            ("a.float64", .array(try GGUFArray(of: .float64, [.float64(1e300), .float64(-0.25)]))),
            ("a.bool", .array(try GGUFArray(of: .bool, [.bool(true), .bool(false), .bool(true)]))),
            ("a.string", .array(GGUFArray(stringBytes: [Array("a".utf8), [], Array("ü".utf8), [0xE2, 0x82]]))),
            ("a.empty", .array(GGUFArray(int32s: []))),
            ("a.nested", .array(GGUFArray(arrays: inner))),
            ("a.deep", .array(GGUFArray(arrays: [GGUFArray(arrays: [GGUFArray(int32s: [7])])]))),
        ]
    }

    /// Deterministic filler bytes.
    static func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31 &+ seed &* 17) % 251) }
    }

    /// Every storable tensor type, each shaped (one block × 2 rows), in `GGMLType.allCases` order.
    /// Q8_1 is left out: ggml never stores it in files and Python gguf's table gives it a different size.
    static var tensorTypes: [GGMLType] { GGMLType.allCases.filter { $0 != .q8_1 } }

    /// The file committed as writer-sample.gguf: every value type, every tensor type, alignment 64.
    static func writerSample() throws -> GGUFWriter {
        var writer = try GGUFWriter(alignment: 64)
        try writer.add("general.architecture", .string("sample"))
        for (key, value) in try everyValueType() { try writer.add(key, value) }
        for (i, type) in tensorTypes.enumerated() {
            try writer.addTensor(name: "tensor.\(type)", type: type, shape: [type.blockSize, 2],
                                 data: pattern(type.typeSize * 2, seed: i))
        }
        return writer
    }
}
