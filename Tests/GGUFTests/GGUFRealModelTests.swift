import GGUF
import Testing
import TestSupport

@Suite struct GGUFRealModelTests {
    /// Opening must be cheap: header, metadata and tensor infos only; arrays stay lazy. The time is
    /// printed, not asserted (CI machines vary); the budget is 50 ms for a 500 MB model.
    @Test(arguments: [RealModel.smolLM2, .qwen25, .gemma3])
    func opensAndReportsTime(model: RealModel) throws {
        let path = try TestPaths.model(model)
        let clock = ContinuousClock()
        var opened: GGUFFile?
        let elapsed = try clock.measure { opened = try GGUFFile(path: path) }
        let file = try #require(opened)
        print("GGUF open \(model.rawValue) (\(file.fileSize) bytes): \(elapsed)")
        let expected: (arch: String, entries: Int, tensors: Int, vocab: Int) = switch model {
        case .smolLM2: ("llama", 33, 272, 49152)
        case .qwen25: ("qwen2", 26, 291, 151_936)
        default: ("gemma3", 33, 236, 262_144)
        }
        #expect(file["general.architecture"]?.stringValue == expected.arch)
        #expect(file.metadata.count == expected.entries)
        #expect(file.tensors.count == expected.tensors)
        #expect(file["tokenizer.ggml.tokens"]?.arrayValue?.count == expected.vocab)
    }

    @Test func tensorBytesAreTheMappedData() throws {
        let file = try GGUFFile(path: try TestPaths.model(.smolLM2))
        let norm = try #require(file.tensor(named: "blk.0.attn_norm.weight"))
        #expect(norm.type == .f32 && norm.shape == [576])
        let bytes = file.bytes(of: norm)
        #expect(bytes.count == 576 * 4)
        // RMSNorm weights of a trained model are finite and not all zero.
        let weights = (0..<576).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        #expect(weights.allSatisfy { $0.isFinite })
        #expect(weights.contains { $0 != 0 })
        let last = try #require(file.tensors.max { $0.offset < $1.offset })
        #expect(last.offset + last.byteCount <= file.fileSize)
        #expect(file.bytes(of: last).count == last.byteCount)
    }

    @Test func dumpSummarisesLongArraysAndListsTensors() throws {
        let file = try GGUFFile(path: try TestPaths.model(.gemma3))
        let dump = file.dump(maxArrayItems: 3)
        let lines = dump.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "GGUF v3, 33 metadata entries, 236 tensors, alignment 32, data at offset 6525120, 253113024 bytes")
        let tokens = try #require(lines.first { $0.contains("tokenizer.ggml.tokens") })
        #expect(tokens.hasSuffix("[262144 items: \"<pad>\", \"<eos>\", \"<bos>\", … ]"))
        let tags = try #require(lines.first { $0.contains("general.tags") })
        #expect(tags.hasSuffix("[4 items: \"gemma3\", \"gemma\", \"google\", … ]"))
        #expect(lines.contains { $0.contains("gemma3.context_length") && $0.hasSuffix("32768") })
        let row = try #require(lines.first { $0.contains(" token_embd.weight ") })
        let columns = row.split(separator: " ").map(String.init)
        #expect(columns == ["1", "token_embd.weight", "Q8_0", "640", "×", "262144", "6527680", "178257920"])
        #expect(lines.filter { $0.contains(" blk.") }.count == 234)
    }
}
