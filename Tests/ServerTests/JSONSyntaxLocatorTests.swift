@testable import Server
import Testing

@Test(arguments: [
    ("{\"a\": 1}", nil),
    ("  [1, -2.5e3, true, false, null, \"x\\u00e9\\n\", {}]  ", nil),
    ("", "unexpected end of input, expected a value at line 1, column 1"),
    ("{\"a\": 1,}", "unexpected character '}', expected a string key at line 1, column 9"),
    ("{\"a\" 1}", "unexpected character '1', expected ':' at line 1, column 6"),
    ("[1 2]", "unexpected character '2', expected ',' or ']' at line 1, column 4"),
    ("{\n\"a\": tru}", "invalid literal, expected 'true' at line 2, column 9"),
    ("\"abc", "unterminated string at line 1, column 5"),
    ("\"a\\q\"", "invalid escape \\q in string at line 1, column 4"),
    ("01", "unexpected data after the JSON value at line 1, column 2"),
    ("1.", "unexpected end of input, expected a digit after '.' at line 1, column 3"),
    ("{\"a\": 1} x", "unexpected data after the JSON value at line 1, column 10"),
])
func locatesTheFirstSyntaxError(text: String, expected: String?) {
    #expect(JSONSyntaxLocator.firstProblem(in: Array(text.utf8))?.description == expected)
}

@Test func deepNestingIsReportedNotRecursedForever() {
    let text = String(repeating: "[", count: 10_000)
    #expect(JSONSyntaxLocator.firstProblem(in: Array(text.utf8))?.message == "nesting deeper than 512 levels")
}
