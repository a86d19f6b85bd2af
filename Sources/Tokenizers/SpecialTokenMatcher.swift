/// Cuts special tokens out of text before the model's tokenizer sees it.
///
/// llama.cpp takes the special tokens longest first and, for each, splits every still-unclaimed piece
/// of text at its occurrences (leftmost first, non-overlapping). This finds all occurrences in one
/// pass with a byte trie, then claims them in that same priority order, which gives the same result
/// without one scan of the text per special token (Gemma has thousands).
struct SpecialTokenMatcher: Sendable {
    /// One piece of partitioned text: raw bytes to tokenize, or a special token.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    private struct Candidate {
        let id: Int32
        let length: Int
        /// Control and unknown tokens are matched only when special parsing is on; user-defined
        /// tokens always are (as in llama.cpp and HF tokenizers).
        let onlyWhenParsing: Bool
    }

    private var candidates: [Candidate] = []
    /// Trie over token bytes: (node << 8 | byte) → child node. Node 0 is the root.
    private var edges: [UInt64: Int32] = [:]
    /// Node → candidate index ending there (-1 for none).
    private var terminal: [Int32] = [-1]
    private var firstBytes = [Bool](repeating: false, count: 256)

    init(vocabulary: Vocabulary) {
        var ids: [Int32] = []
        for id in 0..<vocabulary.count where vocabulary.attributes[id].isSpecial {
            ids.append(Int32(id))
        }
        // Priority: longer first; among equal lengths, lower id first (llama.cpp leaves that order
        // unspecified; it only matters for two equal-length specials overlapping in the text).
        ids.sort { a, b in
            let la = vocabulary.texts[Int(a)].count, lb = vocabulary.texts[Int(b)].count
            return la != lb ? la > lb : a < b
        }
        for id in ids {
            let text = vocabulary.texts[Int(id)]
            let attributes = vocabulary.attributes[Int(id)]
            candidates.append(Candidate(id: id, length: text.count,
                                        onlyWhenParsing: !attributes.isDisjoint(with: [.control, .unknown])))
            var node: Int32 = 0
            for byte in text {
                let key = UInt64(node) << 8 | UInt64(byte)
                if let child = edges[key] {
                    node = child
                } else {
                    let child = Int32(terminal.count)
                    terminal.append(-1)
                    edges[key] = child
                    node = child
                }
            }
            if terminal[Int(node)] < 0 { terminal[Int(node)] = Int32(candidates.count - 1) }
            firstBytes[Int(text[0])] = true
        }
    }

    /// Splits `bytes` into raw text and special tokens.
    func partition(_ bytes: [UInt8], parseSpecial: Bool) -> [Fragment] {
        guard !bytes.isEmpty else { return [] }
        // (priority, start) of every occurrence.
        var found: [(priority: Int32, start: Int)] = []
        if !candidates.isEmpty {
            for start in 0..<bytes.count where firstBytes[Int(bytes[start])] {
                var node: Int32 = 0
                var i = start
                while i < bytes.count, let child = edges[UInt64(node) << 8 | UInt64(bytes[i])] {
                    node = child
                    i += 1
                    let c = terminal[Int(node)]
                    if c >= 0 && (parseSpecial || !candidates[Int(c)].onlyWhenParsing) {
                        found.append((c, start))
                    }
                }
            }
        }
        guard !found.isEmpty else { return [.text(0..<bytes.count)] }
        found.sort { $0.priority != $1.priority ? $0.priority < $1.priority : $0.start < $1.start }

        var claimed = [Bool](repeating: false, count: bytes.count)
        var accepted: [(start: Int, candidate: Int32)] = []
        for occurrence in found {
            let length = candidates[Int(occurrence.priority)].length
            let range = occurrence.start..<(occurrence.start + length)
            if range.contains(where: { claimed[$0] }) { continue }
            for i in range { claimed[i] = true }
            accepted.append((occurrence.start, occurrence.priority))
        }
        accepted.sort { $0.start < $1.start }

        var fragments: [Fragment] = []
        var cursor = 0
        for match in accepted {
            if match.start > cursor { fragments.append(.text(cursor..<match.start)) }
            let candidate = candidates[Int(match.candidate)]
            fragments.append(.token(candidate.id))
            cursor = match.start + candidate.length
        }
        if cursor < bytes.count { fragments.append(.text(cursor..<bytes.count)) }
        return fragments
    }
}
