import TheoryBenchCore

/// A per-run scalar of a trace (a hitting time, oracle calls to reach a level), typed so that a
/// check and the experiment producing it name the same value.
public struct RunScalar: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    /// τ = min{k : the run is within the target}, +∞ when not reached by the horizon (`HittingTime`).
    public static let hittingTime = RunScalar("hitting time")
    /// The fraction of iterations whose gradient was clipped.
    public static let clippedFraction = RunScalar("clipped fraction")
}

/// The problem-side quantities a measurement reads at a point, each in the problem's own geometry
/// (Euclidean: ‖x − x*‖², ∇f; on a manifold: d²(x, x*), grad f and the metric).
public protocol MeasurementGeometry: Sendable {
    /// f(x) − f*.
    func suboptimality(_ x: [Double]) -> Double
    /// d²(x, x*).
    func distanceSquaredToOptimum(_ x: [Double]) -> Double
    /// ‖grad f(x)‖²_x; `scratch` has the point's storage size (no allocation per call).
    func gradientNormSquared(_ x: [Double], scratch: inout [Double]) -> Double
}

extension Instance: MeasurementGeometry {
    public func gradientNormSquared(_ x: [Double], scratch: inout [Double]) -> Double {
        problem.gradient(x, into: &scratch)
        return Vec.normSquared(scratch)
    }
}

/// What a claim measures at each checkpoint of a run.
public enum Measure: Sendable {
    /// f(x_k) − f*.
    case suboptimality
    /// d²(x_k, x*) (‖x_k − x*‖² in ℝ^d).
    case distanceSquared
    /// d²(x_k, x*) + weight·d²(w_k, x*), w_k the method's reference point (x_k if it has none).
    case lyapunov(weight: Double)
    /// (1/k) Σ_{j<k} ‖grad f(x_j)‖² (k = 0: ‖grad f(x₀)‖²), from a `PathAverage` observer.
    case averageGradientNormSquared

    /// The measure at the point `x` with reference point `w`; `average` is the path average (read
    /// only by `averageGradientNormSquared`).
    @inlinable
    public func of(_ g: some MeasurementGeometry, _ x: [Double], reference w: [Double]? = nil, average: Double = .nan) -> Double {
        switch self {
        case .suboptimality: return g.suboptimality(x)
        case .distanceSquared: return g.distanceSquaredToOptimum(x)
        case .lyapunov(let weight): return g.distanceSquaredToOptimum(x) + weight * g.distanceSquaredToOptimum(w ?? x)
        case .averageGradientNormSquared: return average
        }
    }

    /// True when the measure needs the path average of ‖grad f‖² (a `PathAverage` observer).
    public var needsPathAverage: Bool {
        if case .averageGradientNormSquared = self { return true }
        return false
    }
}

/// Watches one run step by step, for what the method's current state does not hold: the first time
/// it reached a target, an average along its path. One protocol for every such measurement; a method
/// knows nothing of it (`Observed` drives both).
public protocol RunObserver: Sendable {
    associatedtype Method: IterativeMethod
    /// Sees the state after `k` iterations (k = 0: the start; then after every step).
    mutating func observe(_ method: Method, iterations k: Int)
    /// False once the observed quantity has left the finite range.
    var isFinite: Bool { get }
    /// The per-run scalars it contributes to the trace.
    var scalars: [RunScalar: Double] { get }
}

extension RunObserver {
    public var isFinite: Bool { true }
    public var scalars: [RunScalar: Double] { [:] }
}

/// A method with an observer: steps the method, then shows the new state to the observer.
public struct Observed<O: RunObserver>: IterativeMethod {
    public var method: O.Method
    public var observer: O

    @inlinable
    public init(_ method: O.Method, _ observer: O) {
        self.method = method; self.observer = observer
        self.observer.observe(method, iterations: 0)
    }

    @inlinable @inline(__always)
    public mutating func step(_ k: Int, rng: inout RandomStream) {
        method.step(k, rng: &rng)
        observer.observe(method, iterations: k + 1)
    }

    @inlinable public var isFinite: Bool { method.isFinite && observer.isFinite }
    @inlinable public var point: [Double] { method.point }
    @inlinable public var oracleCalls: Double? { method.oracleCalls }
}

/// The hitting time τ = min{k ≥ 0 : d²(x_k, x*) ≤ r²} (scalar `.hittingTime`, +∞ if never by the
/// horizon); r² < 0 disables it. `distanceSquared` reads the distance off the method's state.
public struct HittingTime<Method: IterativeMethod>: RunObserver {
    public let radiusSquared: Double
    public let distanceSquared: @Sendable (Method) -> Double
    @usableFromInline var _hit: Int?
    public var hit: Int? { _hit }

    public init(radiusSquared: Double, distanceSquared: @escaping @Sendable (Method) -> Double) {
        self.radiusSquared = radiusSquared; self.distanceSquared = distanceSquared
    }

    @inlinable @inline(__always)
    public mutating func observe(_ method: Method, iterations k: Int) {
        if _hit == nil && radiusSquared >= 0 && distanceSquared(method) <= radiusSquared { _hit = k }
    }

    public var scalars: [RunScalar: Double] {
        radiusSquared >= 0 ? [.hittingTime: hit.map(Double.init) ?? .infinity] : [:]
    }
}

/// The path average (1/k) Σ_{j<k} ‖grad f(x_j)‖² of exact gradient norms (measurement only: the
/// method sees its own oracle), summed in the order j = 0, 1, …; after 0 iterations it is
/// ‖grad f(x₀)‖².
public struct PathAverage<Method: IterativeMethod, Geometry: MeasurementGeometry>: RunObserver {
    public let geometry: Geometry
    public let position: @Sendable (Method) -> [Double]
    @usableFromInline var _sum = 0.0
    public var sum: Double { _sum }
    @usableFromInline var latest = 0.0, steps = 0
    @usableFromInline var scratch: [Double]

    public init(_ geometry: Geometry, storage: Int, position: @escaping @Sendable (Method) -> [Double]) {
        self.geometry = geometry; self.position = position
        scratch = [Double](repeating: 0, count: storage)
    }

    @inlinable
    public mutating func observe(_ method: Method, iterations k: Int) {
        if k > 0 { _sum += latest; steps = k }
        latest = geometry.gradientNormSquared(position(method), scratch: &scratch)
    }

    @inlinable public var average: Double { steps == 0 ? latest : _sum / Double(steps) }
    @inlinable public var isFinite: Bool { _sum.isFinite }
}
