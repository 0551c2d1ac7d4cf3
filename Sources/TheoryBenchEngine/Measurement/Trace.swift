import TheoryBenchCore
import Foundation

/// The iterations at which a run is measured: sorted, distinct, starting at 0.
public struct Checkpoints: Sendable, Equatable {
    public let iterations: [Int]

    public init(_ iterations: [Int]) {
        let sorted = Array(Set(iterations)).sorted()
        precondition(sorted.first.map { $0 >= 0 } ?? false, "checkpoints must be non-negative and non-empty")
        self.iterations = sorted
    }

    /// 0 and about `points` iterations spread geometrically over 1…K (for log-log plots and slopes).
    public static func logarithmic(horizon K: Int, points: Int = 40) -> Checkpoints {
        let grid = (0..<points).map { i in Int((pow(Double(K), Double(i) / Double(points - 1))).rounded()) }
        return Checkpoints([0] + grid + [K])
    }

    /// `points` + 1 iterations evenly spaced over 0…K (for semilog plots and linear rates).
    public static func linear(horizon K: Int, points: Int = 40) -> Checkpoints {
        Checkpoints((0...points).map { K * $0 / points })
    }

    public var horizon: Int { iterations.last! }
    public var count: Int { iterations.count }
}

/// One run's measured values, one per checkpoint. A run that leaves the finite range stops; its
/// remaining values are +∞ and `divergedAt` records the iteration.
public struct Trace: Sendable, Equatable {
    public var values: [Double]
    public var divergedAt: Int?
    /// Extra per-run scalars (a hitting time, a count of oracle calls).
    public var scalars: [RunScalar: Double]
    /// Gradient-oracle calls made by each checkpoint, when the method counts them.
    public var oracleCalls: [Double]?
    /// Set when the run left the region where the claim's constants hold (a hypothesis checked at
    /// run time, e.g. iterates inside a certified ball): the judge then returns "assumption violated".
    public var regionViolation: String?

    public init(values: [Double], divergedAt: Int? = nil, scalars: [RunScalar: Double] = [:], oracleCalls: [Double]? = nil,
                regionViolation: String? = nil) {
        self.values = values; self.divergedAt = divergedAt; self.scalars = scalars; self.oracleCalls = oracleCalls
        self.regionViolation = regionViolation
    }
}

/// Runs `method` to the last checkpoint, calling `measure` at each checkpoint (k = number of
/// iterations done). Stops at the first non-finite state or measurement.
@inlinable
public func record<M: IterativeMethod>(
    _ method: inout M, at checkpoints: Checkpoints, rng: inout RandomStream,
    measure: (M) -> Double
) -> Trace {
    var values = [Double]()
    values.reserveCapacity(checkpoints.count)
    var calls: [Double]? = method.oracleCalls == nil ? nil : []
    var k = 0
    for target in checkpoints.iterations {
        while k < target {
            method.step(k, rng: &rng)
            k += 1
        }
        let v = method.isFinite ? measure(method) : .nan
        IterateCapture.sink?.append(iteration: k, value: v, point: method.point)
        guard v.isFinite, abs(v) < 1e150 else {
            values += Array(repeating: .infinity, count: checkpoints.count - values.count)
            return Trace(values: values, divergedAt: k)
        }
        values.append(v)
        if let c = method.oracleCalls { calls?.append(c) }
    }
    return Trace(values: values, oracleCalls: calls)
}

/// Where `record` copies each checkpoint's point and value when a sink is bound (only for
/// `theorybench trace`; unbound in normal runs, so it costs one task-local read per checkpoint).
public enum IterateCapture {
    @TaskLocal public static var sink: IterateSink?
}

/// Collects (iteration, measured value, point) rows of one run.
public final class IterateSink: @unchecked Sendable {
    private let lock = NSLock()
    private var storage = [(iteration: Int, value: Double, point: [Double])]()
    public init() {}

    public func append(iteration: Int, value: Double, point: [Double]) {
        lock.lock(); storage.append((iteration, value, point)); lock.unlock()
    }

    public var rows: [(iteration: Int, value: Double, point: [Double])] {
        lock.lock(); defer { lock.unlock() }
        return storage
    }

    /// CSV with a header `k,value,x1,…,xd`: iteration, the claim's per-run measured value, the point.
    public func csv() -> String {
        let width = rows.map(\.point.count).max() ?? 0
        var s = "k,value" + (width > 0 ? "," + (1...width).map { "x\($0)" }.joined(separator: ",") : "") + "\n"
        for r in rows {
            s += "\(r.iteration),\(r.value)" + r.point.map { ",\($0)" }.joined() + "\n"
        }
        return s
    }
}
