import Engine
import Synchronization

/// The generations in flight (running or queued), so `/v1/internal/stop-generation` can stop them all,
/// as text-generation-webui's "stop everything" does.
public final class GenerationRegistry: Sendable {
    private let entries = Mutex<[Int: @Sendable () -> Void]>([:])
    private let nextID = Atomic<Int>(0)
    private let stoppedCount = Atomic<Int>(0)

    public init() {}

    /// Requests whose generations are running or waiting.
    public var active: Int { entries.withLock { $0.count } }

    /// Generations ended before the engine finished them, because their client went away or a stop
    /// request came (since the server started).
    public var stoppedEarly: Int { stoppedCount.load(ordering: .relaxed) }

    func noteStoppedEarly() {
        stoppedCount.add(1, ordering: .relaxed)
    }

    /// Remembers `stop`, which ends one request's generations; returns the key for `remove`.
    func add(_ stop: @escaping @Sendable () -> Void) -> Int {
        let id = nextID.add(1, ordering: .relaxed).newValue
        entries.withLock { $0[id] = stop }
        return id
    }

    func remove(_ id: Int) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Stops every generation in flight; returns how many requests were stopped.
    @discardableResult
    public func stopAll() -> Int {
        let stops = entries.withLock { Array($0.values) }
        for stop in stops { stop() }
        return stops.count
    }
}

/// What a response's generation loop sees, in order: the events of choice 0, its end, the events of
/// choice 1, …, interleaved with keep-alive ticks while it waits.
enum FeedItem: Sendable {
    case event(choice: Int, GenerationEvent)
    /// The choice's stream ended; `stopped` when `/v1/internal/stop-generation` ended it early (no
    /// `.finished` event then).
    case choiceEnded(choice: Int, stopped: Bool)
    /// The engine failed (the remaining choices are not generated).
    case failed(any Error)
    /// Nothing happened for a keep-alive interval.
    case tick
}

/// Merges one request's engine streams (one per choice, consumed in order) and keep-alive ticks into
/// one sequence, and owns the tasks that read and watch them.
///
/// Cancellation reaches the engine by ending the reading task: the engine stream is then terminated,
/// which stops its generation within a token (or drops it from the queue). That happens when the
/// consumer stops (`cancel()`, e.g. after a write to a disconnected client failed), when the watcher
/// sees the client of a non-streamed response gone, or when the registry stops everything.
final class GenerationFeed: Sendable {
    let items: AsyncStream<FeedItem>
    private let reader: Task<Void, Never>
    private let watcher: Task<Void, Never>
    private let registry: GenerationRegistry
    private let registration: Int

    /// What runs beside the reader while the generations go.
    enum Watch {
        /// Yield a `.tick` after every `interval` (a stream's keep-alive comments).
        case keepAlive(Duration)
        /// Stop the generations once `disconnected()` is true (polled every `disconnectPoll`).
        case disconnection(@Sendable () async -> Bool)
    }

    static let disconnectPoll = Duration.milliseconds(200)

    init(streams: [AsyncThrowingStream<GenerationEvent, Error>], watch: Watch, registry: GenerationRegistry) {
        let (items, continuation) = AsyncStream<FeedItem>.makeStream(bufferingPolicy: .unbounded)
        self.items = items
        let reader = Task { [registry] in
            for (index, stream) in streams.enumerated() {
                var finished = false
                do {
                    for try await event in stream {
                        if case .finished = event { finished = true }
                        continuation.yield(.event(choice: index, event))
                    }
                } catch is CancellationError {
                } catch {
                    continuation.yield(.failed(error))
                    break
                }
                // A stream that ends without `.finished` was terminated by cancellation.
                if !finished { registry.noteStoppedEarly() }
                continuation.yield(.choiceEnded(choice: index, stopped: !finished))
                if !finished || Task.isCancelled { break }
            }
            continuation.finish()
        }
        self.reader = reader
        watcher = switch watch {
        case let .keepAlive(interval):
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    continuation.yield(.tick)
                }
            }
        case let .disconnection(disconnected):
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.disconnectPoll)
                    if await disconnected() {
                        reader.cancel()
                        return
                    }
                }
            }
        }
        self.registry = registry
        registration = registry.add { reader.cancel() }
    }

    /// Stops reading (which cancels the generations) and the watcher.
    func cancel() {
        reader.cancel()
        watcher.cancel()
        registry.remove(registration)
    }

    deinit {
        cancel()
    }
}
