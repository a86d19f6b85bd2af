import Testing
@testable import Engine

@Suite struct StopStringMatcherTests {
    /// Feeds pieces and returns (everything emitted, the match).
    static func run(_ stops: [String], _ pieces: [String]) -> (String, String?) {
        var matcher = StopStringMatcher(stops)
        var out = ""
        for piece in pieces { out += matcher.feed(piece) }
        out += matcher.finish()
        return (out, matcher.matched)
    }

    @Test func textWithoutStopsPassesStraightThrough() {
        var matcher = StopStringMatcher([])
        #expect(matcher.feed("Hello") == "Hello")
        #expect(matcher.feed(" world") == " world")
        #expect(matcher.finish() == "")
    }

    @Test func aPossibleStopIsHeldUntilItResolves() {
        var matcher = StopStringMatcher(["</s>"])
        #expect(matcher.feed("abc<") == "abc")
        #expect(matcher.feed("/") == "")
        #expect(matcher.feed("x") == "</x")
        #expect(matcher.feed("<") == "")
        #expect(matcher.feed("/s>tail") == "")
        #expect(matcher.matched == "</s>")
        #expect(matcher.feed("more") == "")
        #expect(matcher.finish() == "")
    }

    @Test func aStopSplitAcrossPiecesIsNeverEmittedInPart() {
        #expect(Self.run(["\nUser:"], ["Sure.", "\n", "Us", "er", ":", " hi"]) == ("Sure.", "\nUser:"))
        #expect(Self.run(["###"], ["a#", "#b", "##", "#"]) == ("a##b", "###"))
    }

    @Test func theEarliestStopWinsAndTextBeforeItIsKept() {
        #expect(Self.run(["END", "STOP"], ["xxSTOPyyEND"]) == ("xx", "STOP"))
        // By start position: "abcd" starts before "bc".
        #expect(Self.run(["bc", "abcd"], ["abcd"]) == ("", "abcd"))
    }

    @Test func aHeldPartialStopIsReleasedAtTheEnd() {
        #expect(Self.run(["<|end|>"], ["done <|en"]) == ("done <|en", nil))
    }

    @Test func matchingIsByScalarsSoNewlineIsFoundInsideCRLF() {
        #expect(Self.run(["\n"], ["line\r\nnext"]) == ("line\r", "\n"))
        #expect(Self.run(["é"], ["cafe\u{301}!"]).1 == nil)
        #expect(Self.run(["\u{301}"], ["cafe\u{301}!"]) == ("cafe", "\u{301}"))
    }

    @Test func emptyStopStringsAreIgnored() {
        #expect(Self.run([""], ["abc"]) == ("abc", nil))
    }
}
