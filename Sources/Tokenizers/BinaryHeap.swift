/// An element of the merge loops' candidate heaps: `precedes` is true when `self` must be merged first.
protocol HeapOrdered {
    func precedes(_ other: Self) -> Bool
}

/// A binary min-heap (by `precedes`) kept in an array, shared by the BPE and SentencePiece merge loops so
/// both reuse one buffer per encoder without allocating per word.
extension Array where Element: HeapOrdered {
    /// Adds `element`, restoring the heap order.
    mutating func heapPush(_ element: Element) {
        append(element)
        var child = count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self[child].precedes(self[parent]) else { break }
            swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the element that precedes all others, or nil when empty.
    mutating func heapPop() -> Element? {
        guard let last = popLast() else { return nil }
        guard !isEmpty else { return last }
        let top = self[0]
        self[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            let right = left + 1
            let child = right < count && self[right].precedes(self[left]) ? right : left
            guard self[child].precedes(self[parent]) else { break }
            swapAt(child, parent)
            parent = child
        }
        return top
    }
}
