// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "theorybench",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TheoryBench", targets: ["TheoryBench"]),
        .executable(name: "theorybench", targets: ["theorybench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
        ),
        .target(
            name: "TheoryBench",
            dependencies: [
                "CGSL",
                .product(name: "Yams", package: "Yams"),
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            exclude: ["Numerics/README.md", "Random/README.md", "Problems/README.md", "Oracles/README.md",
                      "Methods/README.md", "Claims/README.md", "Verification/README.md", "Catalog/README.md",
                      "Report/README.md", "Manifolds/README.md"]
        ),
        .executableTarget(
            name: "theorybench",
            dependencies: [
                "TheoryBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TheoryBenchTests", dependencies: ["TheoryBench", "CGSL"], exclude: ["README.md"]),
        .testTarget(name: "ClaimTests", dependencies: ["TheoryBench"], exclude: ["README.md"]),
    ],
    swiftLanguageModes: [.v6]
)
