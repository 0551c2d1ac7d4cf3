import Foundation
import Testing
import TheoryBench

extension Tag {
    @Tag static var baseline: Self
    @Tag static var clipAdaGrad: Self
    @Tag static var riemannianVR: Self
}

/// The regression oracle: every claim × instance pairing of the catalog must pass, and every
/// pairing's negative control must be detected (the claim's check fails on it). One test per paper
/// and kind, tagged by paper (`swift test --filter` or tag filters pick one family); pairings run at
/// oracle scale on 2 workers, and results do not depend on the worker count (`DeterminismTests`).
@Suite("Claims")
struct ClaimOracleTests {
    static let catalog: Catalog = {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("problems").path
        do { return try Catalog.load(directory: dir) } catch { fatalError("problem catalog: \(error)") }
    }()

    /// The paper keys that have tests below; `everyPaperIsTested` fails when a new one appears.
    static let testedPapers = ["baseline", "clip-adagrad", "riemannian-vr"]

    static func pairings(_ paper: String) -> [String] {
        ((try? catalog.pairings()) ?? []).filter { $0.claim.paper.key == paper }.map { $0.claim.pairingID($0.instance) }
    }

    static func evaluate(_ pairing: String) async throws -> PairingResult {
        let match = try #require(try catalog.pairings().first { $0.claim.pairingID($0.instance) == pairing })
        return try await ResultCache.shared.result(pairing) {
            try await Runner(workers: 2, scale: .oracle).evaluate(match.claim, on: match.instance)
        }
    }

    static func expectHolds(_ pairing: String) async throws {
        let r = try await evaluate(pairing)
        #expect(r.verdict.outcome == .pass, "\(pairing): \(r.verdict.outcome.rawValue) — \(r.verdict.detail)")
    }

    static func expectControlDetected(_ pairing: String) async throws {
        let r = try await evaluate(pairing)
        for c in r.controls {
            #expect(c.detected, "\(pairing) control \(c.id): \(c.verdict.outcome.rawValue) — \(c.verdict.detail)")
        }
    }

    @Test("baseline: claim holds", .tags(.baseline), arguments: pairings("baseline"))
    func baselineHolds(_ p: String) async throws { try await Self.expectHolds(p) }

    @Test("baseline: control detected", .tags(.baseline), arguments: pairings("baseline"))
    func baselineControl(_ p: String) async throws { try await Self.expectControlDetected(p) }

    @Test("clip-adagrad: claim holds", .tags(.clipAdaGrad), arguments: pairings("clip-adagrad"))
    func clipAdaGradHolds(_ p: String) async throws { try await Self.expectHolds(p) }

    @Test("clip-adagrad: control detected", .tags(.clipAdaGrad), arguments: pairings("clip-adagrad"))
    func clipAdaGradControl(_ p: String) async throws { try await Self.expectControlDetected(p) }

    @Test("riemannian-vr: claim holds", .tags(.riemannianVR), arguments: pairings("riemannian-vr"))
    func riemannianHolds(_ p: String) async throws { try await Self.expectHolds(p) }

    @Test("riemannian-vr: control detected", .tags(.riemannianVR), arguments: pairings("riemannian-vr"))
    func riemannianControl(_ p: String) async throws { try await Self.expectControlDetected(p) }

    @Test("every paper's pairings are covered by a test above")
    func everyPaperIsTested() throws {
        let papers = Set(Self.catalog.claims.map(\.paper.key))
        #expect(papers == Set(Self.testedPapers), "add tests for: \(papers.subtracting(Self.testedPapers).sorted())")
    }

    @Test("every claim pairs with at least one instance")
    func everyClaimPairs() throws {
        for c in Self.catalog.claims {
            #expect(Self.catalog.instances.contains { c.needs.test($0) }, "\(c.id) pairs with no instance in problems/")
        }
    }
}

/// Each pairing runs once per test process; both of its tests read the same result.
actor ResultCache {
    static let shared = ResultCache()
    private var tasks: [String: Task<PairingResult, Error>] = [:]

    func result(_ key: String, _ make: @escaping @Sendable () async throws -> PairingResult) async throws -> PairingResult {
        if let t = tasks[key] { return try await t.value }
        let t = Task { try await make() }
        tasks[key] = t
        return try await t.value
    }
}
