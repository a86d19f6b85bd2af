extension GGUFFile {
    /// A human-readable listing for `swiftlet inspect`, in the spirit of gguf-dump: a header line, the
    /// metadata in file order (arrays longer than `maxArrayItems` summarised as `[N items: a, b, … ]`,
    /// strings longer than 80 characters shortened), and the tensor table with absolute offsets.
    public func dump(maxArrayItems: Int = 8) -> String {
        var lines: [String] = []
        lines.append("GGUF v\(version), \(metadata.count) metadata entries, \(tensors.count) tensors, "
            + "alignment \(alignment), data at offset \(dataOffset), \(fileSize) bytes")
        lines.append("")
        lines.append("Metadata:")
        let keyWidth = min(metadata.map(\.key.count).max() ?? 0, 48)
        for (index, entry) in metadata.enumerated() {
            let type = entry.value.arrayValue.map { "[\($0.elementType)]" } ?? entry.value.type.description
            lines.append(pad(String(index + 1), 5, right: true) + "  " + pad(entry.key, keyWidth) + "  "
                + pad(type, 10) + "  " + Self.render(entry.value, maxArrayItems: max(maxArrayItems, 0)))
        }
        lines.append("")
        lines.append("Tensors:")
        let nameWidth = min(max(tensors.map(\.name.count).max() ?? 0, 4), 48)
        let shapes = tensors.map { $0.shape.map(String.init).joined(separator: " × ") }
        let shapeWidth = max(shapes.map(\.count).max() ?? 0, 5)
        lines.append(pad("#", 5, right: true) + "  " + pad("name", nameWidth) + "  " + pad("type", 7) + "  "
            + pad("shape", shapeWidth) + "  " + pad("offset", 12, right: true) + "  " + pad("bytes", 12, right: true))
        for (index, tensor) in tensors.enumerated() {
            lines.append(pad(String(index), 5, right: true) + "  " + pad(tensor.name, nameWidth) + "  "
                + pad(tensor.type.description, 7) + "  " + pad(shapes[index], shapeWidth) + "  "
                + pad(String(tensor.offset), 12, right: true) + "  " + pad(String(tensor.byteCount), 12, right: true))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func render(_ value: GGUFValue, maxArrayItems: Int) -> String {
        switch value {
        case let .uint8(v): String(v)
        case let .int8(v): String(v)
        case let .uint16(v): String(v)
        case let .int16(v): String(v)
        case let .uint32(v): String(v)
        case let .int32(v): String(v)
        case let .uint64(v): String(v)
        case let .int64(v): String(v)
        case let .float32(v): String(v)
        case let .float64(v): String(v)
        case let .bool(v): String(v)
        case let .string(s): renderString(s.string)
        case let .array(a): render(a, maxArrayItems: maxArrayItems)
        }
    }

    private static func render(_ array: GGUFArray, maxArrayItems: Int) -> String {
        // Decode only the elements shown: a 262k vocabulary must not be materialised for a listing.
        var shown: [String] = []
        if array.elementType == .string {
            try? array.forEachStringBytes { bytes in
                guard shown.count < maxArrayItems else { return }
                shown.append(renderString(String(decoding: bytes, as: UTF8.self)))
            }
        } else if let prefix = try? array.prefixValues(maxArrayItems) {
            shown = prefix.map { render($0, maxArrayItems: maxArrayItems) }
        }
        if array.count <= maxArrayItems { return "[" + shown.joined(separator: ", ") + "]" }
        return "[\(array.count) items: " + shown.joined(separator: ", ") + (shown.isEmpty ? "… ]" : ", … ]")
    }

    /// A value and its type for error messages: `24 (UINT32)`.
    static func describe(_ value: GGUFValue) -> String {
        "\(render(value, maxArrayItems: 4)) (\(value.type))"
    }

    private static func renderString(_ s: String) -> String {
        let limit = 80
        guard s.count > limit else { return s.debugDescription }
        return String(s.prefix(limit)).debugDescription + "… (\(s.utf8.count) bytes)"
    }

    private func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(width - s.count, 0))
        return right ? fill + s : s + fill
    }
}
