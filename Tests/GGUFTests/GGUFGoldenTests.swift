import Foundation
import GGUF
import Testing
import TestSupport

/// The reader against goldens made by Python gguf's GGUFReader (scripts/goldens/gguf_dump_golden.py).
@Suite struct GGUFGoldenTests {
    struct Golden: Decodable {
        let version: UInt32
        let alignment: Int
        let data_offset: Int
        let file_size: Int
        let metadata: [Entry]
        let tensors: [Tensor]
    }

    struct Entry: Decodable {
        let key: String
        let type: String
        let value: Scalar?
        let element_type: String?
        let count: Int?
        let fnv1a64: String?
        let sum: Int?
        let sum_bits: String?
        let samples: [Sample]?
    }

    enum Scalar: Decodable {
        case int(Int), bool(Bool), text(String)

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? c.decode(Int.self) {
                self = .int(i)
            } else {
                self = .text(try c.decode(String.self))
            }
        }
    }

    struct Sample: Decodable {
        let index: Int
        let hex: String?
        let value: Int?
        let bits: String?
    }

    struct Tensor: Decodable, Equatable {
        let name: String
        let type: String
        let shape: [Int]
        let offset: Int
        let bytes: Int
    }

    static let models: [RealModel] = [.smolLM2, .qwen25, .gemma3]

    @Test(arguments: models)
    func matchesPythonGGUF(model: RealModel) throws {
        let stem = (model.rawValue as NSString).deletingPathExtension
        let data = try Data(contentsOf: TestPaths.fixture("GGUF", stem + ".golden.json"))
        let golden = try JSONDecoder().decode(Golden.self, from: data)
        let file = try GGUFFile(path: try TestPaths.model(model))

        #expect(file.version == golden.version)
        #expect(file.alignment == golden.alignment)
        #expect(file.dataOffset == golden.data_offset)
        #expect(file.fileSize == golden.file_size)
        #expect(file.metadata.map(\.key) == golden.metadata.map(\.key))
        for entry in golden.metadata {
            let value = try #require(file[entry.key], "missing \(entry.key)")
            #expect(value.type.description == entry.type, "\(entry.key)")
            if let array = value.arrayValue {
                try check(array, against: entry)
            } else {
                check(value, against: try #require(entry.value), key: entry.key)
            }
        }

        let tensors = file.tensors.map {
            Tensor(name: $0.name, type: $0.type.description, shape: $0.shape, offset: $0.offset, bytes: $0.byteCount)
        }
        #expect(tensors == golden.tensors)
        for tensor in file.tensors {
            #expect(tensor.elementCount == tensor.shape.reduce(1, *))
            #expect(file.tensor(named: tensor.name) == tensor)
        }
    }

    private func check(_ value: GGUFValue, against expected: Scalar, key: String) {
        switch (value, expected) {
        case let (.string(s), .text(t)): #expect(s.string == t, "\(key)")
        case let (.float32(f), .text(bits)): #expect(hex(f.bitPattern) == bits, "\(key)")
        case let (.float64(d), .text(bits)): #expect(hex(d.bitPattern) == bits, "\(key)")
        case let (.bool(b), .bool(e)): #expect(b == e, "\(key)")
        case let (_, .int(i)): #expect(value.intValue == i, "\(key)")
        default: Issue.record("\(key): \(value) does not match golden \(expected)")
        }
    }

    private func check(_ array: GGUFArray, against entry: Entry) throws {
        #expect(array.elementType.description == entry.element_type, "\(entry.key)")
        #expect(array.count == entry.count, "\(entry.key)")
        let samples = entry.samples ?? []
        switch array.elementType {
        case .string:
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            try array.forEachStringBytes { bytes in
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { hash = fnv1a(hash, $0) }
                hash = fnv1a(hash, bytes)
            }
            #expect(String(format: "%016llx", hash) == entry.fnv1a64, "\(entry.key)")
            let strings = try array.stringBytes()
            let decoded = try array.strings()
            for sample in samples {
                let bytes = strings[sample.index]
                #expect(bytes.map { String(format: "%02x", $0) }.joined() == sample.hex, "\(entry.key)[\(sample.index)]")
                #expect(decoded[sample.index] == String(decoding: bytes, as: UTF8.self))
            }
        case .float32, .float64:
            let floats = try array.floats()
            let sum = floats.reduce(0.0) { $0 + Double($1) }
            #expect(hex(sum.bitPattern) == entry.sum_bits, "\(entry.key)")
            for sample in samples {
                #expect(hex(floats[sample.index].bitPattern) == sample.bits, "\(entry.key)[\(sample.index)]")
            }
        default:
            let ints = try array.ints()
            #expect(ints.reduce(0, +) == entry.sum, "\(entry.key)")
            for sample in samples { #expect(ints[sample.index] == sample.value, "\(entry.key)[\(sample.index)]") }
        }
    }

    private func fnv1a(_ start: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = start
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// Little-endian hex of a bit pattern, as Python's `struct.pack("<f"/"<d", …).hex()` prints it.
    private func hex<T: FixedWidthInteger>(_ bits: T) -> String {
        withUnsafeBytes(of: bits.littleEndian) { $0.map { String(format: "%02x", $0) }.joined() }
    }
}
