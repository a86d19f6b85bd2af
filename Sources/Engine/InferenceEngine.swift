import Foundation
import Synchronization

/// The one compute owner: runs generations one at a time, in arrival order, on its own thread, and
/// hands callers `AsyncThrowingStream`s of events.
///
/// Forward passes block a thread for milliseconds to seconds, so they never run on Swift's
/// cooperative pool. A consumer that stops iterating (a client that disconnects) cancels its job:
/// a waiting job is dropped, a running one stops within one token.
public final class InferenceEngine: Sendable {
    /// Jobs allowed to wait behind the running one; more are refused with `EngineError.queueFull`.
    public let queueLimit: Int
    private let queue = JobQueue()

    public init(queueLimit: Int = 64) {
        self.queueLimit = max(0, queueLimit)
        let thread = Thread { [queue] in queue.workerLoop() }
        thread.name = "swiftlet-engine"
        thread.stackSize = 8 << 20
        thread.start()
    }

    deinit {
        queue.state.withLock { $0.stopping = true }
        queue.wake.signal()
    }

    /// Requests waiting (not counting the one running); the choices of one request count once.
    public var waiting: Int { queue.state.withLock { $0.waitingRequests } }

    /// Queues a generation and returns its events. Validation errors are thrown here, before queueing.
    /// - Throws: `EngineError.queueFull` beyond `queueLimit` waiting requests; option errors.
    public func generate(model: LoadedModel, prompt: [Int32], options: GenerationOptions) throws
        -> AsyncThrowingStream<GenerationEvent, Error> {
        try generate(model: model, choices: [(prompt, options)])[0]
    }

    /// Queues the choices of one request, one generation each, run one after another in order, and
    /// returns their events. They are admitted together, as one request against `queueLimit` (so any `n`
    /// fits an idle engine), or not at all.
    /// - Throws: `EngineError.queueFull` beyond `queueLimit` waiting requests; option errors.
    public func generate(model: LoadedModel, choices: [(prompt: [Int32], options: GenerationOptions)]) throws
        -> [AsyncThrowingStream<GenerationEvent, Error>] {
        for choice in choices { try choice.options.validate() }
        let request = UUID()
        var jobs: [Job] = []
        var streams: [AsyncThrowingStream<GenerationEvent, Error>] = []
        var continuations: [(AsyncThrowingStream<GenerationEvent, Error>.Continuation, CancellationFlag, UUID)] = []
        for (prompt, options) in choices {
            let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream(bufferingPolicy: .unbounded)
            let cancelled = CancellationFlag()
            let job = Job(id: UUID(), request: request) {
                do {
                    try model.generate(prompt: prompt, options: options, isCancelled: { cancelled.isSet }) { event in
                        continuation.yield(event)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            jobs.append(job)
            streams.append(stream)
            continuations.append((continuation, cancelled, job.id))
        }
        try queue.state.withLock { state in
            guard state.waitingRequests < queueLimit || (state.jobs.isEmpty && !state.running) else {
                throw EngineError.queueFull(limit: queueLimit)
            }
            state.jobs.append(contentsOf: jobs)
        }
        for (continuation, cancelled, id) in continuations {
            continuation.onTermination = { [queue] _ in
                cancelled.set()
                queue.state.withLock { $0.jobs.removeAll { $0.id == id } }
            }
        }
        queue.wake.signal()
        return streams
    }

    /// Runs `body` on the engine thread after the jobs already queued (model load/unload, scoring),
    /// so it never overlaps a generation.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            queue.state.withLock {
                $0.jobs.append(Job(id: UUID(), request: UUID()) { continuation.resume(with: Result { try body() }) })
            }
            queue.wake.signal()
        }
    }
}

/// The jobs waiting for the engine thread, and the semaphore that wakes it.
private final class JobQueue: Sendable {
    let state = Mutex(QueueState())
    let wake = DispatchSemaphore(value: 0)

    func workerLoop() {
        while true {
            wake.wait()
            while let job = state.withLock({ state -> Job? in
                guard !state.stopping, !state.jobs.isEmpty else { return nil }
                state.running = true
                return state.jobs.removeFirst()
            }) {
                job.body()
                state.withLock { $0.running = false }
            }
            if state.withLock({ $0.stopping }) { return }
        }
    }
}

/// Set once by a stream's termination handler, read by the running job before every token.
private final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

private struct Job: Sendable {
    let id: UUID
    /// The request the job belongs to: the choices of one request share it.
    let request: UUID
    let body: @Sendable () -> Void
}

private struct QueueState: Sendable {
    var jobs: [Job] = []
    var running = false
    var stopping = false

    var waitingRequests: Int { Set(jobs.map(\.request)).count }
}
