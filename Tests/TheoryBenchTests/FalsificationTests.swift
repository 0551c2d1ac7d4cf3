import Foundation
import Testing
import TheoryBench

/// `Falsification/`: the search must find a violation where one exists inside the class (its power
/// check), and on a deterministic claim with a known exact worst case it must never exceed it.
@Suite("Falsification")
struct FalsificationTests {
    static var quadratic: Instance { TestCatalog.instance("quadratic-d10") }

    static let seededPaper = Paper(key: "seeded-false", reference: "test", title: "A false claim planted for the searcher")

    /// Seeded false: "GD with γ = 1/L at least halves f − f* at every checkpoint k ≥ 1". On a quadratic
    /// started in a random direction the first step keeps only Σλᵢ(1 − λᵢ/L)²eᵢ²/Σλᵢeᵢ² ≈ 0.15 of the gap
    /// (κ = 10), so it holds on the catalog's quadratic; but a start along the bottom eigenvector keeps
    /// (1 − μ/L)² > ½ as soon as κ > 3.4 — the class contains violations.
    static let seededFalse = halvesTheGap("seeded-false.gd-halves-the-gap", "GD with γ = 1/L: f(x_k) − f* ≤ ½(f(x₀) − f*) for every k ≥ 1.",
                                          needs: .stronglyConvex(understands: [.noise, .minibatch]))

    /// The seeded-false claim restricted to 1-D quadratics: 1/12 of the quadratic space.
    static let oneDimensional = halvesTheGap("seeded-false.gd-halves-the-gap-1d",
                                             "GD with γ = 1/L on a 1-D quadratic: f(x_k) − f* ≤ ½(f(x₀) − f*) for every k ≥ 1.",
                                             needs: Requirement.stronglyConvex(understands: [.noise, .minibatch]).and("d = 1") { $0.instance.dimension == 1 })

    static func halvesTheGap(_ id: String, _ statement: String, needs: Requirement<StronglyConvexInstance>) -> Claim {
        Claim(
            id: id, paper: seededPaper, theorem: "false by construction", statement: statement,
            needs: needs, assumptions: [.stepAtMost(1, "1/L")],
            method: { c in Experiments.sgd("GD", .constant(1 / c.L), measure: .suboptimality, gradients: .exact) },
            measured: "f(x_k) − f*", grid: Grid(.linear, points: 5) { _ in 5 }, runs: .deterministic,
            check: Check(.boundAtEveryCheckpoint(Bound("½(f(x₀) − f*)", .derived("false by construction")) { c, _, _ in
                0.5 * c.instance.initialGap
            }), on: .mean),
            controls: .method("\(id).step-2.5-over-L", "γ = 2.5/L diverges") { c in
                Experiments.sgd("GD", .constant(2.5 / c.L), measure: .suboptimality, gradients: .exact)
            })
    }

    @Test("the seeded-false claim holds on the catalog's quadratic, and the search finds a violation inside its class")
    func findsSeededViolation() async throws {
        let onCatalog = try await Runner(workers: 2, scale: .oracle).evaluate(Self.seededFalse, on: Self.quadratic)
        #expect(onCatalog.verdict.outcome == .pass, "\(onCatalog.verdict.detail)")
        let reg = registry.adding(PaperFamily(paper: Self.seededPaper, claims: [Self.seededFalse]))
        let result = try await Falsifier(claim: Self.seededFalse, seedInstance: Self.quadratic, registry: reg).run()
        let worst = try #require(result.worst)
        #expect(result.violated && worst.margin > 1, "worst margin \(worst.margin) over \(result.budget) candidates")
        // The violating instance is a valid instance file of the catalog's vocabulary.
        let inst = try InstanceFile.parse(worst.yaml, file: "worst.yaml", registry: reg)
        #expect(Self.seededFalse.pairs(with: inst))
        // Deterministic: the same seed finds the same worst instance.
        let again = try await Falsifier(claim: Self.seededFalse, seedInstance: Self.quadratic, registry: reg).run()
        #expect(again.worst?.yaml == worst.yaml)
    }

    @Test("on GD's linear rate no searched instance exceeds the exact worst case, and the search gets near it")
    func respectsExactWorstCase() async throws {
        let claim = Baseline.gdLinearRate
        let result = try await Falsifier(claim: claim, seedInstance: Self.quadratic, registry: registry, budget: 256).run()
        let worst = try #require(result.worst)
        let exact = try #require(worst.worstCase)
        for f in result.finalists {
            #expect(f.margin <= (f.worstCase ?? .infinity) * (1 + 1e-9), "margin \(f.margin) above the exact worst case \(f.worstCase ?? .nan)")
        }
        #expect(!result.violated)
        #expect(worst.margin >= 0.8 * exact, "the search reached \(worst.margin) of the exact \(exact)")
    }

    @Test("points outside the claim's class are redrawn (a parse, no run), so a search spends its budget on instances of the claim")
    func redrawsInadmissiblePoints() async throws {
        let reg = registry.adding(PaperFamily(paper: Self.seededPaper, claims: [Self.oneDimensional]))
        let f = Falsifier(claim: Self.oneDimensional, seedInstance: TestCatalog.instance("lomax-1d"), registry: reg, budget: 8, finalists: 1)
        let share = try f.admissibleFraction(samples: 240)
        #expect(share > 0.02 && share < 0.2, "the 1-D share of the quadratic space is \(share), expected about 1/12")
        let r = try await f.run()
        #expect(r.validCandidates == 8, "\(r.validCandidates) of 8 candidates were instances of the claim")
        let worst = try InstanceFile.parse(try #require(r.worst).yaml, file: "w.yaml", registry: reg)
        #expect(worst.dimension == 1)
    }

    @Test("a part's space renders in the dimension the family's space gives; a space's seed replaces the seed instance's")
    func partsFollowTheFamilysDimension() throws {
        let seed = TestCatalog.instance("biased-sgd-bernoulli")   // d = 20, one p per coordinate
        let f = Falsifier(claim: Baseline.gdLinearRate, seedInstance: seed, registry: registry)
        let spaces = try f.spaces(), m = spaces.reduce(0) { $0 + $1.coordinates }
        for d0 in [0.0, 0.5, 1.0] {
            var u = [Double](repeating: 0.5, count: m)
            u[0] = d0
            let inst = try InstanceFile.parse(f.yaml(u, spaces: spaces, id: "c"), file: "c.yaml", registry: registry)
            let p = try #require(inst.compressor as? Bernoulli)
            #expect(p.probabilities.count == inst.dimension)
        }
        let ls = TestCatalog.instance("least-squares-d20")
        let g = Falsifier(claim: Baseline.gdLinearRate, seedInstance: ls, registry: registry)
        let text = g.yaml([0.5, 0.5, 0.5, 0.5, 0.25], spaces: try g.spaces(), id: "c")
        #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("seed: ") } == ["seed: 250001"])
    }
}
