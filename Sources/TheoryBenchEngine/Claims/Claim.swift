import Foundation
import TheoryBenchCore

/// A theorem as data: what is run, on which instances, what is measured, which bound is checked
/// and how, and which negative controls must make that same check fail.
///
/// A claim is written against a typed *context* `C` (what it needs of an instance: constants, parts,
/// all non-optional, resolved once by its `Requirement`) and typed method *parameters* `P` (what its
/// assumptions and bounds read off the method: a step size, a probability, …). Both are erased here,
/// so that claims of different papers sit in one catalog; nothing downstream sees `C` or `P`.
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
    /// Which instances the claim applies to (in words) and which instance parts it understands.
    public let needs: String
    public let understands: Set<PartKind>
    /// The hypotheses checked on each instance and method before running, in words.
    public let assumptions: [String]
    /// The measured quantity, as a formula ("E‖x_k − x*‖²").
    public let measured: String
    public let grid: Grid
    public let runs: RunPlan
    /// The check as displayed: formula, provenance, tolerance.
    public let check: CheckSummary
    /// The negative controls (at least one), by id and description.
    public let controls: [ControlSummary]
    /// The exact worst case of the margin over the claim's class, where known (`theorybench falsify`).
    public var worstCase: WorstCase?
    /// The reference methods drawn beside the claim's method in its figures (never judged).
    public let references: [String]
    let prepare: @Sendable (Instance) -> PreparedPairing?

    public init<C: Sendable, P: Sendable>(
        id: String, paper: Paper, theorem: String, statement: String, needs: Requirement<C>,
        assumptions: [Assumption<C, P>], method: @escaping @Sendable (C) -> MethodSpec<P>,
        measured: String, grid: Grid, runs: RunPlan, check: Check<C, P>, worstCase: WorstCase? = nil,
        references: [Reference<C>] = [], controls: Control<C, P>...
    ) {
        self.worstCase = worstCase
        self.references = references.map(\.label)
        precondition(!controls.isEmpty, "claim \(id): a claim needs at least one negative control")
        self.id = id; self.paper = paper; self.theorem = theorem; self.statement = statement
        self.needs = needs.description; understands = needs.understands
        self.assumptions = assumptions.map(\.statement)
        self.measured = measured; self.grid = grid; self.runs = runs
        self.check = CheckSummary(formula: check.formula, provenance: check.provenance, tolerance: check.tolerance,
                                  isEquality: check.isEquality, statistic: check.statistic.description,
                                  confidence: check.confidence, runScalars: check.runScalars.map(\.name))
        self.controls = controls.map { ControlSummary(id: $0.id, description: $0.description, condition: $0.condition) }
        prepare = { instance in
            guard instance.partKinds.isSubset(of: needs.understands), let context = needs.resolve(instance) else { return nil }
            func experiment(_ label: String, _ inst: Instance, _ spec: MethodSpec<P>) -> Experiment {
                let violations = assumptions.compactMap { a in a.violation(inst, context, spec.parameters).map { "\(a.statement): \($0)" } }
                // The check is the claim's, with the constants of the claim's instance (the theorem as
                // stated there); a control changes only the experiment.
                return Experiment(label: label, instance: inst, methodName: spec.name, parameters: spec.parameters,
                                  violations: violations, run: spec.run) { cps, traces in
                    Judge.verdict(check, context: context, parameters: spec.parameters, resolution: instance.resolution,
                                  checkpoints: cps, traces: traces)
                }
            }
            let spec = method(context)
            let main = experiment(id, instance, spec)
            let controlled = controls.map { c -> PreparedControl in
                guard c.applies(context) else {
                    return PreparedControl(id: c.id, description: c.description, condition: c.condition, experiment: nil)
                }
                let inst = c.instance?(instance) ?? instance
                return PreparedControl(id: c.id, description: c.description, condition: c.condition,
                                       experiment: experiment(c.id, inst, (c.method ?? method)(context)))
            }
            let drawn = references.map { ref -> PreparedReference in
                let (name, run) = ref.make(context)
                return PreparedReference(label: ref.label, experiment: experiment(ref.label, instance,
                                         MethodSpec(name: name, parameters: spec.parameters, run: run)))
            }
            return PreparedPairing(claim: main, controls: controlled, references: drawn)
        }
    }

    /// The pairing id `claim-id@instance-id` used in results and as the seed name of its runs.
    public func pairingID(_ instance: Instance) -> String { "\(id)@\(instance.id)" }

    /// True when the claim understands every part of `instance` and its requirement holds there.
    public func pairs(with instance: Instance) -> Bool { prepared(instance) != nil }

    /// The claim's experiment and its controls' on `instance`, ready to run; nil when they do not pair.
    public func prepared(_ instance: Instance) -> PreparedPairing? { prepare(instance) }
}

/// A claim's check as the report shows it.
public struct CheckSummary: Sendable {
    public let formula: String
    public let provenance: Provenance
    public let tolerance: String
    /// True for a predicted exact level (see `Reliability`).
    public let isEquality: Bool
    /// The statistic over runs the check is applied to ("mean", "(1−δ)-quantile, δ = 0.1").
    public let statistic: String
    /// The confidence of every interval the check uses.
    public let confidence: Double
    /// The per-run scalars the check reads beside the per-checkpoint values (a hitting time, …);
    /// empty when the check reads only the values at the checkpoints.
    public let runScalars: [String]
}

/// A negative control as the report shows it.
public struct ControlSummary: Sendable {
    public let id: String
    public let description: String
    /// The condition on the claim's context under which the control runs (`Control.only`); nil: on
    /// every instance the claim pairs with.
    public let condition: String?
}

/// One runnable experiment of a pairing (the claim's, or one control's): the instance it runs on,
/// the method, the violated hypotheses (empty when all hold), one run's procedure, and the judge that
/// turns the runs' traces into a verdict under the claim's check.
public struct Experiment: Sendable {
    public let label: String
    public let instance: Instance
    public let methodName: String
    /// The method's typed parameters (erased; `ExperimentExport` writes them out).
    public let parameters: any Sendable
    public let violations: [String]
    public let run: @Sendable (Instance, Checkpoints, inout RandomStream) throws -> Trace
    public let judge: @Sendable (Checkpoints, [Trace]) -> Verdict
}

/// A control of a pairing: its experiment, or nil when the control does not apply to the pairing's
/// instance (its `condition` fails there: `Control.only`).
public struct PreparedControl: Sendable {
    public let id: String
    public let description: String
    public let condition: String?
    public let experiment: Experiment?
}

/// A reference method prepared on a pairing's instance: judged by the claim's check only to draw its
/// series (its verdict is discarded).
public struct PreparedReference: Sendable {
    public let label: String
    public let experiment: Experiment
}

/// A claim paired with one instance: its own experiment, its controls' and its references'.
public struct PreparedPairing: Sendable {
    public let claim: Experiment
    public let controls: [PreparedControl]
    public let references: [PreparedReference]
}

/// A reference method drawn beside the claim's method (e.g. Adam and AMSGrad beside MicroAdam): it runs
/// on the claim's instance and streams and is measured by the claim's statistic, so the figure compares
/// like with like, but it is never judged — it is neither a claim nor a control. References run only at
/// full scale (the oracle asserts verdicts, and a reference has none).
public struct Reference<Context: Sendable>: Sendable {
    public typealias Run = @Sendable (Instance, Checkpoints, inout RandomStream) throws -> Trace
    public let label: String
    let make: @Sendable (Context) -> (name: String, run: Run)

    /// A reference running `method` (its parameters may be of any type: they enter no bound).
    public init<Q: Sendable>(_ label: String, _ method: @escaping @Sendable (Context) -> MethodSpec<Q>) {
        self.label = label
        make = { c in let m = method(c); return (m.name, m.run) }
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

/// What a claim needs of an instance: the parts it understands (an instance with any other part
/// never pairs), and how to resolve the typed context its method, assumptions and bounds read (nil:
/// the instance does not qualify). Every constant a claim uses is a non-optional field of its
/// context, so no claim unwraps an optional.
public struct Requirement<Context: Sendable>: Sendable {
    public let description: String
    public let understands: Set<PartKind>
    public let resolve: @Sendable (Instance) -> Context?

    public init(_ description: String, understands: Set<PartKind> = [], _ resolve: @escaping @Sendable (Instance) -> Context?) {
        self.description = description; self.understands = understands; self.resolve = resolve
    }

    /// The same context, on the instances where `condition` also holds.
    public func and(_ description: String, _ condition: @escaping @Sendable (Context) -> Bool) -> Requirement<Context> {
        let r = resolve
        return Requirement("\(self.description); \(description)", understands: understands) { i in
            r(i).flatMap { condition($0) ? $0 : nil }
        }
    }
}

/// A hypothesis of the theorem, checked on the instance an experiment runs on (a control may have
/// changed it), the claim's context and the method's parameters.
public struct Assumption<Context: Sendable, Parameters: Sendable>: Sendable {
    public let statement: String
    /// nil when the hypothesis holds; otherwise why it does not.
    public let violation: @Sendable (Instance, Context, Parameters) -> String?

    /// A hypothesis on the claim's constants and the method's parameters.
    public init(_ statement: String, violation: @escaping @Sendable (Context, Parameters) -> String?) {
        self.statement = statement; self.violation = { _, c, p in violation(c, p) }
    }

    init(statement: String, full: @escaping @Sendable (Instance, Context, Parameters) -> String?) {
        self.statement = statement; violation = full
    }

    /// A hypothesis on the instance the experiment runs on (its noise, say) and the parameters.
    public static func onInstance(_ statement: String, _ violation: @escaping @Sendable (Instance, Parameters) -> String?) -> Assumption {
        Assumption(statement: statement) { i, _, p in violation(i, p) }
    }
}

/// A configured method ready to run on an instance: its display name, its typed parameters (for
/// assumptions and bounds) and the procedure producing one run's trace.
public struct MethodSpec<Parameters: Sendable>: Sendable {
    public let name: String
    public let parameters: Parameters
    public let run: @Sendable (Instance, Checkpoints, inout RandomStream) throws -> Trace

    public init(name: String, parameters: Parameters,
                run: @escaping @Sendable (Instance, Checkpoints, inout RandomStream) throws -> Trace) {
        self.name = name; self.parameters = parameters; self.run = run
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
/// the oracle asserts that the claim's own check fails on it. The check keeps the context of the
/// claim's instance (e.g. an exponent read from its tail index): a control changes the experiment,
/// never the statement it is judged against. A method control is built from that same context.
///
/// A control can be restricted to the instances where it can have power (`only`): a bug that only
/// shows on curved instances cannot fail the check on a flat one. Elsewhere it is not run and its
/// result is "not applicable here: <condition>" (neither detected nor missed); where it applies, the
/// oracle requires its detection like any other control's.
public struct Control<Context: Sendable, Parameters: Sendable>: Sendable {
    public let id: String
    /// What was changed and which hypothesis that breaks.
    public let description: String
    public let method: (@Sendable (Context) -> MethodSpec<Parameters>)?
    public let instance: (@Sendable (Instance) -> Instance)?
    /// Where the control applies, in words (nil: on every instance the claim pairs with).
    public let condition: String?
    /// True on the contexts where the control runs; the method is built only there.
    public let applies: @Sendable (Context) -> Bool

    init(id: String, description: String, method: (@Sendable (Context) -> MethodSpec<Parameters>)?,
         instance: (@Sendable (Instance) -> Instance)?, condition: String? = nil,
         applies: @escaping @Sendable (Context) -> Bool = { _ in true }) {
        self.id = id; self.description = description; self.method = method; self.instance = instance
        self.condition = condition; self.applies = applies
    }

    /// A control that swaps the method.
    public static func method(_ id: String, _ description: String,
                              _ method: @escaping @Sendable (Context) -> MethodSpec<Parameters>) -> Control {
        Control(id: id, description: description, method: method, instance: nil)
    }

    /// A control that changes the instance (the claim's method runs on the changed instance).
    public static func instance(_ id: String, _ description: String,
                                _ change: @escaping @Sendable (Instance) -> Instance) -> Control {
        Control(id: id, description: description, method: nil, instance: change)
    }

    /// The same control, run only on the instances whose context satisfies `condition` (stated in
    /// words: "curved instances (κ ≠ 0)"); on the others it is "not applicable here: <condition>".
    /// Conditions combine: both must hold.
    public func only(_ condition: String, _ holds: @escaping @Sendable (Context) -> Bool) -> Control {
        let before = applies
        return Control(id: id, description: description, method: method, instance: instance,
                       condition: self.condition.map { "\($0); \(condition)" } ?? condition,
                       applies: { before($0) && holds($0) })
    }
}
