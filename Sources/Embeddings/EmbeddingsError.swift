/// Everything that can go wrong loading a sentence-transformers model or embedding with it.
///
/// Safetensors offsets are relative to the start of the file's data section (after the 8-byte length
/// and the JSON header), as the format stores them.
public enum EmbeddingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, read or mapped (`errno` from the failing call).
    case cannotOpen(path: String, errno: Int32)
    /// The file is shorter than the 8-byte header length, or than the header it announces.
    case truncated(fileSize: Int, needed: Int)
    /// The header length is zero or larger than the format allows (100 MB).
    case headerLength(UInt64)
    /// The header is not a UTF-8 JSON object of tensor entries.
    case badHeader(reason: String)
    /// A dtype string the safetensors format does not define.
    case unknownDType(tensor: String, dtype: String)
    /// A negative, non-integer or overflowing dimension.
    case badShape(tensor: String, reason: String)
    /// `data_offsets` that are malformed, out of the data section, of the wrong length for the shape, or
    /// that leave holes or overlap (the format requires the tensors to tile the data section exactly).
    case badOffsets(tensor: String, reason: String)
    /// A tensor the model needs is absent.
    case missingTensor(String)
    /// A tensor whose shape is not what the model's config implies.
    case shapeMismatch(tensor: String, expected: [Int], actual: [Int])
    /// A tensor stored in a dtype that cannot be read as floats (integers, bool, 8-bit floats).
    case unsupportedDType(tensor: String, dtype: String)
    /// A model file (config.json, modules.json, …) that is missing, unreadable or has a bad value.
    case badConfig(file: String, reason: String)
    /// An embedding request that cannot be run: an empty batch, a token id outside the vocabulary, …
    case invalidInput(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let errno): "cannot open \(path) (errno \(errno))"
        case .truncated(let size, let needed): "safetensors file is truncated: \(size) bytes, needs \(needed)"
        case .headerLength(let length): "safetensors header length \(length) is out of range"
        case .badHeader(let reason): "bad safetensors header: \(reason)"
        case .unknownDType(let tensor, let dtype): "tensor \(tensor): unknown dtype '\(dtype)'"
        case .badShape(let tensor, let reason): "tensor \(tensor): bad shape (\(reason))"
        case .badOffsets(let tensor, let reason): "tensor \(tensor): bad data_offsets (\(reason))"
        case .missingTensor(let name): "tensor \(name) is missing"
        case .shapeMismatch(let tensor, let expected, let actual):
            "tensor \(tensor) has shape \(actual), expected \(expected)"
        case .unsupportedDType(let tensor, let dtype): "tensor \(tensor): dtype \(dtype) cannot be read as floats"
        case .badConfig(let file, let reason): "\(file): \(reason)"
        case .invalidInput(let reason): "invalid embedding input: \(reason)"
        }
    }
}
