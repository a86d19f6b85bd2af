import Foundation
import GGUF
import Testing
import TestSupport

@Suite struct GGUFWriterTests {
    @Test func roundTripsEveryValueType() throws {
        var writer = try GGUFWriter()
        let entries = try GGUFSamples.everyValueType()
        for (key, value) in entries { try writer.add(key, value) }
        let file = try GGUFFile(bytes: writer.serialize())

        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.tensors.isEmpty)
        #expect(file.metadata == entries.map { GGUFMetadataEntry(key: $0.0, value: $0.1) })
        #expect(Set(file.metadata.map(\.value.type)) == Set(GGUFValueType.allCases))

        #expect(file["t.uint64"]?.intValue == nil) // UInt64.max does not fit in Int
        #expect(file["t.uint64"]?.doubleValue == 18_446_744_073_709_551_615.0)
        #expect(file["t.int64"]?.intValue == Int(Int64.min))
        #expect(file["t.int8"]?.intValue == -128)
        #expect(file["t.float32"]?.doubleValue == -1.5)
        #expect(file["t.float32"]?.intValue == nil)
        #expect(file["t.bool.true"]?.boolValue == true)
        #expect(file["t.string"]?.stringValue == "héllo ✓")
        #expect(file["t.string"]?.intValue == nil)
        // Invalid UTF-8 keeps its bytes; String access replaces each bad sequence with U+FFFD.
        guard case let .string(invalid)? = file["t.string.invalid"] else { throw Failure("t.string.invalid") }
        #expect(invalid.bytes == [0x66, 0xFF, 0xC3])
        #expect(!invalid.isValidUTF8)
        #expect(invalid.string == "f\u{FFFD}\u{FFFD}")
        #expect(file["missing"] == nil)
    }

    @Test func decodesArraysThroughTheirAccessors() throws {
        var writer = try GGUFWriter()
        for (key, value) in try GGUFSamples.everyValueType() { try writer.add(key, value) }
        let file = try GGUFFile(bytes: writer.serialize())
        func array(_ key: String) throws -> GGUFArray { try #require(file[key]?.arrayValue) }

        #expect(try array("a.uint8").ints() == [0, 1, 255])
        #expect(try array("a.int8").ints() == [-128, 127])
        #expect(try array("a.uint16").ints() == [0, 65535])
        #expect(try array("a.int16").ints() == [-32768, 32767])
        #expect(try array("a.uint32").ints() == [0, Int(UInt32.max)])
        #expect(try array("a.int32").ints() == [Int(Int32.min), 0, Int(Int32.max)])
        #expect(try array("a.uint64").ints() == [0, 1 << 40])
        #expect(try array("a.int64").ints() == [Int(Int64.min), Int(Int64.max)])
        #expect(try array("a.float32").floats() == [0.5, -2, .infinity])
        #expect(try array("a.float64").floats() == [Float(1e300), -0.25]) // 1e300 rounds to +inf as Float
        #expect(try array("a.bool").bools() == [true, false, true])
        #expect(try array("a.string").strings() == ["a", "", "ü", "\u{FFFD}"])
        #expect(try array("a.string").stringBytes() == [[0x61], [], [0xC3, 0xBC], [0xE2, 0x82]])
        #expect(try array("a.empty").count == 0)
        #expect(try array("a.empty").ints() == [])

        let nested = try array("a.nested").arrays()
        #expect(nested.map(\.elementType) == [.int32, .string, .bool])
        #expect(try nested[0].ints() == [1, -2])
        #expect(try nested[1].strings() == ["x"])
        #expect(try nested[2].bools() == [])
        let deep = try array("a.deep").arrays()
        #expect(try deep.first?.arrays().first?.ints() == [7])
        #expect(try array("a.uint8").values() == [.uint8(0), .uint8(1), .uint8(255)])

        #expect(throws: GGUFError.typeMismatch(expected: "STRING array", actual: "INT32 array")) {
            try array("a.int32").strings()
        }
        #expect(throws: GGUFError.typeMismatch(expected: "float array", actual: "STRING array")) {
            try array("a.string").floats()
        }
        #expect(throws: GGUFError.typeMismatch(expected: "integer array", actual: "FLOAT32 array")) {
            try array("a.float32").ints()
        }
        let big = try GGUFArray(of: .uint64, [.uint64(.max)])
        #expect(throws: GGUFError.integerOverflow("18446744073709551615")) { try big.ints() }
    }

    @Test(arguments: [1, 32, 64, 4096])
    func roundTripsEveryTensorType(alignment: Int) throws {
        var writer = try GGUFWriter(alignment: alignment, version: 2)
        try writer.add("general.architecture", .string("test"))
        var expected: [(String, GGMLType, [Int], [UInt8])] = []
        for (i, type) in GGMLType.allCases.enumerated() {
            let shape = i % 3 == 0 ? [type.blockSize * 3] : [type.blockSize * 2, 3, 1 + i % 2]
            let count = shape.reduce(1, *) / type.blockSize * type.typeSize
            let data = GGUFSamples.pattern(count, seed: i)
            try writer.addTensor(name: "t\(i).\(type)", type: type, shape: shape, data: data)
            expected.append(("t\(i).\(type)", type, shape, data))
        }
        try writer.addTensor(name: "empty", type: .f32, shape: [0, 4], data: [])
        let bytes = writer.serialize()
        let file = try GGUFFile(bytes: bytes)

        #expect(file.version == 2)
        #expect(file.alignment == alignment)
        #expect(file["general.alignment"]?.intValue == (alignment == 32 ? nil : alignment))
        #expect(file.dataOffset % alignment == 0)
        #expect(file.fileSize == bytes.count)
        #expect(file.tensors.count == expected.count + 1)
        for (name, type, shape, data) in expected {
            let tensor = try #require(file.tensor(named: name))
            #expect(tensor.type == type && tensor.shape == shape)
            #expect(tensor.elementCount == shape.reduce(1, *))
            #expect(tensor.byteCount == data.count)
            #expect(tensor.offset % alignment == 0)
            #expect(Array(file.bytes(of: tensor)) == data)
        }
        let empty = try #require(file.tensor(named: "empty"))
        #expect(empty.elementCount == 0 && empty.byteCount == 0 && file.bytes(of: empty).isEmpty)
    }

    @Test func writesFilesThatReadBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-writer-\(getpid()).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try GGUFSamples.writerSample()
        try writer.write(to: path)
        let file = try GGUFFile(path: path)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == writer.serialize())
        #expect(file.tensors.count == GGUFSamples.tensorTypes.count)
        #expect(file["general.architecture"]?.stringValue == "sample")
    }

    /// The committed writer-sample.gguf was read back by Python gguf (scripts/goldens/gguf_writer_check.py);
    /// the writer must keep producing exactly those bytes. Set SWIFTLET_REGENERATE_GGUF_FIXTURES=1 to
    /// rewrite the fixture after a deliberate format change, then rerun the Python check.
    @Test func matchesTheFixturePythonChecked() throws {
        let url = TestPaths.fixture("GGUF", "writer-sample.gguf")
        let bytes = try GGUFSamples.writerSample().serialize()
        if ProcessInfo.processInfo.environment["SWIFTLET_REGENERATE_GGUF_FIXTURES"] == "1" {
            try Data(bytes).write(to: url)
        }
        #expect(try Array(Data(contentsOf: url)) == bytes)
    }

    @Test func rejectsInconsistentInput() throws {
        var writer = try GGUFWriter()
        try writer.add("k", .uint8(1))
        #expect(throws: GGUFError.duplicateKey("k")) { try writer.add("k", .uint8(2)) }
        #expect(throws: GGUFError.badAlignment(key: "general.alignment", value: "64 (UINT32)")) {
            try writer.add("general.alignment", .uint32(64))
        }
        #expect(throws: GGUFError.tensorSizeMismatch(name: "w", expected: 40, actual: 39)) {
            try writer.addTensor(name: "w", type: .q4_1, shape: [32, 2], data: [UInt8](repeating: 0, count: 39))
        }
        #expect(throws: GGUFError.badShape(name: "w", shape: [16])) {
            try writer.addTensor(name: "w", type: .q4_0, shape: [16], data: [UInt8](repeating: 0, count: 9))
        }
        #expect(throws: GGUFError.badShape(name: "w", shape: [1, 1, 1, 1, 1])) {
            try writer.addTensor(name: "w", type: .f32, shape: [1, 1, 1, 1, 1], data: [0, 0, 0, 0])
        }
        try writer.addTensor(name: "w", type: .f32, shape: [1], data: [0, 0, 0, 0])
        #expect(throws: GGUFError.duplicateTensor("w")) {
            try writer.addTensor(name: "w", type: .f32, shape: [1], data: [0, 0, 0, 0])
        }
        #expect(throws: GGUFError.badAlignment(key: "general.alignment", value: "48")) { try GGUFWriter(alignment: 48) }
        #expect(throws: GGUFError.mixedArray(expected: "INT32", found: "UINT8")) {
            try GGUFArray(of: .int32, [.int32(1), .uint8(2)])
        }
    }

    /// A file Python gguf's writer made (scripts/goldens/gguf_mini_fixture.py) reads as Python reads it.
    @Test func readsPythonWrittenFile() throws {
        struct Golden: Decodable {
            struct Entry: Decodable { let key, type: String; let element_type: String?; let count: Int? }
            let file_size, data_offset: Int
            let metadata: [Entry]
            let tensors: [GGUFGoldenTests.Tensor]
        }
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: TestPaths.fixture("GGUF", "smollm2-mini.golden.json")))
        let file = try GGUFFile(path: TestPaths.fixture("GGUF", "smollm2-mini.gguf").path)
        #expect(file.fileSize == golden.file_size)
        #expect(file.dataOffset == golden.data_offset)
        #expect(file.metadata.map(\.key) == golden.metadata.map(\.key))
        #expect(file.metadata.map(\.value.type.description) == golden.metadata.map(\.type))
        #expect(file.metadata.map { $0.value.arrayValue?.elementType.description } == golden.metadata.map(\.element_type))
        #expect(file.metadata.map { $0.value.arrayValue?.count } == golden.metadata.map(\.count))
        #expect(file.tensors.map {
            GGUFGoldenTests.Tensor(name: $0.name, type: $0.type.description, shape: $0.shape, offset: $0.offset,
                                   bytes: $0.byteCount)
        } == golden.tensors)
        #expect(try file["tokenizer.ggml.tokens"]?.arrayValue?.strings().prefix(3) == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
