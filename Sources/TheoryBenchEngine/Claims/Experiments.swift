import TheoryBenchCore


/// The parameters of (S)GD runs: the first step γ₀ and a constant bias added to every gradient
/// (0: none).
public struct SGDParameters: StepParameters, Equatable {
    public let step: Double
    public let bias: Double
    public init(step: Double, bias: Double = 0) { self.step = step; self.bias = bias }
}

/// Experiments over the core's generic methods, shared by paper families: SGD (GD with an exact
/// oracle) on an instance's oracle from its start point, measured at every
/// checkpoint.
public enum Experiments {
    /// Which oracle a run uses: the instance's, or its exact gradient whatever its oracle part.
    public enum Gradients: Sendable { case instance, exact }

    /// A non-zero `bias` adds the constant vector bias·(1, …, 1)/√d to every stochastic gradient
    /// (`BiasedOracle`).
    public static func sgd(_ name: String, _ schedule: StepSchedule, averaging: Bool = false,
                           measure: Measure, bias: Double = 0, gradients: Gradients = .instance) -> MethodSpec<SGDParameters> {
        MethodSpec(name: name + " (\(schedule))", parameters: SGDParameters(step: schedule.initial, bias: bias)) { inst, checkpoints, rng in
            let run = SGDRun(instance: inst, schedule: schedule, averaging: averaging, measure: measure, checkpoints: checkpoints)
            let oracle = gradients == .exact ? inst.exactOracle() : inst.makeOracle()
            guard bias != 0 else { return run(oracle, &rng) }
            let b = [Double](repeating: bias / Double(inst.dimension).squareRoot(), count: inst.dimension)
            return run.biased(oracle, b, &rng)
        }
    }

    struct SGDRun {
        let instance: Instance, schedule: StepSchedule, averaging: Bool, measure: Measure, checkpoints: Checkpoints

        func callAsFunction<O: GradientOracle>(_ oracle: O, _ rng: inout RandomStream) -> Trace {
            var method = SGD(oracle: oracle, schedule: schedule, start: instance.start, averaging: averaging)
            return record(&method, at: checkpoints, rng: &rng) { measure.of(instance, $0.output) }
        }

        func biased<O: GradientOracle>(_ oracle: O, _ bias: [Double], _ rng: inout RandomStream) -> Trace {
            self(BiasedOracle(oracle, bias: bias), &rng)
        }
    }
}
