import Foundation
import Testing
import TestSupport

/// The `swiftlet` commands other than `serve`, run as a user runs them: the real binary as a child process.
/// Expected ids come from llama.cpp's `llama-tokenize` on the same models.
@Suite struct CLICommandTests {
    @Test func tokenizeMatchesLlamaCppWithAndWithoutSpecialParsing() throws {
        let models = TestPaths.modelsDir.path
        _ = try TestPaths.model(.gemma3)
        let parsed = try runSwiftlet(["tokenize", "--models-dir", models, "--model", "gemma-3-270m-q4_k_m",
                                      "--ids", "--parse-special", "Hello <start_of_turn>"])
        #expect(parsed.status == 0)
        #expect(parsed.output == "[2, 9259, 236743, 105]\n")
        let literal = try runSwiftlet(["tokenize", "--models-dir", models, "--model", "gemma-3-270m-q4_k_m.gguf",
                                       "--ids", "Hello <start_of_turn>"])
        #expect(literal.output == "[2, 9259, 655, 3041, 236779, 1340, 236779, 887, 236813]\n")
    }

    @Test func tokenizeByPathPrintsPieces() throws {
        let result = try runSwiftlet(["tokenize", "--model", TestPaths.model(.smolLM2), "Hello world"])
        #expect(result.status == 0)
        #expect(result.output == "19556 -> 'Hello'\n905 -> ' world'\n2 tokens\n")
    }

    @Test func unknownModelNamesTheAvailableOnes() throws {
        let result = try runSwiftlet(["tokenize", "--models-dir", TestPaths.modelsDir.path, "--model", "nope", "x"])
        #expect(result.status != 0)
        #expect(result.output.contains("no model 'nope'"))
        #expect(result.output.contains("SmolLM2-135M-Instruct.Q4_1"))
        #expect(!result.output.contains("Usage:"))
    }

    @Test func inspectPrintsMetadataAndTensorTable() throws {
        let result = try runSwiftlet(["inspect", TestPaths.model(.smolLM2)])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.first == "GGUF v3, 33 metadata entries, 272 tensors, alignment 32, data at offset 1785664, 98362432 bytes")
        #expect(result.output.contains("tokenizer.ggml.tokens                   [STRING]    [49152 items: \"<|endoftext|>\""))
        #expect(lines.last?.hasPrefix("  271  output_norm.weight") == true)
    }

    @Test func inspectRejectsANonGGUFFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-gguf-\(UUID().uuidString).txt")
        try Data("root:x:0:0\n".utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let result = try runSwiftlet(["inspect", path.path])
        #expect(result.status != 0)
        #expect(result.output.contains("not a GGUF file"))
    }
}

/// `generate`, `chat` and `bench` on the real SmolLM2.
@Suite struct GenerationCommandTests {
    @Test func generateContinuesGreedilyAndReportsSpeed() throws {
        let result = try runSwiftlet(["generate", "--model", TestPaths.model(.smolLM2), "-p", "The capital of France is",
                                      "-n", "6", "--temp", "0", "-t", "2"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix(" Paris."))
        #expect(result.output.contains("[5 prompt tokens (0 cached)"))
        #expect(result.output.contains("6 generated"))
        #expect(result.output.contains("finish: length]"))
    }

    @Test func generateRefusesBadValues() throws {
        let result = try runSwiftlet(["generate", "--model", TestPaths.model(.smolLM2), "-p", "x", "--cache-type", "q9"])
        #expect(result.status != 0)
        #expect(result.output.contains("--cache-type must be f16 or f32"))
        let huge = try runSwiftlet(["generate", "--model", TestPaths.model(.smolLM2), "-p", String(repeating: " word", count: 40),
                                    "--ctx-size", "16"])
        #expect(huge.status != 0)
        #expect(huge.output.contains("the prompt has 40 tokens but the context holds 16"))
    }

    @Test func chatUsesTheModelTemplateAndKeepsTheConversation() throws {
        let result = try runSwiftlet(["chat", "--model", TestPaths.model(.smolLM2), "--temp", "0", "-n", "40",
                                      "--instruction-templates", TestPaths.repoRoot.appendingPathComponent("instruction-templates").path],
                                     input: "What is the capital of France?\nAnd of Italy?\n/quit\n")
        #expect(result.status == 0)
        // Two answers; the second turn's prompt starts with the first conversation, so its cache is reused.
        let summaries = result.output.split(separator: "\n").filter { $0.hasPrefix("[") && $0.contains("prompt tokens") }
        #expect(summaries.count == 2)
        #expect(summaries.first?.contains("[37 prompt tokens (0 cached)") == true)
        #expect(summaries.last.map { !$0.contains("(0 cached)") } == true)
        #expect(!result.output.contains("<|im_end|>") && !result.output.contains("<|im_start|>"))
    }

    @Test func benchPrintsALlamaBenchStyleTable() throws {
        let result = try runSwiftlet(["bench", "--model", TestPaths.model(.smolLM2), "-p", "16", "-n", "4", "-r", "1", "-t", "2"])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("| SmolLM2-135M-Instruct.Q4_1 | 93.81 MiB | 134.52 M | 2 | pp16 | ") })
        #expect(lines.contains { $0.hasPrefix("| SmolLM2-135M-Instruct.Q4_1 | 93.81 MiB | 134.52 M | 2 | tg4 | ") })
        #expect(result.output.contains("model open to first token:"))
    }
}

/// Runs the `swiftlet` binary with `arguments` (and `input` on stdin); returns its exit status and
/// combined output.
private func runSwiftlet(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = try ServerProcess.binary()
    process.arguments = arguments
    let pipe = Pipe(), stdin = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = stdin
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
