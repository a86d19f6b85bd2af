import Foundation
import Testing
import TestSupport
@testable import Templates

/// Random token soup must parse-and-render to a string or a `TemplateError`, never trap or hang.
@Suite struct FuzzTests {
    static let pieces = [
        "{{ ", " }}", "{% ", " %}", "{%- ", " -%}", "{# ", " #}", "if ", "elif ", "else", "endif", "for ", " in ",
        "endfor", "set ", "macro ", "endmacro", "call ", "endcall", "filter ", "endfilter", "raw", "endraw",
        "x", "xs", "d", "ns", "messages", "loop", "namespace(a=1)", "range(", "9223372036854775807", "-1", "0", "2.5",
        "'s'", "\"t\"", "[", "]", "(", ")", "{", "}", ",", ":", ".", "|", "=", "+", "-", "*", "/", "//", "%", "**",
        "~", "==", "!=", "<", ">=", " and ", " or ", " not ", " is ", "defined", "none", "true", "length", "join",
        "tojson", "items()", "map", "select", "default", "upper", "split", "replace", "int", "round", "indent",
        "[::-1]", "[1:]", "loop.index", "caller()", "raise_exception", "strftime_now('%Y')", "\n", " ", "text",
    ]

    @Test func randomTemplatesNeverCrash() {
        var rng = SeededGenerator(state: 20_241_122)
        let limits = SandboxLimits(maxOutputBytes: 1 << 16, maxSteps: 20_000, maxCallDepth: 8, maxNesting: 32,
                                   maxRangeLength: 1_000, maxEvaluationDepth: 200)
        let context: [String: TemplateValue] = [
            "x": 3, "xs": [1, "a", nil, 2.5, ["k": "v"]], "d": ["a": 1, "b": [1, 2]],
            "messages": [["role": "user", "content": "hi"], ["role": "assistant", "content": ["a", "b"]]],
        ]
        var rendered = 0
        var failed = 0
        for _ in 0..<4_000 {
            let count = Int.random(in: 1...24, using: &rng)
            let source = (0..<count).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            do {
                _ = try ChatTemplate(source: source, limits: limits).render(context: context, now: { 0 })
                rendered += 1
            } catch is TemplateError {
                failed += 1
            } catch {
                Issue.record("non-TemplateError \(error) for \(source.debugDescription)")
            }
        }
        #expect(rendered + failed == 4_000)
        #expect(rendered > 100, "fuzzer should produce some valid templates")
    }

    /// Real chat templates with random spans cut out or repeated: deep, nearly valid input.
    @Test func mutatedRealTemplatesNeverCrash() throws {
        var rng = SeededGenerator(state: 7)
        let dir = TestPaths.fixture("Templates", "templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".jinja") }.sorted()
        #expect(names.count >= 80, "the fixture templates are the fuzzer's seeds")
        let (messages, tools) = TemplateBenchmark.conversation()
        let limits = SandboxLimits(maxOutputBytes: 1 << 18, maxSteps: 50_000)
        for name in names {
            let source = Array(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8))
            for _ in 0..<60 {
                var mutated = source
                let a = Int.random(in: 0..<mutated.count, using: &rng)
                let b = min(mutated.count, a + Int.random(in: 1...40, using: &rng))
                if Bool.random(using: &rng) {
                    mutated.removeSubrange(a..<b)
                } else {
                    mutated.insert(contentsOf: mutated[a..<b], at: Int.random(in: 0...mutated.count, using: &rng))
                }
                do {
                    _ = try ChatTemplate(source: String(mutated), limits: limits)
                        .render(messages: messages, tools: tools, addGenerationPrompt: true, now: { 0 })
                } catch is TemplateError {
                } catch {
                    Issue.record("non-TemplateError \(error) in mutated \(name)")
                }
            }
        }
    }
}
