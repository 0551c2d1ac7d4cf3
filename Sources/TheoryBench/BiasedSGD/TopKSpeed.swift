import TheoryBenchCore

extension SpeedReference {
    /// The `topKErrorFeedback` workload (scripts/perf/numpy_topk_ef.py): a fixed g ~ N(0, I_d) (drawn
    /// from `RandomStream(name: "speed", run: r)`), e = 0; each step a = e + g, keep the k = d/100
    /// largest magnitudes (`TopKSelection`), e = a − kept. Returns the last step's threshold (the
    /// smallest kept |a|, the script's check value). Buffers are allocated once per run.
    static func topKErrorFeedback(dimension d: Int, steps: Int, run r: Int) -> Double {
        var rng = RandomStream(name: "speed", run: r)
        let g = (0..<d).map { _ in rng.gaussian() }
        var e = [Double](repeating: 0, count: d), a = e, kept = e, work = e
        let k = max(1, d / 100)
        var t = 0.0
        for _ in 0..<steps {
            for i in 0..<d { a[i] = e[i] + g[i] }
            a.withUnsafeBufferPointer { ap in
                kept.withUnsafeMutableBufferPointer { kp in
                    work.withUnsafeMutableBufferPointer { t = TopKSelection.keepLargest(ap, k: k, into: kp, workspace: $0) }
                }
            }
            for i in 0..<d { e[i] = a[i] - kept[i] }
        }
        return t
    }
}
