import Foundation

/// Riemannian problem families (see `problems/README.md`): the instance's `problem` is the
/// `RiemannianObjectiveView` of the manifold problem; `start: {distance: r}` is a geodesic distance.
extension Families {
    /// spd-karcher: `size` n, `components` N, `spread` (std of the log-eigenvalues or of the
    /// symmetric generator), `weights: {min, max}` (evenly spaced, unequal), `anchors: commuting | general`.
    static func spdKarcher(_ f: inout Fields, seed: UInt64) throws -> RiemannianObjectiveView {
        let (n, count, spread, weights) = try weightedAnchors(&f)
        let anchors = try f.string("anchors") ?? "commuting"
        let problem: KarcherMean
        switch anchors {
        case "commuting": problem = .commuting(size: n, count: count, spread: spread, weights: weights, seed: seed)
        case "general": problem = .general(size: n, count: count, spread: spread, weights: weights, seed: seed)
        default: throw f.error("anchors", "unknown '\(anchors)' (known: commuting, general)")
        }
        return RiemannianObjectiveView(RiemannianSetting(problem: problem, kind: "spd-karcher", flat: anchors == "commuting"))
    }

    /// sphere-pca: `dimension` d, `components` N, `spectrum: {top, min, max}` (the data covariance:
    /// s₁ = top, the others evenly spaced in [min, max]).
    static func spherePCA(_ f: inout Fields, seed: UInt64) throws -> RiemannianObjectiveView {
        guard let d = try f.positiveInt("dimension"), d >= 2 else { throw f.error("dimension", "missing or < 2") }
        guard let count = try f.positiveInt("components") else { throw f.error("components", "missing (required)") }
        var top = 4.0, lo = 0.5, hi = 1.0
        if var s = try f.sub("spectrum") {
            top = try s.double("top", where: { $0 > 0 }, "positive") ?? top
            lo = try s.double("min", where: { $0 > 0 }, "positive") ?? lo
            hi = try s.double("max", where: { $0 > 0 }, "positive") ?? hi
            try s.rejectUnknown()
            guard lo <= hi, hi < top else { throw s.error("top", "need min ≤ max < top (an eigengap)") }
        }
        let problem = SpherePCA.generated(dimension: d, count: count, top: top, restMin: lo, restMax: hi, seed: seed)
        return RiemannianObjectiveView(RiemannianSetting(problem: problem, kind: "sphere-pca", flat: false))
    }

    /// The keys shared by spd-karcher and weighted-centers: `size` n, `components` N, `spread`,
    /// `weights: {min, max}` (N weights evenly spaced in [min, max]).
    static func weightedAnchors(_ f: inout Fields) throws -> (size: Int, count: Int, spread: Double, weights: [Double]) {
        guard let n = try f.positiveInt("size") else { throw f.error("size", "missing (required): the size n") }
        guard let count = try f.positiveInt("components") else { throw f.error("components", "missing (required)") }
        let spread = try f.double("spread", where: { $0 > 0 }, "positive") ?? 1
        var wmin = 1.0, wmax = 1.0
        if var w = try f.sub("weights") {
            wmin = try w.double("min", where: { $0 > 0 }, "positive") ?? 1
            wmax = try w.double("max", where: { $0 > 0 }, "positive") ?? wmin
            try w.rejectUnknown()
            guard wmin <= wmax else { throw w.error("min", "exceeds max") }
        }
        return (n, count, spread, KarcherMean.evenWeights(count, wmin, wmax))
    }

    /// weighted-centers: the Euclidean image of `spd-karcher` with commuting anchors, fᵢ(y) = (wᵢ/2)‖y − aᵢ‖²
    /// on ℝⁿ (the same keys: `size` n, `components`, `spread`, `weights`); with the same seed its data are
    /// the log-eigenvalues of the SPD instance's anchors. A Euclidean positive control for the claims.
    static func weightedCenters(_ f: inout Fields, seed: UInt64) throws -> RiemannianObjectiveView {
        let (n, count, spread, weights) = try weightedAnchors(&f)
        let karcher = KarcherMean.commuting(size: n, count: count, spread: spread, weights: weights, seed: seed)
        return RiemannianObjectiveView(RiemannianSetting(problem: karcher.flatCounterpart!, kind: "weighted-centers", flat: true))
    }
}
