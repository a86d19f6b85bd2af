import Foundation
import GGUF
import Testing
import TestSupport

@Suite struct GGUFRealModelTests {
    @Test(arguments: [RealModel.smolLM2, .qwen25, .gemma3])
    func opensQuickly(model: RealModel) throws {
        let path = try TestPaths.model(model)
        let clock = ContinuousClock()
        var file: GGUFFile?
        let elapsed = try clock.measure { file = try GGUFFile(path: path) }
        let opened = try #require(file)
        print("GGUF open \(model.rawValue): \(elapsed)")
        #expect(opened.tensors.count > 0)
        #expect(opened["general.architecture"]?.stringValue != nil)
        print(opened.dump().split(separator: "\n").prefix(60).joined(separator: "\n"))
    }
}
