import TheoryBenchCore
import Foundation

/// Speed of MicroAdam's hot loops at the scale the paper targets (issue 14, "Speed and memory"):
/// one MicroAdam step (production mode, k/d = 1 %, m = 10, blocks of 25 000, 4-bit error in buckets of
/// 64) against one step of this project's Adam on the same oracle (the diagonal quadratic of
/// `SpeedReference` with N(0, 1) noise), and MicroAdam's block-wise Top-K with error feedback alone
/// (a = e + g, keep the largest k_b of each block, e ← the rest; g one fixed N(0, 1) vector) — the
/// loop of `scripts/perf/numpy_microadam_topk_ef.py`. Single-threaded, as NumPy is.
public enum MicroAdamSpeed {
    public struct Timing: Sendable {
        public let microAdamSeconds: Double, adamSeconds: Double, topKSeconds: Double
        public let microAdamBytes: Int, adamBytes: Int
    }

    public static let config = MicroAdamConfig(density: 0.01, window: 10, blockSize: 25_000, bucketSize: 64)

    /// Seconds per step of each loop (the mean over `steps` steps after `config.window` warm-up steps).
    public static func measure(dimension d: Int, steps: Int) -> Timing {
        let noise = Noise(law: .gaussian, scale: 1, geometry: .perCoordinate, dimension: d)
        let oracle = AdditiveNoiseOracle(SpeedReference.problem(dimension: d), noise: noise)
        let start = [Double](repeating: 1, count: d)
        var micro = MicroAdamMethod(oracle: oracle, config: config, schedule: .constant(1e-3), start: start)
        var adam = DenseAdam(oracle: oracle, variant: .adam, schedule: .constant(1e-3), start: start)
        let tm = time(&micro, steps), ta = time(&adam, steps)
        return Timing(microAdamSeconds: tm, adamSeconds: ta, topKSeconds: topKErrorFeedback(dimension: d, steps: steps),
                      microAdamBytes: micro.stateBytes, adamBytes: adam.stateBytes)
    }

    static func time<M: IterativeMethod>(_ m: inout M, _ steps: Int) -> Double {
        var rng = RandomStream(seed: 14)
        for k in 0..<config.window { m.step(k, rng: &rng) }
        let t0 = DispatchTime.now().uptimeNanoseconds
        for k in 0..<steps { m.step(config.window + k, rng: &rng) }
        return Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9 / Double(steps)
    }

    /// Seconds per step of block-wise Top-K with error feedback alone.
    public static func topKErrorFeedback(dimension d: Int, steps: Int) -> Double {
        var rng = RandomStream(seed: 0)
        let g = (0..<d).map { _ in rng.gaussian() }
        var e = [Double](repeating: 0, count: d)
        var topK = BlockTopK(dimension: d, blockSize: config.blockSize, density: config.density)
        var local = [UInt16](repeating: 0, count: topK.count)
        var sent = [Double](repeating: 0, count: topK.count)
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps {
            for i in 0..<d { e[i] += g[i] }
            e.withUnsafeBufferPointer { a in local.withUnsafeMutableBufferPointer { topK.select(a, into: $0) } }
            for j in 0..<topK.count {
                let i = topK.coordinate(entry: j, local: Int(local[j]))
                sent[j] = e[i]; e[i] = 0
            }
        }
        let sec = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9 / Double(steps)
        precondition(sent.allSatisfy(\.isFinite))
        return sec
    }
}
