import Foundation
import GGUF
import Testing
import TestSupport

/// Mutation fuzzing: corrupted real files must either open with every invariant intact or throw a
/// `GGUFError`; a crash, trap or other error fails the run. Deterministic: the seed is fixed.
@Suite struct GGUFFuzzTests {
    /// Values that stress length and count fields: zero, boundaries of each width, the file size.
    static func interesting(fileSize: Int) -> [UInt64] {
        [0, 1, 7, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x1_0000_0000, UInt64(Int.max), .max,
         UInt64(fileSize), UInt64(fileSize - 1), UInt64(fileSize + 1), 1 << 62, 1 << 40]
    }

    @Test(arguments: [("smollm2-mini.gguf", 10000, UInt64(0x5EED_0001)), ("writer-sample.gguf", 6000, UInt64(0x5EED_0002))])
    func mutatedFilesOpenSafelyOrThrow(fixture: String, iterations: Int, seed: UInt64) throws {
        let original = try Array(Data(contentsOf: TestPaths.fixture("GGUF", fixture)))
        let headerEnd = try GGUFFile(bytes: original).dataOffset
        let values = Self.interesting(fileSize: original.count)
        var rng = SeededGenerator(state: seed)
        var opened = 0
        var errorKinds: Set<String> = []
        let clock = ContinuousClock()
        let start = clock.now
        for iteration in 0..<iterations {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                mutate(&bytes, headerEnd: headerEnd, values: values, rng: &rng)
            }
            do {
                let file = try GGUFFile(bytes: bytes)
                opened += 1
                try checkInvariants(file, iteration: iteration)
            } catch let error as GGUFError {
                // The case name (Mirror labels an enum payload with it); every message must render.
                errorKinds.insert(Mirror(reflecting: error).children.first?.label ?? error.description)
            }
        }
        print("GGUF fuzz \(fixture): \(iterations) iterations in \(clock.now - start), \(opened) opened, "
            + "errors: \(errorKinds.sorted().joined(separator: ", "))")
        // The mutations must exercise both outcomes, or the test proves little.
        #expect(opened > iterations / 50)
        #expect(opened < iterations - iterations / 10)
        #expect(errorKinds.count >= 8)
    }

    private func mutate(_ bytes: inout [UInt8], headerEnd: Int, values: [UInt64],
                        rng: inout SeededGenerator) {
        guard !bytes.isEmpty else { return }
        // Most mutations land in the header, metadata and tensor infos, where the parser works.
        let limit = Int.random(in: 0..<10, using: &rng) < 9 ? min(headerEnd + 64, bytes.count) : bytes.count
        let at = Int.random(in: 0..<limit, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        case 1:
            bytes[at] = UInt8.random(in: 0...255, using: &rng)
        case 2:
            let value = values.randomElement(using: &rng) ?? 0
            let width = Bool.random(using: &rng) ? 8 : 4
            for i in 0..<width where at + i < bytes.count {
                bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * i))
            }
        case 3:
            bytes.removeSubrange(at..<bytes.count)
        case 4:
            let end = min(at + Int.random(in: 1...16, using: &rng), bytes.count)
            bytes.removeSubrange(at..<end)
        default:
            let chunk = (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes.insert(contentsOf: chunk, at: at)
        }
    }

    private func checkInvariants(_ file: GGUFFile, iteration: Int) throws {
        #expect(file.alignment > 0 && file.alignment & (file.alignment - 1) == 0, "iteration \(iteration)")
        var ranges: [Range<Int>] = []
        for tensor in file.tensors {
            let ok = tensor.offset >= file.dataOffset && tensor.offset % file.alignment == 0
                && tensor.offset + tensor.byteCount <= file.fileSize
                && tensor.elementCount == tensor.shape.reduce(1, *)
                && tensor.type.byteCount(elements: tensor.elementCount) == tensor.byteCount
                && file.bytes(of: tensor).count == tensor.byteCount
            #expect(ok, "iteration \(iteration): tensor \(tensor.name)")
            if tensor.byteCount > 0 { ranges.append(tensor.offset..<(tensor.offset + tensor.byteCount)) }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound <= b.lowerBound, "iteration \(iteration)") }
        // Lazy arrays were validated at open, so decoding them must succeed.
        for entry in file.metadata { try decodeFully(entry.value, depth: 0) }
        #expect(!file.dump().isEmpty)
    }

    private func decodeFully(_ value: GGUFValue, depth: Int) throws {
        guard let array = value.arrayValue else { return }
        #expect(depth < GGUFArray.maxNestingDepth)
        let elements = try array.values()
        #expect(elements.count == array.count)
        switch array.elementType {
        case .string: #expect(try array.strings().count == array.count)
        case .bool: #expect(try array.bools().count == array.count)
        case .float32, .float64: #expect(try array.floats().count == array.count)
        case .uint64: _ = try? array.ints() // may legitimately overflow Int
        case .array: for element in elements { try decodeFully(element, depth: depth + 1) }
        default: #expect(try array.ints().count == array.count)
        }
    }
}
