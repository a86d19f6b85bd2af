import Foundation
import Yams

/// The `--settings` YAML file, reduced to raw strings by key.
///
/// Keys are the long flag names (`api-port`; text-generation-webui's `api_port` spelling is accepted
/// too) plus `openai-embedding_model`, `openai-embedding_device` and `openai-debug`. Scalars keep their
/// YAML text (`5000`, `true`); a sequence of scalars becomes a comma-separated list, so
/// `api-key: [a, b]` means the same as `--api-key a,b`. A null value counts as absent.
public struct SettingsFile: Sendable, Equatable {
    /// Where the file came from, for error messages.
    public var path: String
    /// Normalized key → raw value.
    public var values: [String: String]

    public init(path: String, values: [String: String]) {
        self.path = path
        self.values = values
    }

    /// The keys `resolve` understands; any other key is reported as a warning (a typo would otherwise
    /// be silently ignored), not an error, so a text-generation-webui settings file still works.
    public static let knownKeys: Set<String> = [
        "api", "listen", "listen-host", "api-port", "api-key", "admin-key", "ssl-keyfile", "ssl-certfile",
        "api-enable-ipv6", "api-disable-ipv4", "model", "models-dir", "threads", "ctx-size",
        "embedding-model", "cors-origins", "verbose", "max-body-size", "max-queue",
        "openai-embedding_model", "openai-embedding_device", "openai-debug",
    ]

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ServerError) -> SettingsFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableSettings(path: path, reason: "the file cannot be read as UTF-8 text")
        }
        return try parse(yaml: text, path: path)
    }

    /// Parses YAML text; `path` only labels errors.
    public static func parse(yaml: String, path: String) throws(ServerError) -> SettingsFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw .unreadableSettings(path: path, reason: "invalid YAML (\(error))")
        }
        guard let root else { return SettingsFile(path: path, values: [:]) }
        guard case let .mapping(mapping) = root else {
            throw .unreadableSettings(path: path, reason: "the top level must be a mapping of keys to values")
        }
        var values: [String: String] = [:]
        for (keyNode, valueNode) in mapping {
            guard let rawKey = keyNode.scalar?.string else {
                throw .unreadableSettings(path: path, reason: "keys must be plain strings")
            }
            let key = normalize(rawKey)
            guard values[key] == nil else {
                throw .unreadableSettings(path: path, reason: "the key '\(key)' appears twice")
            }
            if let value = try scalarText(valueNode, key: key, path: path) {
                values[key] = value
            }
        }
        return SettingsFile(path: path, values: values)
    }

    /// `api_port` → `api-port`; the `openai-` keys keep text-generation-webui's mixed spelling.
    static func normalize(_ key: String) -> String {
        key.hasPrefix("openai-") ? key : key.replacingOccurrences(of: "_", with: "-")
    }

    private static func scalarText(_ node: Node, key: String, path: String) throws(ServerError) -> String? {
        switch node {
        case let .scalar(scalar):
            return node.null != nil ? nil : scalar.string
        case let .sequence(sequence):
            var items: [String] = []
            for item in sequence {
                guard case let .scalar(scalar) = item else {
                    throw .unreadableSettings(path: path, reason: "'\(key)' must be a value or a list of values")
                }
                items.append(scalar.string)
            }
            return items.joined(separator: ",")
        case .mapping, .alias:
            throw .unreadableSettings(path: path, reason: "'\(key)' must be a value or a list of values")
        }
    }
}
