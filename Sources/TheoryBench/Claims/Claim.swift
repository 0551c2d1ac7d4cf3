/// A theorem as data: what is run, on which instances, what is measured, which bound is checked
/// and how, and which negative controls must make that same check fail.
///
/// Claims know nothing of rendering; the runner turns a claim × instance pairing into a `Verdict`,
/// and tests and reports are views of the same verdicts.
public struct Claim: Sendable, Identifiable {
    /// Stable, lowercase, dotted: `<paper-key>.<claim>`.
    public let id: String
    public let paper: Paper
    /// "Theorem 3.1", "Corollary 2", …
    public let theorem: String
    /// The statement in words, with the bound's formula.
    public let statement: String
    /// Which instances the claim applies to.
    public let needs: Requirement
    /// Hypotheses checked against each instance and method before running.
    public let assumptions: [Assumption]
    public let method: @Sendable (Instance) -> MethodSpec
    /// The measured quantity, as a formula ("E‖x_k − x*‖²").
    public let measured: String
    public let grid: Grid
    public let runs: RunPlan
    public let check: Check
    /// The negative controls (at least one): each must make `check` fail.
    public let controls: [Control]

    public init(id: String, paper: Paper, theorem: String, statement: String, needs: Requirement,
                assumptions: [Assumption], method: @escaping @Sendable (Instance) -> MethodSpec,
                measured: String, grid: Grid, runs: RunPlan, check: Check, controls: Control...) {
        precondition(!controls.isEmpty, "claim \(id): a claim needs at least one negative control")
        self.id = id; self.paper = paper; self.theorem = theorem; self.statement = statement
        self.needs = needs; self.assumptions = assumptions; self.method = method
        self.measured = measured; self.grid = grid; self.runs = runs; self.check = check; self.controls = controls
    }

    /// The pairing id `claim-id@instance-id` used in results and as the seed name of its runs.
    public func pairingID(_ instance: Instance) -> String { "\(id)@\(instance.id)" }

    /// The violated hypotheses of running `spec` on `instance` (empty when all hold).
    public func violations(_ instance: Instance, _ spec: MethodSpec) -> [String] {
        assumptions.compactMap { a in a.violation(instance, spec).map { "\(a.statement): \($0)" } }
    }
}

/// Where a claim comes from.
public struct Paper: Sendable, Equatable, Codable {
    /// The key used in claim ids ("baseline", "clip-adagrad", …).
    public let key: String
    /// `arXiv:NNNN.NNNNN`, or a citation key for classical results.
    public let reference: String
    public let title: String

    public init(key: String, reference: String, title: String) {
        self.key = key; self.reference = reference; self.title = title
    }
}

/// How far a bound can be trusted (shown in the report next to every bound).
public enum Provenance: Sendable, Equatable {
    /// The paper's theorem and equation, constants as printed.
    case paper(String)
    /// A textbook result, cited.
    case classical(String)
    /// Derived in this project; the derivation is in the claim's doc comment (summarized here).
    case derived(String)
    /// The paper gives the rate but no constant: only a slope is checked.
    case orderOnly(String)

    public var kind: String {
        switch self {
        case .paper: return "paper"
        case .classical: return "classical"
        case .derived: return "derived"
        case .orderOnly: return "order"
        }
    }

    public var detail: String {
        switch self {
        case .paper(let s), .classical(let s), .derived(let s), .orderOnly(let s): return s
        }
    }
}

/// The set of instances a claim pairs with.
public struct Requirement: Sendable {
    public let description: String
    public let test: @Sendable (Instance) -> Bool
    public init(_ description: String, _ test: @escaping @Sendable (Instance) -> Bool) {
        self.description = description; self.test = test
    }
}

/// A hypothesis of the theorem, checked on the instance and the method's parameters.
public struct Assumption: Sendable {
    public let statement: String
    /// nil when the hypothesis holds; otherwise why it does not.
    public let violation: @Sendable (Instance, MethodSpec) -> String?
    public init(_ statement: String, violation: @escaping @Sendable (Instance, MethodSpec) -> String?) {
        self.statement = statement; self.violation = violation
    }
}

/// A configured method ready to run on an instance: its display name, its parameters (for
/// assumptions and the report) and the procedure producing one run's trace.
public struct MethodSpec: Sendable {
    public let name: String
    public let parameters: [String: Double]
    public let run: @Sendable (Instance, Checkpoints, inout RandomStream) throws -> Trace

    public init(name: String, parameters: [String: Double] = [:],
                run: @escaping @Sendable (Instance, Checkpoints, inout RandomStream) throws -> Trace) {
        self.name = name; self.parameters = parameters; self.run = run
    }

    public func parameter(_ key: String) -> Double {
        guard let v = parameters[key] else { preconditionFailure("method \(name) has no parameter \(key)") }
        return v
    }
}

/// The iterations at which runs are measured, from the instance's horizon K.
public struct Grid: Sendable {
    public enum Spacing: Sendable { case logarithmic, linear }
    public let spacing: Spacing
    public let points: Int
    /// The last measured iteration for an instance (default: the instance's horizon K).
    public let horizon: @Sendable (Instance) -> Int

    public init(_ spacing: Spacing, points: Int, horizon: @escaping @Sendable (Instance) -> Int = { $0.budget.iterations }) {
        self.spacing = spacing; self.points = points; self.horizon = horizon
    }

    /// 0 and about `points` iterations spread geometrically over 1…K.
    public static func logarithmic(points: Int) -> Grid { Grid(.logarithmic, points: points) }
    /// `points` + 1 iterations evenly spaced over 0…K.
    public static func linear(points: Int) -> Grid { Grid(.linear, points: points) }
    /// `points` + 1 iterations evenly spaced over 0…min(K, cap): for claims whose bound leaves the
    /// floating-point range of the measured quantity before the instance's horizon K.
    public static func linearCapped(points: Int, cap: Int) -> Grid {
        Grid(.linear, points: points) { min($0.budget.iterations, cap) }
    }

    public func checkpoints(for instance: Instance) -> Checkpoints {
        let K = max(1, horizon(instance))
        switch spacing {
        case .logarithmic: return .logarithmic(horizon: K, points: points)
        case .linear: return .linear(horizon: K, points: min(points, K))
        }
    }
}

/// How many runs a pairing uses: `oracle` in `swift test`; in reports `full` when given (e.g. 1 for
/// a deterministic method), else the instance's budget (at least `oracle`). Claims whose statistic
/// needs many runs (far quantiles) say so here.
public struct RunPlan: Sendable, Equatable {
    public let oracle: Int
    public let full: Int?
    public init(oracle: Int, full: Int? = nil) { self.oracle = oracle; self.full = full }

    /// One run at every scale: the method and oracle are deterministic.
    public static let deterministic = RunPlan(oracle: 1, full: 1)

    public func runs(_ scale: Scale, _ instance: Instance) -> Int {
        scale == .oracle ? oracle : (full ?? max(oracle, instance.budget.runs))
    }
}

/// Oracle scale (the regression tests) or full scale (the report).
public enum Scale: String, Sendable, Codable { case oracle, full }

/// A negative control: the claim's experiment with the method or the instance changed so that a
/// hypothesis of the theorem fails. It always runs (even though its assumptions are flagged), and
/// the oracle asserts that the claim's own check fails on it. The check keeps the constants of the
/// claim's instance (e.g. an exponent read from its tail index): a control changes the experiment,
/// never the statement it is judged against.
public struct Control: Sendable {
    public let id: String
    /// What was changed and which hypothesis that breaks.
    public let description: String
    public let method: (@Sendable (Instance) -> MethodSpec)?
    public let instance: (@Sendable (Instance) -> Instance)?

    /// A control that swaps the method.
    public static func method(_ id: String, _ description: String,
                              _ method: @escaping @Sendable (Instance) -> MethodSpec) -> Control {
        Control(id: id, description: description, method: method, instance: nil)
    }

    /// A control that changes the instance.
    public static func instance(_ id: String, _ description: String,
                                _ change: @escaping @Sendable (Instance) -> Instance) -> Control {
        Control(id: id, description: description, method: nil, instance: change)
    }
}
