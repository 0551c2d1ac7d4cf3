/// An exact curve that describes an instance (not a measurement): e.g. the whole (L0, L1) trade-off
/// curve of an (L0, L1)-smooth polynomial, of which the instance uses one point. Reports draw it in
/// figures across instances (`OverviewFigure.Series.illustration`), so a reader sees where each
/// instance sits on it.
public struct Illustration: Sendable, Codable, Equatable {
    /// The key a figure asks for ("l0-l1-curve").
    public let name: String
    /// The legend entry (the object it describes, e.g. the polynomial).
    public let label: String
    public let x: [Double]
    public let y: [Double]

    public init(name: String, label: String, x: [Double], y: [Double]) {
        precondition(x.count == y.count, "illustration \(name): x and y differ in length")
        self.name = name; self.label = label; self.x = x; self.y = y
    }
}

/// An objective that carries exact curves describing it (its `Illustration`s).
public protocol IllustratedObjective: Objective {
    var illustrations: [Illustration] { get }
}
