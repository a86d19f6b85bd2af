/// A failure of a command's work (a missing model, an unreadable file), as opposed to a usage mistake:
/// ArgumentParser prints its description without the usage text.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
