import Benchmark
import TheoryBench

/// One SVGD step at n = 1000, d = 2 — the workload of `scripts/perf/numpy_svgd.py`: RBF kernel
/// exp(−‖x − y‖²/h) with h = 1, V = ‖x‖⁴/4 + ‖x‖²/2, step 0.05, particles from 2·N(0, I) (family `svgd-l0l1`).
/// The step also accumulates KSD²_V at the particles (work the NumPy step does not do). Divide the time per
/// step by n² = 10⁶ for ns per particle pair.
func svgdBenchmarks() {
    Benchmark("SVGD step n=1000 d=2 (quartic potential, h=1)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5))) { benchmark in
        var rng = RandomStream(seed: 13)
        let x0 = SVGD.gaussianCloud(mean: [0, 0], spread: 2, count: 1000, rng: &rng)
        var m = SVGD(potential: RadialPotential(dimension: 2, quartic: 1, quadratic: 1), particles: x0,
                     stepSize: 0.05, bandwidth: 1)
        benchmark.startMeasurement()
        for k in benchmark.scaledIterations { m.step(k, rng: &rng) }
        blackHole(m.particles)
    }
}
