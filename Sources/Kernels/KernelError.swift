import GGUF

/// Every way a kernel call can be refused. Shapes and byte counts come from files and callers, so they
/// are checked up front and reported here instead of trapping.
public enum KernelError: Error, Equatable, CustomStringConvertible {
    /// The type has no kernels in this module (IQ formats, integer tensors, …).
    case unsupportedType(GGMLType, operation: String)
    /// An element count that is not a whole number of the type's blocks.
    case notBlockAligned(type: GGMLType, elements: Int)
    /// A byte buffer whose size does not match the shape and type it is said to hold.
    case byteCountMismatch(type: GGMLType, rows: Int, cols: Int, expected: Int, actual: Int)
    /// Two operands whose lengths or shapes disagree.
    case shapeMismatch(operation: String, expected: Int, actual: Int)
    /// A dimension that is negative, zero where work is needed, or overflows when multiplied out.
    case invalidDimension(name: String, value: Int)

    public var description: String {
        switch self {
        case .unsupportedType(let type, let operation):
            "\(operation) is not implemented for \(type)"
        case .notBlockAligned(let type, let elements):
            "\(elements) elements is not a multiple of \(type)'s block size \(type.blockSize)"
        case .byteCountMismatch(let type, let rows, let cols, let expected, let actual):
            "\(rows)×\(cols) \(type) needs \(expected) bytes, got \(actual)"
        case .shapeMismatch(let operation, let expected, let actual):
            "\(operation): expected length \(expected), got \(actual)"
        case .invalidDimension(let name, let value):
            "invalid dimension \(name) = \(value)"
        }
    }
}
