// swift-tools-version: 6.1
// Benchmarks for theorybench's hot loops (ordo-one/benchmark). A separate package, so that the
// benchmark toolchain is built only by `make benchmark`, never by `make test` or `make report`.
import PackageDescription

let package = Package(
    name: "theorybench-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "theorybench", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HotLoops",
            dependencies: [
                .product(name: "TheoryBench", package: "theorybench"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "HotLoops",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
