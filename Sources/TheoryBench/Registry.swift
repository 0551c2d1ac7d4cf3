import TheoryBenchCore
import TheoryBenchEngine

/// Every paper family theorybench knows: one line per family. Adding a paper means its own folder
/// (methods, claims, instance families and parts, README) and one line here; nothing else changes.
public let registry = Registry([
    Baseline.family,
    ClipAdaGrad.family,
    RiemannianVR.family,
    FrankWolfe.family,
    L0L1Smooth.family,
    LocalSteps.family,
    MarkovMLMC.family,
    MAST.family,
    MicroAdam.family,
    BiasedSGD.family,
    SVGDL0L1.family,
])

extension Catalog {
    /// Loads `directory` with the vocabulary and claims of every registered family.
    public static func load(directory: String) throws -> Catalog {
        try load(directory: directory, registry: registry)
    }
}

extension InstanceFile {
    /// Parses one instance file with the vocabulary of every registered family.
    public static func parse(_ text: String, file: String) throws -> Instance {
        try parse(text, file: file, registry: registry)
    }
}
