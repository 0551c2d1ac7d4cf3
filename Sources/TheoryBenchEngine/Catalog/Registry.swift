import TheoryBenchCore

/// One paper family as it plugs into the engine: its paper, its claims, and the instance-file
/// vocabulary it adds (problem families for `family:`, parts for top-level keys). A family lives in
/// its own folder and is registered by one line in the registry (`TheoryBench/Registry.swift`).
public struct PaperFamily: Sendable {
    public let paper: Paper
    public let claims: [Claim]
    public let problemFamilies: [ProblemFamily]
    public let parts: [PartSchema]
    /// Tables across the family's instances at the top of its report section.
    public let tables: [OverviewTable]
    /// Figures across the family's instances, after its tables.
    public let figures: [OverviewFigure]

    public init(paper: Paper, claims: [Claim], problemFamilies: [ProblemFamily] = [], parts: [PartSchema] = [],
                tables: [OverviewTable] = [], figures: [OverviewFigure] = []) {
        precondition(claims.allSatisfy { $0.paper == paper }, "family \(paper.key): a claim of another paper")
        let names = figures.map(\.name)
        precondition(Set(names).count == names.count, "family \(paper.key): two figures share a name")
        self.paper = paper; self.claims = claims; self.problemFamilies = problemFamilies; self.parts = parts
        self.tables = tables; self.figures = figures
    }
}

/// Every paper family the catalog knows, with the engine's own vocabulary (the Euclidean problem
/// families and the noise and minibatch parts) before theirs.
public struct Registry: Sendable {
    public let papers: [PaperFamily]

    public init(_ papers: [PaperFamily]) {
        self.papers = papers
        let names = problemFamilies.map(\.name), keys = parts.map(\.key)
        precondition(Set(names).count == names.count, "two problem families share a name: \(names)")
        precondition(Set(keys).count == keys.count, "two parts share a key: \(keys)")
        let ids = claims.map(\.id)
        precondition(Set(ids).count == ids.count, "two claims share an id")
    }

    public var claims: [Claim] { papers.flatMap(\.claims) }
    public var problemFamilies: [ProblemFamily] { ProblemFamily.euclidean + papers.flatMap(\.problemFamilies) }
    public var parts: [PartSchema] { [NoisePart.schema, MinibatchPart.schema] + papers.flatMap(\.parts) }

    /// The registry with one more family (e.g. a test's toy family).
    public func adding(_ family: PaperFamily) -> Registry { Registry(papers + [family]) }

    /// The instance-file schema as markdown, generated from the families' and parts' own
    /// documentation (the reference section of `problems/README.md`).
    public var schemaDocumentation: String {
        var s = "### Problem families (`family:`)\n\n"
        for f in problemFamilies { s += "- `\(f.name)`: \(f.documentation)\n" }
        s += "\n### Parts (optional top-level keys; a claim pairs only with instances whose parts it understands)\n\n"
        for p in parts { s += "- `\(p.key)` (part kind `\(p.kind)`): \(p.documentation)\n" }
        s += "\nWhich parts each claim understands: `theorybench show <claim-id>`.\n"
        return s
    }
}
