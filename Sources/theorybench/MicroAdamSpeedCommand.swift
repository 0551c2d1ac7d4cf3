import ArgumentParser
import Foundation
import TheoryBench

/// `theorybench microadam-speed`: one MicroAdam step against one Adam step at d = 10⁶, with the state
/// bytes of each, and MicroAdam's Top-K with error feedback per coordinate (compare with
/// `python3 scripts/perf/numpy_microadam_topk_ef.py` run beside it).
struct MicroAdamSpeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "microadam-speed",
        abstract: "Time one MicroAdam step vs one Adam step and the block-wise Top-K with error feedback (issue 14).")
    @Option var dimension = 1_000_000
    @Option var steps = 20

    func run() {
        let t = MicroAdamSpeed.measure(dimension: dimension, steps: steps)
        let d = Double(dimension)
        func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1e3) }
        print("MicroAdam step d=\(dimension): \(ms(t.microAdamSeconds)), state \(t.microAdamBytes) B (\(String(format: "%.4f", Double(t.microAdamBytes) / d)) B/param)")
        print("Adam step      d=\(dimension): \(ms(t.adamSeconds)), state \(t.adamBytes) B (\(String(format: "%.1f", Double(t.adamBytes) / d)) B/param, float64)")
        print("ratio MicroAdam/Adam: \(String(format: "%.2f", t.microAdamSeconds / t.adamSeconds))")
        print("block Top-K + EF d=\(dimension): \(ms(t.topKSeconds))/step, \(String(format: "%.2f", t.topKSeconds / d * 1e9)) ns/coord")
    }
}
