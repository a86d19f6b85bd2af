import ArgumentParser
import Server

/// The `swiftlet` command. Each subcommand is one file and one line in `subcommands`.
@main
struct Swiftlet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet",
        abstract: "An offline, OpenAI-compatible LLM server with its own Swift inference engine.",
        version: SwiftletServer.version,
        subcommands: [
            Serve.self,
            Generate.self,
            Chat.self,
            Inspect.self,
            Tokenize.self,
            Embed.self,
            Bench.self,
        ],
        defaultSubcommand: nil
    )
}
