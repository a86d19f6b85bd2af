import Foundation
import Testing
import TestSupport
@testable import Embeddings

/// Builds safetensors bytes: 8-byte little-endian header length, JSON header, data.
func safetensorsBytes(header: String, data: [UInt8]) -> [UInt8] {
    let json = Array(header.utf8)
    return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + data
}

func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
}

@Suite struct SafeTensorsTests {
    /// Two tensors, an f32 2×2 and an f16 3-vector, with metadata.
    static let valid: [UInt8] = {
        let f16: [UInt8] = [Float16(1.5), Float16(-2), Float16(0.25)].flatMap {
            withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init)
        }
        let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"#
            + #""b":{"dtype":"F16","shape":[3],"data_offsets":[16,22]}}"#
        return safetensorsBytes(header: header, data: floatBytes([1, 2, 3, -4]) + f16)
    }()

    @Test func readsF32F16AndMetadata() throws {
        let file = try SafeTensorsFile(bytes: Self.valid)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors["a"]?.shape == [2, 2])
        #expect(try file.floats("a", shape: [2, 2]) == [1, 2, 3, -4])
        #expect(try file.floats("b") == [1.5, -2, 0.25])
        #expect(throws: EmbeddingsError.shapeMismatch(tensor: "a", expected: [4], actual: [2, 2])) {
            try file.floats("a", shape: [4])
        }
        #expect(throws: EmbeddingsError.missingTensor("c")) { try file.floats("c") }
    }

    @Test func readsBF16AndUnalignedData() throws {
        // A 1-byte U8 tensor first puts the bf16 data at an odd offset.
        let bf16: [UInt8] = [Float(3.5), Float(-0.125)].flatMap {
            withUnsafeBytes(of: UInt16($0.bitPattern >> 16).littleEndian, Array.init)
        }
        let header = #"{"pad":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"BF16","shape":[2],"data_offsets":[1,5]}}"#
        let file = try SafeTensorsFile(bytes: safetensorsBytes(header: header, data: [7] + bf16))
        #expect(try file.floats("w") == [3.5, -0.125])
        #expect(throws: EmbeddingsError.unsupportedDType(tensor: "pad", dtype: "U8")) { try file.floats("pad") }
    }

    @Test func readsTheRealModelHeader() throws {
        let path = try TestPaths.model(.miniLM) + "/model.safetensors"
        let file = try SafeTensorsFile(path: path)
        #expect(file.tensors.count == 104)
        #expect(file.tensors["embeddings.word_embeddings.weight"]?.shape == [30522, 384])
        #expect(file.tensors["embeddings.position_ids"]?.dtype == .i64)
    }

    // MARK: - Hostile files

    static func open(_ bytes: [UInt8]) -> EmbeddingsError? {
        do {
            _ = try SafeTensorsFile(bytes: bytes)
            return nil
        } catch let error as EmbeddingsError {
            return error
        } catch {
            return .invalidInput("unexpected error \(error)")
        }
    }

    static func withHeader(_ header: String, data: [UInt8] = Array(repeating: 0, count: 16)) -> EmbeddingsError? {
        open(safetensorsBytes(header: header, data: data))
    }

    @Test func everyTruncationIsAnError() {
        for length in 0..<Self.valid.count {
            let error = Self.open(Array(Self.valid.prefix(length)))
            #expect(error != nil, "prefix of \(length) bytes was accepted")
        }
    }

    @Test func badHeaderLengths() {
        #expect(Self.open([0, 0, 0, 0, 0, 0, 0, 0]) == .headerLength(0))
        #expect(Self.open([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] + Array("{}".utf8)) == .headerLength(UInt64.max))
        #expect(Self.open(withUnsafeBytes(of: UInt64(1000).littleEndian, Array.init) + Array("{}".utf8))
            == .truncated(fileSize: 10, needed: 1008))
        #expect(Self.open([1, 2, 3]) == .truncated(fileSize: 3, needed: 8))
    }

    @Test func badJSON() {
        #expect(Self.withHeader("{\"a\":", data: []) == .badHeader(reason: "not valid JSON"))
        #expect(Self.withHeader("[1,2]", data: []) == .badHeader(reason: "not a JSON object"))
        #expect(Self.withHeader(#"{"a":3}"#, data: []) == .badHeader(reason: "entry a is not an object"))
        #expect(Self.withHeader(#"{"__metadata__":{"x":1}}"#, data: [])
            == .badHeader(reason: "__metadata__ is not an object of strings"))
        #expect(Self.withHeader(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
            == .badHeader(reason: "entry a has no dtype"))
    }

    @Test func badDTypesAndShapes() {
        #expect(Self.withHeader(#"{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#)
            == .unknownDType(tensor: "a", dtype: "F128"))
        #expect(Self.withHeader(#"{"a":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}"#)
            == .badShape(tensor: "a", reason: "dimension -4"))
        #expect(Self.withHeader(#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,16]}}"#)
            == .badShape(tensor: "a", reason: "dimension 1.5"))
        #expect(Self.withHeader(#"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}"#)
            == .badShape(tensor: "a", reason: "element count overflows"))
        // Absurd but non-overflowing sizes fail on the offsets, before anything is allocated.
        #expect(Self.withHeader(#"{"a":{"dtype":"F32","shape":[1000000000,1000],"data_offsets":[0,16]}}"#)
            == .badOffsets(tensor: "a", reason: "16 bytes for 4000000000000 bytes of F32 [1000000000, 1000]"))
    }

    @Test func badOffsets() {
        #expect(Self.withHeader(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0]}}"#)
            == .badOffsets(tensor: "a", reason: "not a pair of integers"))
        #expect(Self.withHeader(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,32]}}"#)
            == .badOffsets(tensor: "a", reason: "[0, 32] outside data of 16 bytes"))
        #expect(Self.withHeader(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[16,0]}}"#)
            == .badOffsets(tensor: "a", reason: "[16, 0] outside data of 16 bytes"))
        #expect(Self.withHeader(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#)
            == .badOffsets(tensor: "a", reason: "16 bytes for 12 bytes of F32 [3]"))
        let overlap = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
        #expect(Self.withHeader(overlap) == .badOffsets(tensor: "b", reason: "overlaps the previous tensor"))
        let hole = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
        #expect(Self.withHeader(hole) == .badOffsets(tensor: "b", reason: "leaves a hole before it"))
        let short = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(Self.withHeader(short) == .badOffsets(tensor: "(end)", reason: "tensors cover 8 of 16 data bytes"))
    }

    @Test func missingFileIsAnError() {
        #expect(throws: EmbeddingsError.self) { try SafeTensorsFile(path: "/nonexistent/model.safetensors") }
    }

    /// Single-byte corruptions (a fixed pseudo-random sequence) either load or throw; none crashes.
    @Test func corruptedBytesNeverCrash() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for position in 0..<Self.valid.count {
            for _ in 0..<8 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                var bytes = Self.valid
                bytes[position] = UInt8(truncatingIfNeeded: state >> 56)
                if let file = try? SafeTensorsFile(bytes: bytes) {
                    for name in file.tensors.keys { _ = try? file.floats(name) }
                }
            }
        }
    }
}
