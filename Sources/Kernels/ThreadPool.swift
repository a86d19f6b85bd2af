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
/// just takes fewer chunks), allocates nothing, and returns when every chunk is done. Idle workers
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
    /// on all threads; returns when all ranges are done.
    public func parallelFor(_ count: Int, chunk: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunk = max(1, chunk)
        if threads.isEmpty || count <= chunk {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { escaping in
            state.run(escaping, count: count, chunk: chunk, workers: threads.count)
        }
    }
}

/// What the caller and the workers share. Workers hold it (not the pool), so dropping the pool stops
/// and joins them.
private final class PoolState: @unchecked Sendable {
    let generation = Atomic<Int>(0)
    let nextChunk = Atomic<Int>(0)
    let busyWorkers = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let callMutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>

    // The current job, written by the caller before `generation` is bumped (release) and read by
    // workers after they observe the bump (acquire).
    var job: ((Range<Int>) -> Void)?
    var jobCount = 0
    var jobChunk = 1

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

    func run(_ body: @escaping (Range<Int>) -> Void, count: Int, chunk: Int, workers: Int) {
        pthread_mutex_lock(callMutex)
        defer { pthread_mutex_unlock(callMutex) }
        job = body
        jobCount = count
        jobChunk = chunk
        nextChunk.store(0, ordering: .relaxed)
        busyWorkers.store(workers, ordering: .relaxed)
        pthread_mutex_lock(mutex)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        runChunks(body)
        while busyWorkers.load(ordering: .acquiring) > 0 {}
        job = nil
    }

    func stop() {
        pthread_mutex_lock(mutex)
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    private func runChunks(_ body: (Range<Int>) -> Void) {
        while true {
            let start = nextChunk.add(jobChunk, ordering: .relaxed).oldValue
            if start >= jobCount { return }
            body(start..<min(start + jobChunk, jobCount))
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
            if let body = job { runChunks(body) }
            busyWorkers.subtract(1, ordering: .releasing)
        }
    }
}
