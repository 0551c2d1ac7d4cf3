import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The workers of a distributed MAST instance (`distributed-sketch:` in an instance file; part kind
/// `distributed-sketch`): n workers with fᵢ(x) = ½(x − x* − δᵢ)ᵀA(x − x* − δᵢ), Σᵢ δᵢ = 0, each drawing its
/// own sketch from one law, and the exact constants of the averaged estimator
/// (`DistributedSketchedQuadratic`, docs/derivations/mast.md §7). Claims that do not understand this
/// part (the single-sketch claims among them) never pair with such instances.
public struct DistributedSketchPart: InstancePart {
    public static let kind: PartKind = "distributed-sketch"
    public let distributed: DistributedSketchedQuadratic
    let cache = SeriesCache()
    public init(_ distributed: DistributedSketchedQuadratic) { self.distributed = distributed }
    public var description: String { "\(distributed.workers) workers, each its own \(distributed.single.sketch.description)" }

    public func reportedConstants(of instance: Instance) -> [String: Double] {
        let s = distributed
        return ["workers": Double(s.workers), "density": s.single.sketch.density, "mu_D": s.muD, "L_D": s.LD,
                "Lcal": s.expectedSmoothness, "Lcal (one sketch)": s.single.expectedSmoothness,
                "sigma*^2": s.sigma2, "|x_D-x*|^2": s.single.shiftSquared, "|x0-x_D|^2": Vec.distanceSquared(instance.start, s.xD)]
    }

    /// The exact mean-square series of the averaged SGD with step γ (computed once per step and horizon).
    public func series(step: Double, start: [Double], horizon: Int) -> (toXS: [Double], toXStar: [Double]) {
        cache.value(step: step, start: start, horizon: horizon) {
            distributed.recursion.meanSquareDistances(step: step, start: start, horizon: horizon)
        }
    }

    public static let schema = PartSchema(
        key: "distributed-sketch", kind: kind,
        documentation: """
        Distributed MAST with independent sketches (docs/derivations/mast.md §7) on a `quadratic`: the keys \
        of `sketch:` (`family`, `keep` or `k`, `center`) give the law every worker draws its own sketch from; \
        `offsets: [[…], …]` one row δᵢ of d entries per worker (n ≥ 2 rows summing to 0): worker i minimizes \
        fᵢ(x) = ½(x − x* − δᵢ)ᵀA(x − x* − δᵢ), so f = (1/n)Σ fᵢ. Exact constants of the averaged estimator: \
        x_D (= x_S), μ_D, L_D, 𝓛, σ*²; d ≤ 24.
        """,
        space: { part in (part as? DistributedSketchPart).map(space) }
    ) { f, problem, dir in
        guard var c = try f.sub("distributed-sketch") else { throw f.error("distributed-sketch", "expected a mapping {family: …, offsets: …}") }
        guard let q = problem as? Quadratic else { throw f.error("distributed-sketch", "needs a quadratic objective (family: quadratic)") }
        let d = q.dimension
        guard d <= SketchPart.maxDimension else {
            throw f.error("distributed-sketch", "dimension \(d) exceeds \(SketchPart.maxDimension) (d⁴ exact moments)")
        }
        let sketch = try SketchPart.readSketch(&c, dimension: d, dir: dir)
        let center = try c.vector("center", relativeTo: dir) ?? [Double](repeating: 0, count: d)
        guard center.count == d else { throw c.error("center", "has \(center.count) entries, dimension is \(d)") }
        let offsets = try readOffsets(&c, dimension: d)
        try c.rejectUnknown()
        guard let s = DistributedSketchedQuadratic(a: q.exportArrays["A"]!, xStar: q.xStar, center: center, sketch: sketch, offsets: offsets) else {
            throw f.error("distributed-sketch", "f_D is not strongly convex (E[SAS] is singular): x_D is not unique")
        }
        return DistributedSketchPart(s)
    }

    /// n ≥ 2 rows of d finite numbers whose columns sum to 0 (to 10⁻¹⁰ of the largest entry).
    static func readOffsets(_ c: inout Fields, dimension d: Int) throws -> [[Double]] {
        guard let n = c.node("offsets") else { throw c.error("offsets", "missing (required)") }
        guard let rows = n.sequence, rows.count >= 2 else { throw c.error("offsets", "expected a list of at least 2 rows (one per worker)") }
        let offsets = try rows.enumerated().map { i, row -> [Double] in
            guard let cells = row.sequence else { throw c.error("offsets[\(i)]", "expected a list of \(d) numbers") }
            let v = cells.compactMap { $0.scalar?.string }.compactMap(Double.init).filter(\.isFinite)
            guard v.count == cells.count else { throw c.error("offsets[\(i)]", "expected finite numbers") }
            guard v.count == d else { throw c.error("offsets[\(i)]", "has \(v.count) entries, dimension is \(d)") }
            return v
        }
        let scale = offsets.joined().map(abs).max() ?? 0
        for j in 0..<d {
            let sum = offsets.reduce(0) { $0 + $1[j] }
            guard abs(sum) <= 1e-10 * max(scale, 1) else {
                throw c.error("offsets", "column \(j) sums to \(sum): the offsets must sum to 0 (f = (1/n)Σ fᵢ)")
            }
        }
        return offsets
    }
}

extension Instance {
    /// The instance's distributed MAST workers, if it has them.
    public var distributedSketchPart: DistributedSketchPart? { part(DistributedSketchPart.self) }
}
