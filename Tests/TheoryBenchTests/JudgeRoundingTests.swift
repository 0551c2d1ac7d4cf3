import Foundation
import Testing
import TheoryBench

/// `Verification/Judge.swift` (`roundingSlack`): a deterministic run that attains a tight bound exactly
/// is not a violation because its last digit rounds the other way; a real excess still is.
@Suite struct JudgeRoundingTests {
    /// R-MARINA on weighted centres in ℝ¹ (the falsification search's finding, docs/derivations/
    /// riemannian-vr.md §11): K = d = 1, so p = 1 and the method is gradient descent with γ = 1/L_f on a
    /// 1-D quadratic, which attains the non-convex bound 2Δ₀/(γT) with equality at every T.
    static let equality = """
        id: rmarina-equality-r1
        family: weighted-centers
        size: 1
        components: 20
        spread: 1.0
        weights: { min: 0.25, max: 1.75 }
        start: { distance: 5.0 }
        budget: { iterations: 200, runs: 8 }
        seed: 17
        """

    @Test("a bound attained with equality up to rounding passes, at margin 1")
    func equalityUpToRounding() async throws {
        let inst = try InstanceFile.parse(Self.equality, file: "equality.yaml", registry: registry)
        let r = try await Runner(workers: 2, scale: .oracle).evaluate(RiemannianVR.rmarinaNonconvex, on: inst)
        #expect(r.verdict.outcome == .pass, "\(r.verdict.detail)")
        #expect(abs((r.verdict.margin ?? 0) - 1) < 1e-12, "margin \(r.verdict.margin ?? .nan)")
    }
}
