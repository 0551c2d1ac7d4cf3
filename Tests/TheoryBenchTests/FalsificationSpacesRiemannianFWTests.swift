import Foundation
import Testing
import TheoryBench

/// The falsification spaces of the Riemannian, Frank-Wolfe and MAST families (`RiemannianSpaces.swift`,
/// `FrankWolfeSpaces.swift`, `SketchSpace.swift`): every point renders to a file the reader accepts,
/// the files pair with the family's claims where they should, the planted optimum is optimal on the
/// drawn set, and enough candidates survive the run-time region checks.
@Suite("Falsification spaces: Riemannian, Frank-Wolfe, MAST")
struct FalsificationSpacesRiemannianFWTests {
    /// The seed instances, one per searched family (and the claim used to span its space).
    static let seeds: [(instance: String, claim: Claim)] = [
        ("spd-karcher-commuting", RiemannianVR.rlsvrgLyapunov), ("spd-karcher-ball", RiemannianVR.rpagePL),
        ("weighted-centers-d5", RiemannianVR.rmarinaNonconvex), ("sphere-pca-d20", RiemannianVR.rpageNonconvex),
        ("sphere-karcher-cap", RiemannianVR.rlsvrgRate), ("fw-simplex-face", FrankWolfe.openLoopRate),
        ("fw-l1-ball", FrankWolfe.sarahCertificate), ("fw-noisy-linear-simplex", FrankWolfe.stochasticFloor),
        ("mast-bernoulli-p05", MAST.convergenceToXS), ("mast-rand-k3", MAST.exactPlateau),
    ]

    static func falsifier(_ seed: (instance: String, claim: Claim)) -> Falsifier {
        Falsifier(claim: seed.claim, seedInstance: TestCatalog.instance(seed.instance), registry: registry)
    }

    /// `count` points of the seed's space, from a fixed stream, as instance files.
    static func candidates(_ seed: (instance: String, claim: Claim), count: Int) throws -> [String] {
        let f = falsifier(seed), spaces = try f.spaces()
        let m = spaces.reduce(0) { $0 + $1.coordinates }
        var rng = RandomStream(name: "spaces:\(seed.instance)", run: 0)
        return (0..<count).map { _ in f.yaml((0..<m).map { _ in rng.uniform() }, spaces: spaces, id: "candidate") }
    }

    static let families: [PaperFamily] = [RiemannianVR.family, FrankWolfe.family, MAST.family]

    @Test("random points of each space parse and pair with a claim of the family", arguments: 0..<10)
    func pointsParseAndPair(_ which: Int) throws {
        let seed = Self.seeds[which]
        let family = try #require(Self.families.first { $0.claims.contains { $0.id == seed.claim.id } })
        var paired = 0, pairedWithSeedClaim = 0
        let texts = try Self.candidates(seed, count: 40)
        for text in texts {
            let inst: Instance
            do { inst = try InstanceFile.parse(text, file: "candidate.yaml") } catch {
                Issue.record("\(seed.instance): a point did not parse: \(error)\n\(text)"); continue
            }
            #expect(inst.family == TestCatalog.instance(seed.instance).family)
            if family.claims.contains(where: { $0.pairs(with: inst) }) { paired += 1 }
            if seed.claim.pairs(with: inst) { pairedWithSeedClaim += 1 }
        }
        // Every point is an instance of some claim of the family; the seed's claim (whose needs may
        // cut the space further, e.g. n ≥ 100 or a sphere-pca instance) pairs with a fair share.
        #expect(paired == texts.count, "\(seed.instance): \(paired)/\(texts.count) pair with a claim of \(family.paper.key)")
        #expect(pairedWithSeedClaim * 5 >= texts.count, "\(seed.instance): \(pairedWithSeedClaim)/\(texts.count) pair with \(seed.claim.id)")
    }

    @Test("the planted optimum is optimal on the drawn set and the start is feasible, for every set kind")
    func plantedOptimumOnEverySet() throws {
        var kinds = Set<String>()
        for text in try Self.candidates(Self.seeds[5], count: 60) {
            let inst = try InstanceFile.parse(text, file: "candidate.yaml")   // the reader checks KKT (1e-12)
            let set = try #require(inst.constraintSet)
            #expect(set.contains(inst.start, tolerance: 1e-12), "start outside \(set)")
            kinds.insert(String(describing: type(of: set)))
        }
        #expect(kinds.count == 4, "set kinds drawn: \(kinds.sorted())")
    }

    @Test("the sketch space renders in the quadratic's dimension: its vectors have that length")
    func sketchReadsTheDimension() throws {
        for text in try Self.candidates(Self.seeds[8], count: 20) {
            let inst = try InstanceFile.parse(text, file: "candidate.yaml")
            let part = try #require(inst.sketchPart)
            #expect(part.sketched.center.count == inst.problem.dimension)
        }
    }

    /// Candidates that survive the run: the claim's assumptions hold and every iterate stays in the
    /// certified region (a short run of the seed's claim, 8 runs).
    @Test("a fair share of the curved-region candidates keep every iterate in the region", arguments: [1, 4])
    func regionChecksLeaveCandidates(_ which: Int) async throws {
        let seed = Self.seeds[which]
        var valid = 0, tried = 0
        for text in try Self.candidates(seed, count: 6) {
            let inst = try InstanceFile.parse(text, file: "candidate.yaml")
            guard seed.claim.pairs(with: inst) else { continue }
            tried += 1
            let r = try await Runner(workers: 2, scale: .oracle, runsOverride: 8).evaluate(seed.claim, on: inst)
            if r.verdict.outcome != .assumptionViolated { valid += 1 }
        }
        #expect(tried >= 2 && valid * 2 >= tried, "\(seed.instance): \(valid)/\(tried) candidates stay in the region")
    }

    @Test("a short search on the stochastic-FW floor: every candidate of the linear-cost space is valid, and none violates it")
    func floorSearchCountsValidCandidates() async throws {
        let f = Falsifier(claim: FrankWolfe.stochasticFloor, seedInstance: TestCatalog.instance("fw-noisy-linear-simplex"),
                          registry: registry, budget: 8, finalists: 1)
        let result = try await f.run()
        #expect(result.validCandidates == 8, "\(result.validCandidates)/8 valid")
        #expect(result.worst != nil && !result.violated, "\(result.summary)")
    }

    /// An instance of the class at the exact worst case's configuration (docs/derivations/frank-wolfe.md
    /// §6): x* = e₀ a vertex of Δ₂ with g* = (−½, −½) (a tie: e₁ minimizes ⟨g*, ·⟩ too), the start at x*.
    /// The LMO at x₀ = x* may return e₁, at distance D from x*; then h₁ = ½(e₁ − e₀)ᵀH(e₁ − e₀), close to
    /// LD²/2 when e₁ − e₀ is nearly the top eigenvector: the margin nears τ(1)·3/2 = 0.75, never above it.
    @Test("FW's open-loop bound: an in-class tie instance comes within 1 % of the exact (PEP) worst case, and not above it")
    func tieInstanceNearsTheExactWorstCase() async throws {
        let text = """
        id: tie-d2-n12
        family: planted-least-squares
        data: { rows: 12, dimension: 2 }
        optimum: { x: [1, 0], gradient: [-0.5, -0.5] }
        constraint: { set: simplex }
        start: [1, 0]
        budget: { iterations: 20000, runs: 40 }
        seed: 18
        """
        let inst = try InstanceFile.parse(text, file: "tie.yaml")
        let claim = FrankWolfe.openLoopRate
        let r = try await Runner(workers: 2, scale: .oracle).evaluate(claim, on: inst)
        let margin = try #require(r.verdict.margin), exact = try #require(claim.worstCase?.margin(inst))
        #expect(margin <= exact * (1 + 1e-6), "margin \(margin) above the exact worst case \(exact)")
        #expect(margin >= 0.99 * exact, "margin \(margin), exact worst case \(exact)")
    }
}
