import Testing
@testable import Templates

/// Hostile templates end in a `TemplateError` (never a hang, a trap or a stack overflow), and the
/// template cannot reach anything beyond the context it is given.
@Suite struct SandboxTests {
    private func renderError(_ source: String, context: [String: TemplateValue] = [:],
                             limits: SandboxLimits = .default) -> TemplateError? {
        do {
            _ = try ChatTemplate(source: source, limits: limits).render(context: context)
            return nil
        } catch let e as TemplateError {
            return e
        } catch {
            return nil
        }
    }

    private func isLimit(_ e: TemplateError?) -> Bool {
        if case .limitExceeded? = e { return true }
        return false
    }

    private func isForbidden(_ e: TemplateError?) -> Bool {
        if case .forbidden? = e { return true }
        return false
    }

    // MARK: - Bounded work

    /// Each of these used to trap (integer overflow, division overflow) or allocate before checking a size.
    @Test func arithmeticEdgesAndSizeBombsAreErrorsNotTraps() throws {
        let small = SandboxLimits(maxOutputBytes: 1 << 20)
        for source in [
            "{{ '%d' % 1e400 }}",
            "{{ -(-9223372036854775807 - 1) }}",
            "{{ [1] | batch(9223372036854775807, 0) }}",
            "{% set s = 'x' * 1000 %}{{ ([s] * 100000) | join }}",
            "{% set s = 'x' * 1000 %}{{ ''.join([s] * 100000) }}",
            "{% set s = 'a' * 1000 %}{{ s | replace('a', 'b' * 100000) }}",
            "{% set s = 'a' * 1000 %}{{ s.replace('', 'b' * 100000) }}",
            "{% set s = '\n' * 100000 %}{{ s | indent(1000, blank=true) }}",
        ] {
            #expect(renderError(source, limits: small) != nil, "\(source)")
        }
        let range = try ChatTemplate(source: "{{ range(-8024383599015791498, 9223372036854775653, 105169241682137606) | length }}")
        #expect(try range.render(context: [:]) == "164")
        let minDivisible = try ChatTemplate(source: "{{ (-9223372036854775807 - 1) is divisibleby(-1) }}")
        #expect(try minDivisible.render(context: [:]) == "True")
        #expect(try ChatTemplate(source: "{{ '%d' % 9223372036854775807 }}").render(context: [:]) == "9223372036854775807")
        #expect(try ChatTemplate(source: "{{ 'abc'.replace('', '-', 0) }}|{{ 'abc'.replace('', '-', 2) }}").render(context: [:]) == "abc|-a-bc")
    }

    @Test func infiniteMacroRecursionIsStopped() {
        let e = renderError("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
        #expect(isLimit(e), "\(String(describing: e))")
    }

    @Test func mutualRecursionThroughCallerIsStopped() {
        let e = renderError("{% macro a() %}{% call a() %}x{% endcall %}{% endmacro %}{{ a() }}")
        #expect(isLimit(e))
    }

    @Test func hugeRangeIsRefused() {
        #expect(isLimit(renderError("{{ range(1000000000) | length }}")))
        #expect(isLimit(renderError("{{ range(-9223372036854775807, 9223372036854775807) | length }}")))
        #expect(renderError("{{ range(10) | length }}") == nil)
    }

    @Test func outputBombIsStopped() {
        #expect(isLimit(renderError("{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}")))
        #expect(isLimit(renderError("{{ 'x' * 9223372036854775807 }}")))
        let doubling = "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}"
        #expect(isLimit(renderError(doubling)))
        let listDoubling = "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}"
        #expect(isLimit(renderError(listDoubling)))
    }

    @Test func smallOutputLimitIsHonoured() {
        let limits = SandboxLimits(maxOutputBytes: 10)
        #expect(isLimit(renderError("{{ 'hello world' }}", limits: limits)))
        #expect(renderError("{{ 'hello' }}", limits: limits) == nil)
    }

    @Test func nestedLoopsRunOutOfSteps() {
        let e = renderError("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
        #expect(isLimit(e))
    }

    @Test func deeplyNestedValuesAreRefusedNotCrashed() {
        let e = renderError("{% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}")
        #expect(isLimit(e))
        // A namespace that contains itself is a cycle; storing it is refused rather than walked forever.
        let cycle = "{% set ns = namespace() %}{% set ns.a = [ns, ns] %}{% set ns.b = [ns, ns] %}{{ ns.b | length }}"
        #expect(isLimit(renderError(cycle)))
    }

    @Test func deepSourceNestingIsASyntaxLimit() {
        let parens = "{{ " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " }}"
        #expect(isLimit(renderError(parens)))
        let lists = "{{ " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + " }}"
        #expect(isLimit(renderError(lists)))
        let nots = "{{ " + String(repeating: "not ", count: 5000) + "1 }}"
        #expect(isLimit(renderError(nots)))
        let ifs = String(repeating: "{% if true %}", count: 2000) + "x" + String(repeating: "{% endif %}", count: 2000)
        #expect(isLimit(renderError(ifs)))
        let filters = "{{ 1" + String(repeating: " | abs", count: 5000) + " }}"
        #expect(isLimit(renderError(filters)))
    }

    @Test func recursionWithinLimitsStillWorks() throws {
        let t = try ChatTemplate(source: "{% macro f(n) %}{% if n > 0 %}{{ n }},{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(20) }}")
        #expect(try t.render(context: [:]) == "20,19,18,17,16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1,")
    }

    @Test func integerOverflowIsAnErrorNotATrap() {
        for source in ["{{ 9223372036854775807 + 1 }}", "{{ 2 ** 100 }}", "{{ -9223372036854775807 - 2 }}",
                       "{{ 9223372036854775807 * 2 }}", "{{ (-9223372036854775807 - 1) // -1 }}", "{{ 1 // 0 }}", "{{ 1 % 0 }}",
                       "{{ 99999999999999999999 }}"] {
            #expect(renderError(source) != nil, "\(source)")
        }
    }

    // MARK: - Isolation

    @Test func dunderAttributesAreForbidden() {
        for source in ["{{ ''.__class__ }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ messages.__len__ }}",
                       "{{ messages['__class__'] }}", "{{ x._private }}", "{% set ns = namespace() %}{% set ns._x = 1 %}",
                       "{{ raise_exception.__globals__ }}", "{{ (1).__add__ }}"] {
            let e = renderError(source, context: ["messages": [], "x": ["_private": 1]])
            #expect(isForbidden(e), "\(source): \(String(describing: e))")
        }
    }

    @Test func jinjaExtrasAreAbsent() throws {
        let t = try ChatTemplate(source: "{{ cycler is defined }}|{{ joiner is defined }}|{{ lipsum is defined }}|{{ self is defined }}|{{ config is defined }}|{{ request is defined }}")
        #expect(try t.render(context: [:]) == "False|False|False|False|False|False")
        #expect(renderError("{{ cycler('a', 'b').next() }}") != nil)
        #expect(renderError("{{ joiner(',')() }}") != nil)
    }

    @Test func loadingOtherTemplatesIsForbidden() {
        for source in ["{% include 'x.jinja' %}", "{% import 'x' as y %}", "{% from 'x' import y %}", "{% extends 'base' %}"] {
            #expect(isForbidden(renderError(source)), "\(source)")
        }
    }

    @Test func valuesAreImmutable() {
        let ctx: [String: TemplateValue] = ["messages": [["role": "user", "content": "hi"]]]
        for source in ["{{ messages.append(1) }}", "{{ messages.pop() }}", "{{ messages[0].update({'role': 'x'}) }}",
                       "{{ messages[0].clear() }}", "{% set x = messages.sort() %}"] {
            #expect(isForbidden(renderError(source, context: ctx)), "\(source)")
        }
    }

    @Test func onlyTheGivenContextIsVisible() throws {
        let t = try ChatTemplate(source: "{{ HOME }}{{ PATH }}{{ os }}{{ env }}|{{ secret }}")
        #expect(try t.render(context: ["secret": "given"]) == "|given")
    }

    // MARK: - Errors point at the source

    @Test func parseErrorsCarryLineAndColumn() {
        let cases: [(String, Int, Int)] = [
            ("line one\n{% if x %}\nbody\n{% endfor %}", 4, 4),
            ("{{ 1 + }}", 1, 8),
            ("ok\n  {{ name", 2, 3),
            ("{% for x in %}{% endfor %}", 1, 13),
            ("a\nb\n{% frobnicate %}", 3, 4),
            ("{{ 'unterminated }}", 1, 4),
            ("{# never closed", 1, 1),
        ]
        for (source, line, column) in cases {
            do {
                _ = try ChatTemplate(source: source)
                Issue.record("\(source.debugDescription) parsed")
            } catch let e as TemplateError {
                guard case let .syntax(_, l, c) = e else {
                    Issue.record("\(source.debugDescription): \(e) is not a syntax error")
                    continue
                }
                #expect(l == line && c == column, "\(source.debugDescription): got \(l):\(c) \(e)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func runtimeErrorsCarryLineAndColumn() {
        let e = renderError("first line\n  {{ 1 + 'a' }}")
        guard case let .runtime(_, line, column)? = e else {
            Issue.record("expected a runtime error, got \(String(describing: e))")
            return
        }
        #expect(line == 2 && column == 8)
        guard case let .raised(message, raisedLine, _)? = renderError("\n\n{{ raise_exception('bad role') }}") else {
            Issue.record("expected raise_exception to surface")
            return
        }
        #expect(message == "bad role" && raisedLine == 3)
    }

    @Test func hostileJSONIsRejected() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: TemplateError.self) { try TemplateValue(json: deep) }
        #expect(throws: TemplateError.self) { try TemplateValue(json: "{\"a\": ") }
        #expect(throws: TemplateError.self) { try TemplateValue(json: "\"\\u12") }
    }
}

@Suite struct SandboxCostTests {
    @Test func expensiveStepsHitTheClock() throws {
        let t = try ChatTemplate(source: "{% set s = 'ab' * 1000000 %}{% for i in range(100000) %}{% set t = s.replace('a', 'c') %}{% endfor %}",
                                 limits: SandboxLimits(maxSeconds: 0.3))
        let clock = ContinuousClock()
        var error: TemplateError?
        let elapsed = clock.measure {
            do { _ = try t.render(context: [:]) } catch let e as TemplateError { error = e } catch {}
        }
        guard case .limitExceeded? = error else {
            Issue.record("expected a time limit, got \(String(describing: error))")
            return
        }
        #expect(elapsed < .seconds(5))
    }

    @Test func quadraticSearchIsRefused() throws {
        let t = try ChatTemplate(source: "{% set s = 'a' * 3000000 %}{{ s.split('a' * 1000000) | length }}")
        #expect(throws: TemplateError.self) { try t.render(context: [:]) }
    }

    @Test func uniqueStaysLinear() throws {
        let t = try ChatTemplate(source: "{{ range(100000) | unique | list | length }} {{ [1, 1.0, '1', true, 'A', 'a'] | unique | list }}")
        #expect(try t.render(context: [:]) == "100000 [1, '1', 'A']")
    }
}
