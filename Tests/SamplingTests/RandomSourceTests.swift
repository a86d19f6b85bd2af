import Foundation
@testable import Sampling
import Testing

@Suite struct RandomSourceTests {
    /// The first outputs of xoshiro256** from state (1, 2, 3, 4), as in the reference implementation's
    /// published test vectors.
    @Test func matchesReferenceVectors() {
        var random = RandomSource(state: (1, 2, 3, 4))
        let outputs = (0..<4).map { _ in random.next() }
        #expect(outputs == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test func sameSeedSameSequenceAndSeedsDiffer() {
        var a = RandomSource(seed: 42)
        var b = RandomSource(seed: 42)
        var c = RandomSource(seed: 43)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
    }

    @Test func unitValuesAreInHalfOpenRangeAndSpreadOut() {
        var random = RandomSource(seed: 7)
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<10_000 {
            let u = random.nextUnit()
            #expect(u >= 0 && u < 1)
            buckets[Int(u * 10)] += 1
        }
        // Each tenth should get about 1000 draws.
        #expect(buckets.allSatisfy { (850...1150).contains($0) })
    }
}

@Suite struct FastMathTests {
    @Test func expIsAccurateOverTheRangeTheSamplerUses() {
        var worst: Float = 0
        var x: Float = -86.9
        while x <= 0 {
            let expected = Foundation.exp(x)
            worst = max(worst, abs(FastMath.exp(x) - expected) / expected)
            x += 0.0137
        }
        #expect(worst < 4e-7)
        #expect(FastMath.exp(0) == 1)
    }

    @Test func expIsZeroBelowTheNormalRangeAndForNegativeInfinity() {
        #expect(FastMath.exp(-87.5) == 0)
        #expect(FastMath.exp(-1000) == 0)
        #expect(FastMath.exp(-.infinity) == 0)
    }

    @Test func maximumHandlesNegativesInfinitiesAndPartialCounts() {
        #expect(FastMath.maximum([-3, -1.5, -2], count: 3) == -1.5)
        #expect(FastMath.maximum([-.infinity, -.infinity], count: 2) == -.infinity)
        #expect(FastMath.maximum([1, 9, 2], count: 1) == 1)
        #expect(FastMath.maximum([], count: 0) == -.infinity)
        let values = randomLogits(1000, seed: 3)
        #expect(FastMath.maximum(values, count: values.count) == values.max())
    }
}

@Suite struct TokenTableTests {
    @Test func countsRaisesIgnoresOutOfRangeAndClears() {
        var table = TokenTable(size: 5)
        table.count([1, 3, 1, 7, -2, 1])
        #expect(table.value(of: 1) == 3)
        #expect(table.value(of: 3) == 1)
        #expect(table.value(of: 7) == 0)
        #expect(table.value(of: -2) == 0)
        table.raise(3, to: 5)
        table.raise(3, to: 2)
        #expect(table.value(of: 3) == 5)
        #expect(Set(table.touched) == [1, 3])
        table.clear()
        #expect(table.values == [0, 0, 0, 0, 0])
        #expect(table.touched.isEmpty)
    }
}
