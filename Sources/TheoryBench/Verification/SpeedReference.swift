/// The workload of `../shared/perf/numpy_sgd_gauss.py`, for speed comparisons (benchmarks and
/// `theorybench speed`): SGD with γ = 0.05 on the diagonal quadratic with eigenvalues evenly spaced in
/// [1, 10], x₀ = (1, …, 1), additive N(0, 1) noise per coordinate, R independent runs of K steps.
public enum SpeedReference {
    public static func problem(dimension d: Int) -> Quadratic {
        Quadratic(spectrum: Quadratic.linearSpectrum(dimension: d, min: 1, max: 10), rotationSeed: nil,
                  xStar: [Double](repeating: 0, count: d))
    }

    public static func method(seed: UInt64, dimension d: Int = 100) -> SGD<AdditiveNoiseOracle<Quadratic>> {
        let q = problem(dimension: d)
        let noise = Noise(law: .gaussian, scale: 1, geometry: .perCoordinate, dimension: d)
        return SGD(oracle: AdditiveNoiseOracle(q, noise: noise), schedule: .constant(0.05),
                   start: [Double](repeating: 1, count: d))
    }

    /// Runs R × K steps on all cores (run r seeded by `RandomStream(name: "speed", run: r)`) and
    /// returns the mean final f(x_K), which the NumPy script also prints.
    public static func experiment(runs: Int, dimension d: Int, steps: Int, workers: Int = 2) async -> Double {
        let q = problem(dimension: d)
        let finals = await withTaskGroup(of: Double.self) { group in
            for w in 0..<workers {
                group.addTask {
                    var total = 0.0
                    for r in stride(from: w, to: runs, by: workers) {
                        var rng = RandomStream(name: "speed", run: r)
                        var m = method(seed: UInt64(r), dimension: d)
                        for k in 0..<steps { m.step(k, rng: &rng) }
                        total += q.value(m.x)
                    }
                    return total
                }
            }
            return await group.reduce(0, +)
        }
        return finals / Double(runs)
    }
}
