import Foundation
import Testing
import TestSupport
@testable import Templates

/// Byte-for-byte comparison with Python jinja2 under Hugging Face's settings, over every template in
/// Tests/Fixtures/Templates/templates and every conversation in the matrix
/// (goldens from scripts/goldens/templates_goldens.py).
@Suite struct GoldenTemplateTests {
    /// 2024-07-26 12:00 UTC, the instant the golden script's `strftime_now` reads.
    static let fixedNow: @Sendable () -> Double = { 1_721_995_200 }

    static func load(_ name: String) throws -> TemplateValue {
        let url = TestPaths.fixture("Templates", name)
        return try TemplateValue(json: String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    /// Parsed once for all templates (the file holds every template's cases).
    static let goldens: TemplateValue? = try? load("goldens.json")

    static var templateNames: [String] {
        let dir = TestPaths.fixture("Templates", "templates")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".jinja") }.sorted()
    }

    @Test func matrixCoversAtLeastTwentyTemplates() {
        #expect(Self.templateNames.count >= 20)
    }

    @Test(arguments: templateNames)
    func matchesJinja2(_ templateName: String) throws {
        guard case let .dictionary(goldens)? = Self.goldens, case let .array(cases)? = goldens[templateName],
              case let .dictionary(conversations) = try Self.load("conversations.json") else {
            Issue.record("missing goldens for \(templateName)")
            return
        }
        let source = try String(contentsOf: TestPaths.fixture("Templates", "templates/\(templateName)"), encoding: .utf8)
        let template = try ChatTemplate(source: source)
        var mismatches: [String] = []
        for case let .dictionary(c) in cases {
            guard case let .string(convName)? = c["conversation"], case let .dictionary(conv)? = conversations[convName],
                  case let .array(messages)? = conv["messages"], case let .bool(agp)? = c["add_generation_prompt"],
                  case let .dictionary(extra)? = c["extra"] else {
                Issue.record("malformed golden case in \(templateName)")
                continue
            }
            var tools: [TemplateValue]?
            if case let .array(t)? = conv["tools"] { tools = t } else if templateName.contains("tool_use") { tools = [] }
            let label = "\(convName) agp=\(agp) extra=\(extra.keys.filter { !$0.hasSuffix("_token") })"
            do {
                let out = try template.render(messages: messages, tools: tools, addGenerationPrompt: agp,
                                              extra: Dictionary(uniqueKeysWithValues: extra.map { ($0.key, $0.value) }),
                                              now: Self.fixedNow)
                if case let .string(expected)? = c["output"] {
                    if out != expected { mismatches.append("\(label): got\n\(out.debugDescription)\nwant\n\(expected.debugDescription)") }
                } else {
                    mismatches.append("\(label): rendered but jinja2 failed with \(c["error"]?.pyRepr ?? "?")")
                }
            } catch let error as TemplateError {
                guard case let .dictionary(e)? = c["error"] else {
                    mismatches.append("\(label): unexpected \(error)")
                    continue
                }
                if case .string("raised")? = e["kind"] {
                    guard case let .raised(message, _, _) = error, .string(message) == e["message"] ?? .none else {
                        mismatches.append("\(label): expected raise_exception(\(e["message"]?.pyStr ?? "")), got \(error)")
                        continue
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(templateName): \(mismatches.count)/\(cases.count) mismatched\n\(mismatches.prefix(3).joined(separator: "\n---\n"))")
    }
}

extension TemplateValue: Equatable {
    public static func == (a: TemplateValue, b: TemplateValue) -> Bool { a.pyEquals(b) }
}
