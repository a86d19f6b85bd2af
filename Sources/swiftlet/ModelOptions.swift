import ArgumentParser
import Foundation
import Server

/// `--model NAME|PATH` and `--models-dir DIR`, resolved the way `swiftlet serve` resolves them: an
/// existing path is used as is, anything else is an id or file name in the models directory.
struct ModelOptions: ParsableArguments {
    @Option(help: "A model id or file name from the models directory, or a path.")
    var model: String
    @Option(help: "Directory searched for model names (default: models).")
    var modelsDir = "models"

    /// The model's entry, or an error naming what was looked for and what exists.
    func resolve() throws -> ModelEntry {
        if let entry = ModelCatalog.entry(at: model) { return entry }
        let catalog = ModelCatalog(directory: modelsDir)
        if let entry = catalog.find(model) { return entry }
        let known = catalog.entries().map(\.id)
        throw CLIError("no model '\(model)' (not a path, and not in \(modelsDir)/; available: "
            + (known.isEmpty ? "none" : known.joined(separator: ", ")) + ")")
    }
}
