import GGUF
import Kernels

/// Every way loading or running a model can fail, with the context a user needs to act on it.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// `general.architecture` names an architecture with no implementation here.
    case unsupportedArchitecture(String, supported: [String])
    /// A required metadata key is absent or has the wrong type.
    case missingKey(String)
    /// A metadata value out of its valid range (zero heads, a head count that does not divide, …).
    case invalidHyperparameter(key: String, value: String)
    /// A required tensor is absent.
    case missingTensor(String)
    /// A tensor whose shape or type does not fit the model.
    case badTensor(name: String, reason: String)
    /// Too many tokens for the sequence's context.
    case contextFull(needed: Int, capacity: Int)
    /// A token id outside the vocabulary.
    case tokenOutOfRange(Int32, vocabularySize: Int)
    /// A request the model cannot serve (empty batch, bad option).
    case invalidRequest(String)
    /// A kernel refused an operation (should not happen with a validated model).
    case kernel(KernelError)

    public var description: String {
        switch self {
        case let .unsupportedArchitecture(name, supported):
            "unsupported model architecture '\(name)'; supported: \(supported.joined(separator: ", "))"
        case let .missingKey(key): "model metadata lacks '\(key)'"
        case let .invalidHyperparameter(key, value): "invalid model metadata \(key) = \(value)"
        case let .missingTensor(name): "model file lacks tensor '\(name)'"
        case let .badTensor(name, reason): "tensor '\(name)': \(reason)"
        case let .contextFull(needed, capacity): "\(needed) tokens do not fit the context of \(capacity)"
        case let .tokenOutOfRange(token, size): "token id \(token) is outside the vocabulary of \(size)"
        case let .invalidRequest(message): message
        case let .kernel(error): "kernel error: \(error)"
        }
    }
}
