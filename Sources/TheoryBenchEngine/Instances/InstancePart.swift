import Foundation
import TheoryBenchCore

/// The kind of a structural part of an instance ("noise", "minibatch", "manifold", …). A claim pairs
/// with an instance only when it understands every kind of part the instance carries, so a new kind
/// of structure (a constraint set, a Markov chain) never slips into a claim written without it.
public struct PartKind: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String
    public init(_ name: String) { self.name = name }
    public init(stringLiteral name: String) { self.name = name }
    public var description: String { name }
    public static func < (a: PartKind, b: PartKind) -> Bool { a.name < b.name }
}

/// A typed piece of an instance's structure beyond its objective: how gradients are observed, the
/// manifold it lives on, a constraint set, … Each part reports the exact constants it brings.
public protocol InstancePart: Sendable, CustomStringConvertible {
    static var kind: PartKind { get }
    /// The exact constants this part contributes to a pairing's reported constants, by name.
    func reportedConstants(of instance: Instance) -> [String: Double]
}

extension InstancePart {
    public func reportedConstants(of instance: Instance) -> [String: Double] { [:] }
    public var kind: PartKind { Self.kind }
}

/// A part that decides how a Euclidean method observes gradients (at most one per instance; without
/// one the oracle is the exact gradient).
public protocol OraclePart: InstancePart {
    /// The stochastic gradient oracle on `problem`.
    func makeOracle<P: Objective>(for problem: P) -> any GradientOracle
    /// σ² = E‖g(x) − ∇f(x)‖² in closed form (at x* when it depends on x); nil when unknown.
    func variance(of problem: any Objective) -> Double?
}

extension OraclePart {
    public func reportedConstants(of instance: Instance) -> [String: Double] {
        variance(of: instance.problem).map { ["sigma^2": $0] } ?? [:]
    }
}

/// The schema of one optional top-level key of an instance file that becomes a part: its key, its
/// documentation (for `problems/README.md`) and its reader. Registered by the engine (noise, batch)
/// or by a paper family.
public struct PartSchema: Sendable {
    public let key: String
    public let kind: PartKind
    /// One paragraph: the key's sub-keys, their meaning and their defaults.
    public let documentation: String
    /// Reads the key (present in `f`) into a part; `problem` is the instance's objective, already read.
    public let read: @Sendable (_ f: inout Fields, _ problem: any Objective, _ dir: String) throws -> any InstancePart
    /// The parameters a falsification search may vary around a given part of this kind (nil: the
    /// part is kept as it is).
    public let space: (@Sendable (any InstancePart) -> InstanceSpace?)?

    public init(key: String, kind: PartKind, documentation: String,
                space: (@Sendable (any InstancePart) -> InstanceSpace?)? = nil,
                read: @escaping @Sendable (_ f: inout Fields, _ problem: any Objective, _ dir: String) throws -> any InstancePart) {
        self.key = key; self.kind = kind; self.documentation = documentation; self.space = space; self.read = read
    }
}

/// What a problem family reads from an instance file: the objective, the parts that come with it
/// (a Riemannian family adds its manifold), and how to place a start at a distance from x* when the
/// Euclidean rule (x* + r·u) is not the right one.
public struct ProblemReading: Sendable {
    public var problem: any Objective
    public var parts: [any InstancePart]
    /// The start at distance r (geodesic on a manifold) from x*, direction from the instance seed.
    public var startAtDistance: (@Sendable (Double) throws -> [Double])?

    public init(_ problem: any Objective, parts: [any InstancePart] = [],
                startAtDistance: (@Sendable (Double) throws -> [Double])? = nil) {
        self.problem = problem; self.parts = parts; self.startAtDistance = startAtDistance
    }
}

/// A problem family an instance file names with `family:`: its name, the keys it reads (documented
/// for `problems/README.md`), and its reader with validation. One self-describing value per family.
public struct ProblemFamily: Sendable {
    public let name: String
    public let documentation: String
    public let read: @Sendable (_ f: inout Fields, _ dir: String, _ seed: UInt64) throws -> ProblemReading
    /// The family's parameter space for falsification searches (nil: not searchable yet).
    public let space: InstanceSpace?

    public init(name: String, documentation: String, space: InstanceSpace? = nil,
                read: @escaping @Sendable (_ f: inout Fields, _ dir: String, _ seed: UInt64) throws -> ProblemReading) {
        self.name = name; self.documentation = documentation; self.space = space; self.read = read
    }
}

/// A region of a family's (or part's) parameters that a search explores: `coordinates` numbers in
/// [0, 1] map to the YAML values of its keys. Every point becomes the text of an instance file and is
/// read by the same `InstanceFile.parse` as a file in `problems/`, so it passes the same validation.
public struct InstanceSpace: Sendable {
    /// The region in words (for the report and `falsify`).
    public let description: String
    public let coordinates: Int
    /// Top-level YAML keys and their (flow-style) values at a point of [0, 1]^coordinates, given the
    /// keys the spaces before this one rendered (the family's first, then the earlier parts'): a part
    /// whose values depend on the objective's — a per-coordinate vector needs its dimension — reads
    /// them (see `dimension(in:)`).
    public let renderAfter: @Sendable ([Double], _ before: [(key: String, value: String)]) -> [(key: String, value: String)]

    public init(_ description: String, coordinates: Int, render: @escaping @Sendable ([Double]) -> [(key: String, value: String)]) {
        self.init(description, coordinates: coordinates, after: { u, _ in render(u) })
    }

    /// A space whose keys depend on those rendered before it.
    public init(_ description: String, coordinates: Int,
                after: @escaping @Sendable ([Double], _ before: [(key: String, value: String)]) -> [(key: String, value: String)]) {
        self.description = description; self.coordinates = coordinates; renderAfter = after
    }

    /// The keys at `u`, given the keys rendered before (none by default).
    public func render(_ u: [Double], after before: [(key: String, value: String)] = []) -> [(key: String, value: String)] {
        renderAfter(u, before)
    }

    /// A number written so that reading it back gives the same double.
    public static func exact(_ x: Double) -> String { String(format: "%.17g", x) }
    public static func list(_ xs: [Double]) -> String { "[" + xs.map(exact).joined(separator: ", ") + "]" }

    /// lo·(hi/lo)^u: log-uniform in [lo, hi] for u uniform in [0, 1].
    public static func logUniform(_ u: Double, _ lo: Double, _ hi: Double) -> Double { lo * pow(hi / lo, u) }
    /// An integer in {lo, …, hi}, each with the same share of [0, 1].
    public static func integer(_ u: Double, _ lo: Int, _ hi: Int) -> Int { lo + min(hi - lo, max(0, Int(u * Double(hi - lo + 1)))) }

    /// The dimension stated by rendered keys: the length of a `start` or `eigenvalues` list, or a
    /// `dimension` number; nil when none is there.
    public static func dimension(in keys: [(key: String, value: String)]) -> Int? {
        for name in ["start", "eigenvalues"] {
            if let v = keys.first(where: { $0.key == name })?.value.trimmingCharacters(in: .whitespaces),
               v.hasPrefix("["), v.hasSuffix("]") {
                let inner = v.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                return inner.isEmpty ? 0 : inner.split(separator: ",").count
            }
        }
        return keys.first(where: { $0.key == "dimension" }).flatMap { Int($0.value.trimmingCharacters(in: .whitespaces)) }
    }
}
