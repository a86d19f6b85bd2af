/// Everything that can go wrong reading, decoding or writing a GGUF file.
///
/// File offsets are absolute byte positions in the file, so a message can be checked with a hex dump.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or mapped (`errno` from the failing call).
    case cannotOpen(path: String, errno: Int32)
    /// A read of `needed` bytes at offset `at` runs past the end of the file.
    case truncated(at: Int, needed: Int)
    /// The first four bytes are not `GGUF`.
    case badMagic(UInt32)
    /// A version other than 2 or 3 (version 1 used 32-bit counts and is not supported).
    case unsupportedVersion(UInt32)
    /// The version field reads as a byte-swapped 2 or 3: a big-endian GGUF, which this reader does not support.
    case bigEndian
    /// A string's length field exceeds what is left of the file.
    case stringTooLong(length: UInt64, offset: Int)
    /// A count (`what`: "tensors", "metadata entries", "array elements of KEY", …) cannot fit in the file.
    case countTooLarge(what: String, count: UInt64)
    /// A metadata value (or array element) type id that GGUF does not define.
    case unknownValueType(UInt32, key: String)
    /// A bool byte other than 0 or 1.
    case invalidBool(UInt8, offset: Int)
    /// Arrays nested deeper than `GGUFArray.maxNestingDepth`.
    case nestingTooDeep(key: String)
    /// Two metadata entries with the same key.
    case duplicateKey(String)
    /// `general.alignment` is not an integer that is a nonzero power of two.
    case badAlignment(key: String, value: String)
    /// A tensor type id that ggml does not define.
    case unknownTensorType(UInt32, tensor: String)
    /// More than four dimensions, a negative or overflowing dimension, or a first dimension that is not a
    /// whole number of the type's blocks.
    case badShape(name: String, shape: [UInt64])
    /// Two tensors with the same name.
    case duplicateTensor(String)
    /// A tensor's data offset is not a multiple of the file's alignment.
    case misaligned(name: String, offset: UInt64, alignment: Int)
    /// A tensor's data extends past the end of the file.
    case tensorOutOfBounds(name: String)
    /// The byte ranges of two tensors intersect.
    case tensorsOverlap(String, String)
    /// A decoding accessor was used on a value of another type (`expected`, `actual` are type names).
    case typeMismatch(expected: String, actual: String)
    /// An integer does not fit the requested Swift type.
    case integerOverflow(String)
    /// Writer: a tensor's byte count does not match its type and shape.
    case tensorSizeMismatch(name: String, expected: Int?, actual: Int)
    /// Building an array from values whose types differ from the declared element type.
    case mixedArray(expected: String, found: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, errno):
            "cannot open GGUF file \(path) (errno \(errno))"
        case let .truncated(at, needed):
            "GGUF file truncated: needed \(needed) bytes at offset \(at)"
        case let .badMagic(magic):
            "not a GGUF file: magic is 0x\(String(magic, radix: 16)), expected \"GGUF\""
        case let .unsupportedVersion(version):
            "unsupported GGUF version \(version) (supported: 2, 3)"
        case .bigEndian:
            "big-endian GGUF files are not supported"
        case let .stringTooLong(length, offset):
            "string at offset \(offset) claims \(length) bytes, more than the file holds"
        case let .countTooLarge(what, count):
            "count of \(what) (\(count)) is larger than the file can hold"
        case let .unknownValueType(type, key):
            "unknown GGUF value type \(type) for key \"\(key)\""
        case let .invalidBool(byte, offset):
            "invalid bool byte \(byte) at offset \(offset)"
        case let .nestingTooDeep(key):
            "arrays nested too deeply in key \"\(key)\""
        case let .duplicateKey(key):
            "duplicate metadata key \"\(key)\""
        case let .badAlignment(key, value):
            "\(key) must be a nonzero power-of-two integer, found \(value)"
        case let .unknownTensorType(type, tensor):
            "unknown ggml type \(type) for tensor \"\(tensor)\""
        case let .badShape(name, shape):
            "tensor \"\(name)\" has an invalid shape \(shape)"
        case let .duplicateTensor(name):
            "duplicate tensor \"\(name)\""
        case let .misaligned(name, offset, alignment):
            "tensor \"\(name)\" data offset \(offset) is not a multiple of the alignment \(alignment)"
        case let .tensorOutOfBounds(name):
            "tensor \"\(name)\" data extends past the end of the file"
        case let .tensorsOverlap(first, second):
            "tensors \"\(first)\" and \"\(second)\" overlap"
        case let .typeMismatch(expected, actual):
            "expected \(expected), found \(actual)"
        case let .integerOverflow(value):
            "integer \(value) does not fit"
        case let .tensorSizeMismatch(name, expected, actual):
            if let expected {
                "tensor \"\(name)\" needs \(expected) bytes, got \(actual)"
            } else {
                "tensor \"\(name)\" shape is not a whole number of blocks or overflows (got \(actual) bytes)"
            }
        case let .mixedArray(expected, found):
            "array of \(expected) cannot hold a \(found) value"
        }
    }
}
