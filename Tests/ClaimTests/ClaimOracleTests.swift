import Foundation
import Testing
import TheoryBench

/// The regression oracle: every claim × instance pairing of the catalog must pass, and every
/// pairing's negative control must be detected (the claim's check fails on it). Runs at oracle scale
/// with a fixed number of workers; results do not depend on it (see `DeterminismTests`).
@Suite("Claims")
struct ClaimOracleTests {
    static let catalog: Catalog = {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("problems").path
        do { return try Catalog.load(directory: dir) } catch { fatalError("problem catalog: \(error)") }
    }()

    static let pairings: [String] = (try? catalog.pairings().map { $0.claim.pairingID($0.instance) }) ?? []

    static func evaluate(_ pairing: String) async throws -> PairingResult {
        let match = try #require(try catalog.pairings().first { $0.claim.pairingID($0.instance) == pairing })
        return try await ResultCache.shared.result(pairing) {
            try await Runner(workers: 2, scale: .oracle).evaluate(match.claim, on: match.instance)
        }
    }

    @Test("claim holds", arguments: pairings)
    func claimHolds(_ pairing: String) async throws {
        let r = try await Self.evaluate(pairing)
        #expect(r.verdict.outcome == .pass, "\(pairing): \(r.verdict.outcome.rawValue) — \(r.verdict.detail)")
    }

    @Test("negative control is detected", arguments: pairings)
    func controlDetected(_ pairing: String) async throws {
        let r = try await Self.evaluate(pairing)
        #expect(r.control.detected, "\(pairing) control \(r.control.id): \(r.control.verdict.outcome.rawValue) — \(r.control.verdict.detail)")
    }

    @Test("every claim pairs with at least one instance")
    func everyClaimPairs() throws {
        for c in Self.catalog.claims {
            #expect(Self.catalog.instances.contains { c.needs.test($0) }, "\(c.id) pairs with no instance in problems/")
        }
    }
}

/// Each pairing runs once per test process; both tests read the same result.
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
