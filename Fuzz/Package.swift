// swift-tools-version: 6.1
// The libFuzzer target of the catalog loader, its own package (like Benchmarks/) so that the main build
// never links libFuzzer. `make fuzz` builds it with -sanitize=fuzzer and runs it from corpus/.
import PackageDescription

let package = Package(
    name: "theorybench-fuzz",
    dependencies: [.package(name: "theorybench", path: "..")],
    targets: [
        .executableTarget(
            name: "catalog-fuzz",
            dependencies: [.product(name: "TheoryBench", package: "theorybench")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-Xlinker", "--allow-multiple-definition"])]
        ),
    ]
)
