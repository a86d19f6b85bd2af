import Foundation
import Testing
import TestSupport
@testable import Templates

/// One language feature per snippet (filters, tests, loops, macros, whitespace control, tojson…),
/// compared byte-for-byte with jinja2 (goldens from scripts/goldens/templates_snippets.py).
@Suite struct SnippetTests {
    @Test func snippetsMatchJinja2() throws {
        let url = TestPaths.fixture("Templates", "snippets.json")
        guard case let .dictionary(doc) = try TemplateValue(json: String(decoding: try Data(contentsOf: url), as: UTF8.self)),
              case let .dictionary(context)? = doc["context"], case let .array(cases)? = doc["cases"] else {
            Issue.record("snippets.json is malformed")
            return
        }
        let ctx = Dictionary(uniqueKeysWithValues: context.map { ($0.key, $0.value) })
        #expect(cases.count >= 60)
        for case let .dictionary(c) in cases {
            guard case let .string(source)? = c["template"] else { continue }
            do {
                let out = try ChatTemplate(source: source).render(context: ctx, now: GoldenTemplateTests.fixedNow)
                if case let .string(expected)? = c["output"] {
                    #expect(out == expected, "snippet: \(source)")
                } else {
                    Issue.record("rendered \(out.debugDescription) but jinja2 failed: \(c["error"]?.pyRepr ?? "")\nsnippet: \(source)")
                }
            } catch let error as TemplateError {
                guard case let .dictionary(e)? = c["error"] else {
                    Issue.record("unexpected \(error)\nsnippet: \(source)")
                    continue
                }
                if case .string("raised")? = e["kind"] {
                    guard case .raised = error else {
                        Issue.record("expected raise_exception, got \(error)")
                        continue
                    }
                }
            }
        }
    }
}
