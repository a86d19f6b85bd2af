import GGUF
import Kernels

/// Finds a model's tensors by GGUF name and checks each against the shape the architecture expects.
/// Matrices stay in the mmap'd file (no copy); norm and bias vectors are dequantized to f32.
struct TensorLoader {
    let file: GGUFFile

    func has(_ name: String) -> Bool { file.tensor(named: name) != nil }

    /// A `rows × cols` matrix (GGUF shape `[cols, rows]`).
    func matrix(_ name: String, rows: Int, cols: Int) throws -> WeightMatrix {
        guard let info = file.tensor(named: name) else { throw ModelError.missingTensor(name) }
        return try matrix(info, rows: rows, cols: cols)
    }

    func optionalMatrix(_ name: String, rows: Int, cols: Int) throws -> WeightMatrix? {
        guard let info = file.tensor(named: name) else { return nil }
        return try matrix(info, rows: rows, cols: cols)
    }

    private func matrix(_ info: GGUFTensorInfo, rows: Int, cols: Int) throws -> WeightMatrix {
        guard info.shape == [cols, rows] || (info.shape == [cols, rows, 1]) else {
            throw ModelError.badTensor(name: info.name, reason: "shape \(info.shape), expected [\(cols), \(rows)]")
        }
        do {
            return try WeightMatrix(type: info.type, rows: rows, cols: cols, buffer: file.bytes(of: info), owner: file)
        } catch let error as KernelError {
            throw ModelError.badTensor(name: info.name, reason: error.description)
        }
    }

    /// A vector of `count` values as f32.
    func vector(_ name: String, count: Int) throws -> [Float] {
        guard let values = try optionalVector(name, count: count) else { throw ModelError.missingTensor(name) }
        return values
    }

    func optionalVector(_ name: String, count: Int) throws -> [Float]? {
        guard let info = file.tensor(named: name) else { return nil }
        guard info.elementCount == count, info.shape.first == count else {
            throw ModelError.badTensor(name: name, reason: "shape \(info.shape), expected [\(count)]")
        }
        do {
            let row = try WeightMatrix(type: info.type, rows: 1, cols: count, buffer: file.bytes(of: info), owner: file)
            return try row.dequantizedRow(0)
        } catch let error as KernelError {
            throw ModelError.badTensor(name: name, reason: error.description)
        }
    }
}
