import Benchmark
import TheoryBench

/// The hot paths of theorybench (issue: foundation, "Speed"): a Gaussian sample, a heavy-tailed
/// sample, one SGD step on a d = 100 quadratic, and a whole experiment of R = 1000 runs × d = 100 ×
/// K = 1000 SGD steps with additive Gaussian noise — the loop of `scripts/perf/numpy_sgd_gauss.py` —
/// and the clipped AdaGrad-Norm workload of `numpy_clip_adagrad_norm.py` (issue 4).
let benchmarks: @Sendable () -> Void = {
    let quick = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2))

    Benchmark("gaussian sample ×1000", configuration: quick) { benchmark in
        var rng = RandomStream(seed: 1)
        for _ in benchmark.scaledIterations {
            var s = 0.0
            for _ in 0..<1000 { s += rng.gaussian() }
            blackHole(s)
        }
    }

    // The eight-lane Gaussian fill that the sgd-gauss workload uses (`RandomStream.addGaussianLanes`),
    // beside the scalar ziggurat above: the same 1000 normal draws per iteration.
    Benchmark("gaussian eight-lane fill ×1000", configuration: quick) { benchmark in
        var rng = RandomStream(seed: 1)
        var y = [Double](repeating: 0, count: 1000)
        for _ in benchmark.scaledIterations {
            y.withUnsafeMutableBufferPointer { rng.addGaussianLanes(scale: 1, to: $0) }
            blackHole(y[0])
        }
    }

    Benchmark("symmetric Pareto(1.5) sample ×1000", configuration: quick) { benchmark in
        var rng = RandomStream(seed: 2)
        let law = ScalarLaw.symmetricPareto(tail: 1.5)
        for _ in benchmark.scaledIterations {
            var s = 0.0
            for _ in 0..<1000 { s += law.sample(&rng) }
            blackHole(s)
        }
    }

    Benchmark("SGD step, diagonal quadratic d=100, Gaussian noise", configuration: quick) { benchmark in
        var sgd = SpeedReference.method()
        var rng = RandomStream(seed: 3)
        for k in benchmark.scaledIterations { sgd.step(k, rng: &rng) }
        blackHole(sgd.x)
    }

    Benchmark("clipped AdaGrad-Norm step, d=100, Lomax(1.5) noise", configuration: quick) { benchmark in
        var m = SpeedReference.clippedMethod()
        var rng = RandomStream(seed: 4)
        for k in benchmark.scaledIterations { m.step(k, rng: &rng) }
        blackHole(m.x)
    }

    // MicroAdam (issue 14): one step at d = 10⁶ (production mode, 1 %, m = 10) beside one Adam step on the
    // same oracle, and the block-wise Top-K with error feedback alone (scripts/perf/numpy_microadam_topk_ef.py).
    Benchmark("MicroAdam step and Adam step, d=10⁶; block Top-K + EF",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(30), maxIterations: 3)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(MicroAdamSpeed.measure(dimension: 1_000_000, steps: 5)) }
    }

    for workload in SpeedReference.allCases {
        Benchmark("\(workload.rawValue) experiment R=1000 d=100 K=1000",
                  configuration: .init(metrics: [.wallClock], maxDuration: .seconds(30), maxIterations: 3)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(await workload.run(runs: 1000, dimension: 100, steps: 1000))
            }
        }
    }

    svgdBenchmarks()
}
