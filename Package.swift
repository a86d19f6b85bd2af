// swift-tools-version: 6.2
// Kernel speed depends on the CPU target: scripts build release with `-Xswiftc -target-cpu -Xswiftc native`.
// This manifest stays free of unsafe flags so the package builds anywhere.
import PackageDescription

let package = Package(
    name: "Swiftlet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftlet", targets: ["swiftlet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-numerics.git", from: "1.1.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "GGUF"),
        .target(name: "Kernels", dependencies: [
            "GGUF",
            .product(name: "RealModule", package: "swift-numerics"),
        ]),
        .target(name: "Tokenizers", dependencies: ["GGUF"]),
        .target(name: "Templates", dependencies: [
            .product(name: "Collections", package: "swift-collections"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Embeddings", dependencies: ["GGUF", "Kernels", "Tokenizers"]),
        .target(name: "Sampling", dependencies: [
            .product(name: "RealModule", package: "swift-numerics"),
        ]),
        .target(name: "Models", dependencies: ["GGUF", "Kernels"]),
        .target(name: "Engine", dependencies: ["GGUF", "Kernels", "Models", "Sampling", "Tokenizers", "Templates"]),
        .target(name: "OpenAIAPI"),
        .target(name: "Server", dependencies: [
            "OpenAIAPI", "GGUF", "Engine", "Embeddings", "Models", "Sampling", "Templates", "Tokenizers",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "swiftlet", dependencies: [
            "Server", "GGUF", "Kernels", "Tokenizers", "Templates", "Embeddings", "Models", "Sampling", "Engine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "TestSupport"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "GGUF", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "GGUF", "TestSupport"]),
        .testTarget(name: "TemplatesTests", dependencies: ["Templates", "TestSupport"]),
        .testTarget(name: "EmbeddingsTests", dependencies: ["Embeddings", "Kernels", "Tokenizers", "TestSupport"]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Kernels", "GGUF", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Models", "Sampling", "Tokenizers", "GGUF", "TestSupport"]),
        .testTarget(name: "OpenAIAPITests", dependencies: ["OpenAIAPI"]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "OpenAIAPI", "GGUF", "Engine", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)
