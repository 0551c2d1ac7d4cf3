import Foundation
import Testing
import TheoryBench

/// The instance spaces of the families and parts (`InstanceSpace`): every point renders a file the
/// reader accepts, the claims' requirements leave a usable part of each space, and the claims whose
/// seed instance has no space yet are only those of the families still without one.
@Suite("Falsification spaces")
struct FalsificationSpacesTests {
    /// Every catalog instance whose family and parts all declare a space (each compressor, chain
    /// kind and noise law of the catalog spans its own space).
    static let seeds: [Instance] = TestCatalog.problems.instances.filter { (try? searcher($0).spaces()) != nil }

    static func searcher(_ i: Instance, _ claim: Claim = Baseline.gdLinearRate) -> Falsifier {
        Falsifier(claim: claim, seedInstance: i, registry: registry)
    }

    /// Families and parts without a space yet (none: every family and part of the catalog declares one).
    static let pendingSpaces: Set<String> = []

    @Test("the spaces cover the families and parts they should")
    func coverage() {
        let families = Set(Self.seeds.map(\.family))
        for name in ["quadratic", "least-squares", "logistic", "cosine-quadratic", "l0l1-polynomial", "l0l1-shifted-sum",
                     "geman-mcclure", "cyclic-offset-quadratic", "svgd-target"] {
            #expect(registry.problemFamilies.first { $0.name == name }?.space != nil, "\(name) declares no space")
        }
        let parts = Set(Self.seeds.flatMap(\.partKinds).map(\.name))
        for kind in ["noise", "compressor", "markov"] { #expect(parts.contains(kind), "no seed instance varies part \(kind)") }
        #expect(families.count >= 9)
    }

    @Test("random points of every space render instance files the reader accepts", arguments: seeds.map(\.id))
    func pointsParse(_ id: String) throws {
        let seed = TestCatalog.instance(id), f = Self.searcher(seed)
        let spaces = try f.spaces(), m = spaces.reduce(0) { $0 + $1.coordinates }
        var rng = RandomStream(name: "spaces-parse:\(id)", run: 0)
        let corners: [[Double]] = [[Double](repeating: 0, count: m), [Double](repeating: 1, count: m)]
        for u in corners + (0..<12).map({ _ in (0..<m).map { _ in rng.uniform() } }) {
            let text = f.yaml(u, spaces: spaces, id: "falsify-candidate")
            do { _ = try InstanceFile.parse(text, file: "candidate.yaml", registry: registry) } catch {
                Issue.record("\(id): a point of its space does not parse: \(error)\n\(text)")
            }
        }
    }

    @Test("the batch part's space renders readable minibatch instances")
    func batchSpace() throws {
        let text = """
        id: ls-batch
        family: least-squares
        data: { rows: 40, dimension: 4, noise: 0.1 }
        start: { distance: 1 }
        batch: 3
        budget: { iterations: 10, runs: 2 }
        """
        let seed = try InstanceFile.parse(text, file: "ls-batch.yaml", registry: registry)
        let f = Self.searcher(seed, Baseline.sgdNoiseFloor)
        let spaces = try f.spaces()
        #expect(spaces.count == 2)
        for b in [0.0, 0.3, 0.7, 1.0] {
            let inst = try InstanceFile.parse(f.yaml([0.5, 0.5, 0.5, 0.5, 0.5, b], spaces: spaces, id: "c"), file: "c.yaml", registry: registry)
            let size = try #require(inst.batchSize)
            #expect(size >= 1 && size <= 16)
        }
    }

    /// Claims and the first instance they pair with whose spaces are all declared.
    static let searchable: [(claim: Claim, seed: Instance)] = TestCatalog.problems.claims.compactMap { c in
        Falsifier.seed(for: c, in: TestCatalog.problems.instances, registry: registry).map { (c, $0) }
    }

    /// Claims whose search space is, by design, a small corner of their seed's space (the fraction
    /// is stated and checked separately): none today.
    @Test("for every searchable claim a non-trivial fraction of its space meets its requirements and assumptions",
          arguments: searchable.map(\.claim.id))
    func admissibleFraction(_ id: String) throws {
        let pair = try #require(Self.searchable.first { $0.claim.id == id })
        let fraction = try Self.searcher(pair.seed, pair.claim).admissibleFraction(samples: 64)
        #expect(fraction >= 1.0 / 32, "\(id) from \(pair.seed.id): only \(fraction) of the space is an instance of the claim")
    }

    @Test("claims without a searchable instance lack only the spaces of the families still pending")
    func unsearchableClaimsArePending() {
        let searchableIDs = Set(Self.searchable.map(\.claim.id))
        var missing = [String: Set<String>]()
        for c in TestCatalog.problems.claims where !searchableIDs.contains(c.id) {
            let pairs = TestCatalog.problems.instances.filter { c.pairs(with: $0) }
            #expect(!pairs.isEmpty, "\(c.id) pairs with no instance")
            missing[c.id] = Set(pairs.flatMap(Self.lacking))
        }
        for (id, names) in missing.sorted(by: { $0.key < $1.key }) {
            #expect(!names.isEmpty && names.isSubset(of: Self.pendingSpaces), "\(id): lacks spaces for \(names.sorted())")
        }
    }

    /// The family and part names of `i` that declare no space.
    static func lacking(_ i: Instance) -> [String] {
        let family = registry.problemFamilies.first { $0.name == i.family }?.space == nil ? [i.family] : []
        let parts = i.parts.compactMap { p -> String? in
            guard let schema = registry.parts.first(where: { $0.kind == p.kind }) else { return nil }
            return schema.space?(p) == nil ? schema.key : nil
        }
        return family + parts
    }
}
