// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// The x86-64 microarchitecture level the build host supports (`-march=x86-64-v4`: AVX-512F/BW/CD/
/// DQ/VL; `-v3`: AVX2, FMA, BMI): the bulk samplers run eight SIMD lanes (`RandomStream.nextLanes`),
/// which need native 64-bit vector rotates and gathers to be fast — at baseline x86-64 (SSE2) they
/// are several times slower. Clang's target options also set the Swift code's target features.
/// Results do not depend on it: Swift never contracts a·b + c into an FMA nor reassociates, so every
/// level computes the same IEEE operations bit for bit. Read from /proc/cpuinfo (Linux); anything
/// else, or `THEORYBENCH_MARCH=baseline`, builds for baseline x86-64. Set `THEORYBENCH_MARCH` to a
/// level (x86-64-v3 …) to choose one, e.g. when the binary will run on another machine.
func hostMarch() -> String? {
    if let forced = ProcessInfo.processInfo.environment["THEORYBENCH_MARCH"] {
        return forced == "baseline" ? nil : forced
    }
    #if arch(x86_64) && os(Linux)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
    let flags = Set(line.split(separator: " ").map(String.init))
    let v3: Set = ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave", "sse4_2", "popcnt", "cx16"]
    let v4: Set = ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"]
    if flags.isSuperset(of: v3.union(v4)) { return "x86-64-v4" }
    if flags.isSuperset(of: v3) { return "x86-64-v3" }
    #endif
    return nil
}
let simdSettings: [SwiftSetting] = hostMarch().map { [.unsafeFlags(["-Xcc", "-march=\($0)"])] } ?? []

/// The layers are separate modules; the hot loops of a family (its method over a core oracle, problem
/// and `Vec` helpers) must still inline across them as they did in one module, so the library targets
/// are built with full cross-module optimization.
let layerSettings: [SwiftSetting] = simdSettings + [.unsafeFlags(["-cross-module-optimization"])]

/// The README.md files of a target's folders (documentation, not sources): excluded so that a new
/// folder with its README needs no edit here.
func readmes(_ target: String) -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(target)
    guard let walk = FileManager.default.enumerator(atPath: root.path) else { return [] }
    return walk.compactMap { $0 as? String }.filter { $0.hasSuffix("README.md") }.sorted()
}

/// Layers, each a target, so that the compiler enforces the dependency rule of ARCHITECTURE.md:
/// TheoryBenchCore (numerics, random, problems, oracles, manifolds, generic methods) ←
/// TheoryBenchEngine (measurement, instances and parts, catalog, claims, verification, report) ←
/// TheoryBench (the paper families and their registry) ← the CLI and the tests.
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
            name: "TheoryBenchCore",
            dependencies: ["CGSL", .product(name: "RealModule", package: "swift-numerics")],
            path: "Sources/TheoryBenchCore",
            exclude: readmes("Sources/TheoryBenchCore"),
            swiftSettings: layerSettings
        ),
        .target(
            name: "TheoryBenchEngine",
            dependencies: ["TheoryBenchCore", .product(name: "Yams", package: "Yams")],
            path: "Sources/TheoryBenchEngine",
            exclude: readmes("Sources/TheoryBenchEngine"),
            swiftSettings: layerSettings
        ),
        .target(
            name: "TheoryBench",
            dependencies: ["TheoryBenchEngine", "TheoryBenchCore"],
            path: "Sources/TheoryBench",
            exclude: readmes("Sources/TheoryBench"),
            swiftSettings: layerSettings
        ),
        .executableTarget(
            name: "theorybench",
            // The layers are listed, not only reached through TheoryBench's re-exports: then a change of
            // a lower layer's layout rebuilds the CLI and the tests (incremental builds track direct
            // dependencies).
            dependencies: [
                "TheoryBench", "TheoryBenchEngine", "TheoryBenchCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TheoryBenchTests", dependencies: ["TheoryBench", "TheoryBenchEngine", "TheoryBenchCore", "CGSL"], exclude: readmes("Tests/TheoryBenchTests")),
        .testTarget(name: "ClaimTests", dependencies: ["TheoryBench", "TheoryBenchEngine", "TheoryBenchCore"], exclude: readmes("Tests/ClaimTests")),
    ],
    swiftLanguageModes: [.v6]
)
