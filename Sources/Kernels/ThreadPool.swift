#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The one parallel-for helper: a fixed set of worker threads, started once, that split index ranges
/// with the calling thread.
///
/// `parallelFor` hands out chunks through an atomic counter (so a thread slowed by another process
/// just takes fewer chunks), allocates nothing, and returns as soon as every chunk is done: a worker
/// that has not woken up by then (descheduled on a busy machine) is not waited for. Idle workers
/// spin briefly after a job (decode issues hundreds of small jobs per token) and then sleep on a
/// condition variable. Overlapping calls from different threads are serialised (one runs at a time);
/// one compute owner per pool is the intended use.
public final class ThreadPool: @unchecked Sendable {
    /// Threads that run work, the caller included.
    public let threadCount: Int

    private let state = PoolState()
    private var threads: [pthread_t] = []

    /// Starts `threadCount − 1` workers (the caller is the last thread).
    /// - Parameter threadCount: total threads, ≥ 1.
    public init(threadCount: Int) throws {
        guard threadCount >= 1, threadCount <= 1024 else {
            throw KernelError.invalidDimension(name: "threadCount", value: threadCount)
        }
        self.threadCount = threadCount
        for _ in 1..<threadCount {
            let box = Unmanaged.passRetained(state)
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                Unmanaged<PoolState>.fromOpaque(raw).takeRetainedValue().workerLoop()
                return nil
            }, box.toOpaque())
            if status == 0 { threads.append(thread) } else { box.release() }
        }
    }

    /// The number of online CPUs (a sensible `threadCount`).
    public static func processorCount() -> Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    deinit {
        state.stop()
        for thread in threads { pthread_join(thread, nil) }
    }

    /// Runs `body` over `0..<count` split into ranges of `chunk` indices (the last may be shorter),
    /// on all threads; returns when all ranges are done. `count` must be below 2³².
    public func parallelFor(_ count: Int, chunk: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunk = max(1, chunk)
        if threads.isEmpty || count <= chunk {
            body(0..<count)
            return
        }
        state.run(body, count: count, chunk: chunk)
    }
}

/// What the caller and the workers share. Workers hold it (not the pool), so dropping the pool stops
/// and joins them.
///
/// A job is published as its number in the high 32 bits of `claim` (the next unclaimed index in the
/// low 32). A thread takes a chunk by compare-and-swap only while the job number is the one it
/// woke up for, and reads the job's body only after such a claim succeeds; the caller returns once
/// `finished` reaches the job's count. So a claimed chunk always belongs to a live job, and a late
/// worker finds the next job's number and takes nothing.
private final class PoolState: @unchecked Sendable {
    let generation = Atomic<Int>(0)
    let claim = Atomic<UInt64>(0)
    let finished = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let callMutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>

    // The current job's body (a pointer to the caller's closure, valid while the job runs), written
    // by the caller before `claim` is published (release) and read by a thread after a successful
    // claim (acquire). Count and chunk may be read by a late thread while the next job sets them;
    // its claim then fails, so they are atomics only to keep that read well-defined.
    var job: UnsafeRawPointer?
    let jobCount = Atomic<Int>(0)
    let jobChunk = Atomic<Int>(1)

    init() {
        mutex = .allocate(capacity: 1)
        callMutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_mutex_init(callMutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        pthread_mutex_destroy(callMutex)
        mutex.deallocate()
        callMutex.deallocate()
        condition.deallocate()
    }

    func run(_ body: (Range<Int>) -> Void, count: Int, chunk: Int) {
        pthread_mutex_lock(callMutex)
        defer { pthread_mutex_unlock(callMutex) }
        withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { pointer in
                // Retire the previous job's claims first (a late thread's compare-and-swap on them
                // must fail before it could pair them with this job's count), then publish.
                let number = UInt64(truncatingIfNeeded: generation.load(ordering: .relaxed) + 1) & 0xFFFF_FFFF
                claim.store(number << 32 | 0xFFFF_FFFF, ordering: .sequentiallyConsistent)
                job = UnsafeRawPointer(pointer)
                jobCount.store(count, ordering: .relaxed)
                jobChunk.store(chunk, ordering: .relaxed)
                finished.store(0, ordering: .relaxed)
                claim.store(number << 32, ordering: .releasing)
                pthread_mutex_lock(mutex)
                generation.add(1, ordering: .releasing)
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
                runChunks(number)
                while finished.load(ordering: .acquiring) < count {}
                job = nil
            }
        }
    }

    func stop() {
        pthread_mutex_lock(mutex)
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Claims and runs chunks of job `number` until none are left (or a newer job is up).
    private func runChunks(_ number: UInt64) {
        var current = claim.load(ordering: .acquiring)
        while current >> 32 == number {
            let start = Int(current & 0xFFFF_FFFF)
            let count = jobCount.load(ordering: .relaxed), chunk = jobChunk.load(ordering: .relaxed)
            if start >= count { return }
            let next = current + UInt64(chunk)
            let (exchanged, original) = claim.compareExchange(expected: current, desired: next, ordering: .acquiringAndReleasing)
            if !exchanged {
                current = original
                continue
            }
            let end = min(start + chunk, count)
            job!.assumingMemoryBound(to: ((Range<Int>) -> Void).self).pointee(start..<end)
            finished.add(end - start, ordering: .releasing)
            current = claim.load(ordering: .acquiring)
        }
    }

    func workerLoop() {
        // Workers are created before the first job, so generation 0 is the baseline even when a job
        // was posted before this thread got to run.
        var seen = 0
        while true {
            // Spin a little first: decode issues jobs microseconds apart and a wake-up costs more.
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > 100_000 {
                    pthread_mutex_lock(mutex)
                    while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(condition, mutex) }
                    pthread_mutex_unlock(mutex)
                }
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            runChunks(UInt64(truncatingIfNeeded: seen) & 0xFFFF_FFFF)
        }
    }
}
