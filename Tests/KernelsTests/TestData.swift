@testable import Kernels

/// Deterministic test data.
enum TestData {
    /// `count` values, roughly normal with standard deviation `scale`, from `seed`.
    static func gaussian(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = SplitMix(seed: seed)
        return (0..<count).map { _ in
            // Sum of four uniforms: cheap, bell-shaped, no transcendental functions.
            (rng.nextFloat() + rng.nextFloat() + rng.nextFloat() + rng.nextFloat()) * 0.866 * scale
        }
    }
}
