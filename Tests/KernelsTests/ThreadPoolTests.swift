#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import Kernels

@Suite struct ThreadPoolTests {
    /// Every index is visited exactly once, across many back-to-back jobs of varied sizes.
    @Test(arguments: [1, 2, 3])
    func parallelForCoversEachIndexOnce(_ threads: Int) throws {
        let pool = try ThreadPool(threadCount: threads)
        let counts = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: 1000)
        defer { counts.deallocate() }
        for round in 0..<200 {
            let n = 1 + (round * 37) % 1000
            for i in 0..<n { (counts + i).initialize(to: Atomic(0)) }
            pool.parallelFor(n, chunk: 1 + round % 17) { range in
                for i in range { counts[i].add(1, ordering: .relaxed) }
            }
            let wrong = (0..<n).filter { counts[$0].load(ordering: .relaxed) != 1 }
            #expect(wrong.isEmpty, "round \(round): indices \(wrong.prefix(5)) not visited once")
        }
    }

    /// Many tiny jobs back to back on more threads than cores: a worker that wakes late (after its
    /// job has finished, or while the next one is being set up) must take nothing from a job it did
    /// not wake for, and the caller must not wait for it.
    @Test(arguments: [3, 4])
    func lateWorkersTakeNothing(_ threads: Int) throws {
        let pool = try ThreadPool(threadCount: threads)
        let counts = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: 16)
        defer { counts.deallocate() }
        var wrong = 0
        for round in 0..<50_000 {
            let n = 1 + round % 16
            for i in 0..<n { (counts + i).initialize(to: Atomic(0)) }
            pool.parallelFor(n, chunk: 1 + round % 3) { range in
                for i in range { counts[i].add(1, ordering: .relaxed) }
            }
            wrong += (0..<n).filter { counts[$0].load(ordering: .relaxed) != 1 }.count
        }
        #expect(wrong == 0)
    }

    /// Work really spreads over the workers: with 2 threads both take part. Each chunk records its
    /// thread and waits (up to 5 s, so a busy machine cannot make this flaky) until two threads
    /// have been seen; with only one thread running chunks the set would stay at one.
    @Test func workersTakePart() throws {
        let pool = try ThreadPool(threadCount: 2)
        let ids = Mutex<Set<UInt>>([])
        let start = KernelBenchmark.now()
        pool.parallelFor(8, chunk: 1) { _ in
            let me = UInt(pthread_self())
            ids.withLock { _ = $0.insert(me) }
            while ids.withLock({ $0.count }) < 2, KernelBenchmark.now() - start < 5 {}
        }
        #expect(ids.withLock { $0.count } == 2)
    }

    @Test func invalidSizeThrows() {
        #expect(throws: KernelError.invalidDimension(name: "threadCount", value: 0)) { try ThreadPool(threadCount: 0) }
    }
}
