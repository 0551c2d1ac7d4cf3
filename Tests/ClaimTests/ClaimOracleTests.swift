import Foundation
import Testing
import TheoryBench

/// The regression oracle: every claim × instance pairing of the registry's families on `problems/`
/// must pass, and every one of its negative controls must be detected (the claim's check fails on
/// it). The pairings come from the registry, so a new family is tested without editing this file.
/// Pairings run at oracle scale on 2 workers; results do not depend on the worker count
/// (`DeterminismTests`).
///
/// Selecting pairings: `THEORYBENCH_FILTER` is a regular expression on pairing ids
/// (`claim-id@instance-id`, as `theorybench verify --filter`); one paper family is
/// `THEORYBENCH_FILTER='^clip-adagrad\.' swift test -c release --filter Claims`. `THEORYBENCH_SALT=S`
/// runs the oracle on another deterministic set of streams.
@Suite("Claims")
struct ClaimOracleTests {
    static let catalog: Catalog = {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("problems").path
        do { return try Catalog.load(directory: dir) } catch { fatalError("problem catalog: \(error)") }
    }()

    static let filter = ProcessInfo.processInfo.environment["THEORYBENCH_FILTER"]
    /// `THEORYBENCH_SALT`: the seed salt of every run (default 0, the reference streams).
    static let salt: UInt64 = {
        guard let text = ProcessInfo.processInfo.environment["THEORYBENCH_SALT"] else { return 0 }
        guard let v = UInt64(text) else { fatalError("THEORYBENCH_SALT: '\(text)' is not a whole number in 0…2^64−1") }
        return v
    }()

    /// The pairings under test, in registry order.
    static let pairings: [String] = {
        do { return try catalog.pairings(matching: filter).map { $0.claim.pairingID($0.instance) } } catch {
            fatalError("THEORYBENCH_FILTER: '\(filter ?? "")' is not a valid regular expression")
        }
    }()

    static func evaluate(_ pairing: String) async throws -> PairingResult {
        let match = try #require(try catalog.pairings().first { $0.claim.pairingID($0.instance) == pairing })
        return try await ResultCache.shared.result(pairing) {
            try await Runner(workers: 2, scale: .oracle, salt: salt).evaluate(match.claim, on: match.instance)
        }
    }

    @Test("claim holds", arguments: pairings)
    func holds(_ pairing: String) async throws {
        let r = try await Self.evaluate(pairing)
        #expect(r.verdict.outcome == .pass, "\(pairing): \(r.verdict.outcome.rawValue) — \(r.verdict.detail)")
    }

    @Test("every control detected where it applies, and at least one applies on every pairing", arguments: pairings)
    func controlsDetected(_ pairing: String) async throws {
        let r = try await Self.evaluate(pairing)
        let applicable = r.controls.filter(\.applies).count
        #expect(applicable > 0, "\(pairing): no negative control applies on this instance")
        for c in r.controls where c.applies {
            #expect(c.detected, "\(pairing) control \(c.id): \(c.verdict.outcome.rawValue) — \(c.verdict.detail)")
        }
    }

    @Test("every control restricted to some instances (Control.only) applies on at least one instance its claim pairs with")
    func restrictedControlsApply() throws {
        let pairings = try Self.catalog.pairings()
        for claim in Self.catalog.claims {
            for (k, control) in claim.controls.enumerated() where control.condition != nil {
                let applies = pairings.contains { $0.claim.id == claim.id && $0.claim.prepared($0.instance)?.controls[k].experiment != nil }
                #expect(applies, "\(control.id) (only on: \(control.condition ?? "")) applies on no instance of problems/")
            }
        }
    }

    @Test("no verdict within the stated number of CI widths of flipping (false-alarm budget, docs/reliability.md)", arguments: pairings)
    func marginsHold(_ pairing: String) async throws {
        let r = try await Self.evaluate(pairing)
        #expect(r.closeCalls.isEmpty, "\(pairing): \(r.closeCalls.joined(separator: "; "))")
    }

    @Test("every registered claim pairs with at least one instance in problems/")
    func everyClaimPairs() throws {
        for c in Self.catalog.claims {
            #expect(Self.catalog.instances.contains { c.pairs(with: $0) }, "\(c.id) pairs with no instance in problems/")
        }
    }

    @Test("every registered paper family has claims")
    func everyFamilyHasClaims() {
        for family in registry.papers {
            #expect(!family.claims.isEmpty, "\(family.paper.key) registers no claim")
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
