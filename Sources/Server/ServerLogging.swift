import Logging

/// Process-wide logging for the CLI: one line per event on standard error.
public enum ServerLogging {
    /// Installs the stderr handler. `verbose` lowers the level to debug, which is also what lets
    /// request bodies through (they are only logged when `--verbose`/`OPENEDAI_DEBUG` is set).
    /// Call once, before any logger is made.
    public static func bootstrap(verbose: Bool) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return handler
        }
    }

    /// The logger the server components share.
    public static func makeLogger() -> Logger {
        Logger(label: "swiftlet")
    }
}
