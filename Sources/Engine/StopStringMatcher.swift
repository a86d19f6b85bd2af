/// Finds stop strings in streamed text without ever emitting any part of one.
///
/// Matching is by Unicode scalars, not grapheme clusters, so "\n" is found inside "\r\n".
///
/// Text is fed piece by piece; `feed` returns what is safe to emit now. A suffix that could still
/// grow into a stop string is held back until the next piece settles it. When a stop string is
/// found, the text before it is released and everything from the stop string on is dropped.
public struct StopStringMatcher: Sendable {
    public let stopStrings: [String]
    private var pending = ""
    public private(set) var matched: String?

    /// - Parameter stopStrings: empty strings are ignored.
    public init(_ stopStrings: [String]) {
        self.stopStrings = stopStrings.filter { !$0.isEmpty }
    }

    /// Adds `piece`; returns the text that can be emitted. After a match, returns the text before the
    /// stop string once and then only "".
    public mutating func feed(_ piece: String) -> String {
        guard matched == nil else { return "" }
        pending += piece
        guard !stopStrings.isEmpty else { return take(pending.endIndex) }
        // The earliest complete stop string ends generation.
        var earliest: (Range<String.Index>, String)?
        for stop in stopStrings {
            if let range = pending.unicodeScalars.firstRange(of: stop.unicodeScalars), earliest.map({ range.lowerBound < $0.0.lowerBound }) ?? true {
                earliest = (range, stop)
            }
        }
        if let (range, stop) = earliest {
            matched = stop
            let text = String(pending.unicodeScalars[..<range.lowerBound])
            pending = ""
            return text
        }
        return take(safeEnd())
    }

    /// Text still held back (a partial stop string) when generation ends for another reason.
    public mutating func finish() -> String {
        guard matched == nil else { return "" }
        return take(pending.endIndex)
    }

    /// The end of the longest prefix of `pending` that no stop string can still start in.
    private func safeEnd() -> String.Index {
        let scalars = pending.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let tail = scalars[index...]
            if stopStrings.contains(where: { $0.unicodeScalars.starts(with: tail) }) { return index }
            index = scalars.index(after: index)
        }
        return index
    }

    private mutating func take(_ end: String.Index) -> String {
        let text = String(pending.unicodeScalars[..<end])
        pending = String(pending.unicodeScalars[end...])
        return text
    }
}
