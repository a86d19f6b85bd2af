import Foundation
import Yams

/// text-generation-webui-style instruction templates: YAML files whose `instruction_template` key holds
/// Jinja, plus `model-map.yaml`, the ordered regex table that guesses a template from a model's name.
public struct InstructionTemplateLibrary: Sendable {
    /// The folder holding `<Name>.yaml` files and `model-map.yaml`.
    public let directory: URL
    /// The template used when nothing else applies.
    public static let fallbackName = "Alpaca"

    /// A library over `directory` (files are read on each lookup, so edits apply without a restart).
    public init(directory: URL) {
        self.directory = directory
    }

    /// The names of the templates in the folder (file names without `.yaml`), sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") && $0 != "model-map.yaml" }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The Jinja source of the template called `name`; `TemplateError.notFound` when there is no such file.
    public func source(named name: String) throws -> String {
        // Names come from requests: only a plain file name may select a file.
        guard !name.isEmpty, !name.contains("/"), !name.contains("\\"), !name.hasPrefix(".") else {
            throw TemplateError.notFound("instruction template '\(name)' not found")
        }
        let url = directory.appendingPathComponent(name + ".yaml")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TemplateError.notFound("instruction template '\(name)' not found")
        }
        return try Self.parse(String(decoding: data, as: UTF8.self), file: url.lastPathComponent)
    }

    /// Extracts the Jinja from an instruction-template YAML document.
    public static func parse(_ yaml: String, file: String = "template") throws -> String {
        let doc: Any?
        do {
            doc = try Yams.load(yaml: yaml)
        } catch {
            throw TemplateError.invalidFile("\(file): not valid YAML (\(error))")
        }
        guard let map = doc as? [String: Any], let jinja = map["instruction_template"] as? String else {
            throw TemplateError.invalidFile("\(file): no 'instruction_template' string")
        }
        return jinja
    }

    /// The template name `model-map.yaml` gives for `modelName`, or nil when no pattern matches.
    public func guess(modelName: String) throws -> String? {
        let url = directory.appendingPathComponent("model-map.yaml")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let doc: Any?
        do {
            doc = try Yams.load(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw TemplateError.invalidFile("model-map.yaml: not valid YAML (\(error))")
        }
        guard let rows = doc as? [[String: Any]] else {
            throw TemplateError.invalidFile("model-map.yaml: expected a list of {pattern, instruction_template}")
        }
        for row in rows {
            guard let pattern = row["pattern"] as? String, let name = row["instruction_template"] as? String else {
                throw TemplateError.invalidFile("model-map.yaml: each entry needs 'pattern' and 'instruction_template'")
            }
            let regex: NSRegularExpression
            do {
                regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            } catch {
                throw TemplateError.invalidFile("model-map.yaml: bad pattern '\(pattern)'")
            }
            let range = NSRange(modelName.startIndex..., in: modelName)
            if regex.firstMatch(in: modelName, range: range) != nil { return name }
        }
        return nil
    }
}
