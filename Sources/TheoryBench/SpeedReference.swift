import TheoryBenchCore
import TheoryBenchEngine
/// The workloads of `scripts/perf/` (the NumPy reference loops) for side-by-side speed ratios (`theorybench speed`, Benchmarks/):
/// R independent runs of K steps on the diagonal quadratic with eigenvalues evenly spaced in [1, 10],
/// x₀ = (1, …, 1), per-coordinate noise.
/// - `sgdGauss` (numpy_sgd_gauss.py): SGD, γ = 0.05, N(0, 1) noise.
/// - `clipAdaGradNorm` (numpy_clip_adagrad_norm.py): clipped AdaGrad-Norm, γ = 0.1, λ = 1, b₀ = 1,
///   noise ±(U^{−1/1.5} − 1) (symmetric Lomax, tail 1.5 — the script's "Pareto").
/// - `topKErrorFeedback` (numpy_topk_ef.py): Top-k (k = d/100) with error feedback, one fixed Gaussian
///   g per run (`TopKSpeed.swift`).
public enum SpeedReference: String, CaseIterable, Sendable {
    case sgdGauss = "sgd-gauss"
    case clipAdaGradNorm = "clip-adagrad-norm"
    case topKErrorFeedback = "topk-ef"

    public static func problem(dimension d: Int) -> Quadratic {
        Quadratic(spectrum: Quadratic.linearSpectrum(dimension: d, min: 1, max: 10), rotationSeed: nil,
                  xStar: [Double](repeating: 0, count: d))
    }

    /// SGD of the `sgdGauss` workload.
    public static func method(dimension d: Int = 100) -> SGD<AdditiveNoiseOracle<Quadratic>> {
        let noise = Noise(law: .gaussian, scale: 1, geometry: .perCoordinate, dimension: d)
        return SGD(oracle: AdditiveNoiseOracle(problem(dimension: d), noise: noise), schedule: .constant(0.05),
                   start: [Double](repeating: 1, count: d))
    }

    /// Clipped AdaGrad-Norm of the `clipAdaGradNorm` workload.
    public static func clippedMethod(dimension d: Int = 100) -> NormAdaptive<AdditiveNoiseOracle<Quadratic>> {
        let noise = Noise(law: .symmetricLomax(tail: 1.5), scale: 1, geometry: .perCoordinate, dimension: d)
        return NormAdaptive(oracle: AdditiveNoiseOracle(problem(dimension: d), noise: noise),
                            rule: .adaGradNorm(delayed: false, clip: 1, gamma: 0.1, b0: 1),
                            start: [Double](repeating: 1, count: d))
    }

    /// Builds the samplers' lazily initialized tables (the Gaussian ziggurats'), so that a timing
    /// started after it counts the loop only, as the NumPy scripts' timings do (their generators and
    /// arrays are made before the clock starts).
    public static func prepare() {
        _ = LaneZiggurat.tables
        _ = Ziggurat.tables
    }

    /// Runs R × K steps over `workers` tasks (run r seeded by `RandomStream(name: "speed", run: r)`)
    /// and returns the final values f(x_K) in run order (the scripts print their mean or 0.99-quantile).
    /// Each run starts from a copy of one method value, so set-up (noise tables) is paid once.
    public func run(runs: Int, dimension d: Int, steps: Int, workers: Int = 2) async -> [Double] {
        switch self {
        case .sgdGauss: return await Self.run(Self.method(dimension: d), runs, steps, workers) { $0.x }
        case .clipAdaGradNorm: return await Self.run(Self.clippedMethod(dimension: d), runs, steps, workers) { $0.x }
        case .topKErrorFeedback: return (0..<runs).map { Self.topKErrorFeedback(dimension: d, steps: steps, run: $0) }
        }
    }

    static func run<M: IterativeMethod & Sendable>(_ template: M, _ runs: Int, _ steps: Int, _ workers: Int,
                                                   _ point: @escaping @Sendable (M) -> [Double]) async -> [Double] {
        let q = problem(dimension: point(template).count)
        let parts = await withTaskGroup(of: (Int, [Double]).self) { group in
            for w in 0..<workers {
                group.addTask {
                    var out = [Double]()
                    for r in stride(from: w, to: runs, by: workers) {
                        var rng = RandomStream(name: "speed", run: r)
                        var m = template
                        for k in 0..<steps { m.step(k, rng: &rng) }
                        out.append(q.value(point(m)))
                    }
                    return (w, out)
                }
            }
            var all = [[Double]](repeating: [], count: workers)
            for await (w, out) in group { all[w] = out }
            return all
        }
        return (0..<runs).map { parts[$0 % workers][$0 / workers] }
    }
}
