import Foundation
import Testing
import TheoryBench

/// The MicroAdam family: the compact state (bfloat16, packed nibbles, the window), block-wise Top-K
/// and its contraction, the 4-bit quantizer's error bound (attained), the production mode against
/// Adam, the dense references on hand-computed steps, the memory measured from the buffers, and the
/// validation of the two problem families (one test per kind of bad input).
@Suite("MicroAdam")
struct MicroAdamTests {
    /// Returns the gradients of a fixed table in turn, whatever x is.
    struct TableOracle: GradientOracle {
        let problem = CyclicOffsetQuadratic(dimension: 1, offset: 1)
        let table: [[Double]]
        var calls = 0
        mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
            g = table[calls % table.count]; calls += 1
        }
    }

    static func steps<M: IterativeMethod>(_ m: inout M, _ n: Int) {
        var rng = RandomStream(seed: 1)
        for k in 0..<n { m.step(k, rng: &rng) }
    }

    @Test("bfloat16: exact on short mantissas, round to nearest even, relative error ≤ 2⁻⁸ (8-bit significand)")
    func bfloat16() {
        for v in [1.0, -2.5, 0.375, 0, 65536] { #expect(BFloat16.decode(BFloat16.encode(v)) == v) }
        // 1 + 2⁻⁸ lies midway between 1 and 1 + 2⁻⁷: ties to the even mantissa (1).
        #expect(BFloat16.decode(BFloat16.encode(1 + 1.0 / 256)) == 1)
        #expect(BFloat16.decode(BFloat16.encode(1 + 3.0 / 256)) == 1 + 4.0 / 256)
        var rng = RandomStream(seed: 3)
        for _ in 0..<1000 {
            let v = rng.gaussian() * 100
            #expect(abs(BFloat16.decode(BFloat16.encode(v)) - v) <= abs(v) * pow(2, -8) * (1 + 1e-12))
        }
    }

    @Test("nibbles: two codes per byte, ⌈d/2⌉ bytes, independent entries")
    func nibbles() {
        var n = NibbleBuffer(count: 7)
        #expect(n.byteCount == 4)
        for i in 0..<7 { n[i] = UInt8((3 * i + 1) % 16) }
        n[2] = 15
        #expect((0..<7).map { Int(n[$0]) } == [1, 4, 15, 10, 13, 0, 3])
    }

    static func topK(_ a: [Double], block: Int, density: Double) -> (BlockTopK, [Int]) {
        var s = BlockTopK(dimension: a.count, blockSize: block, density: density)
        var local = [UInt16](repeating: 0, count: s.count)
        a.withUnsafeBufferPointer { p in local.withUnsafeMutableBufferPointer { s.select(p, into: $0) } }
        return (s, (0..<s.count).map { s.coordinate(entry: $0, local: Int(local[$0])) })
    }

    @Test("block-wise Top-K: k_b = ⌈d_b·density⌉ per block, the largest magnitudes of each block")
    func blockTopK() {
        let a: [Double] = [0.1, -5, 3, 0.2, 7, -0.5, 0.4, -8, 1, -2]
        let (s, picked) = Self.topK(a, block: 4, density: 0.5)
        #expect(s.perFullBlock == 2 && s.inLastBlock == 1 && s.count == 5)
        #expect(Set(picked) == [1, 2, 4, 7, 9])
        #expect(s.contractionSquared == 0.5)
    }

    @Test("Top-K contraction ‖a − C(a)‖² ≤ (1 − k/d)‖a‖², with equality on a constant-magnitude vector")
    func contraction() {
        var rng = RandomStream(seed: 5)
        for trial in 0..<50 {
            let d = 10 + trial, a = (0..<d).map { _ in rng.gaussian() }
            let (s, picked) = Self.topK(a, block: 7, density: 0.3)
            let kept = picked.reduce(0) { $0 + a[$1] * a[$1] }, total = a.reduce(0) { $0 + $1 * $1 }
            #expect(total - kept <= s.contractionSquared * total * (1 + 1e-12))
        }
        let flat = (0..<10).map { $0 % 2 == 0 ? 1.0 : -1.0 }
        let (s, picked) = Self.topK(flat, block: 10, density: 0.3)
        #expect(Double(10 - picked.count) == s.contractionSquared * 10)
    }

    static func quantize(_ x: [Double], bucket: Int) -> [Double] {
        var q = BucketQuantizer(dimension: x.count, bucketSize: bucket)
        x.withUnsafeBufferPointer { q.store($0) }
        var y = [Double](repeating: 0, count: x.count)
        y.withUnsafeMutableBufferPointer { q.addDecoded(to: $0) }
        return y
    }

    @Test("4-bit quantizer: codes in [0, 15], |x̂ − x| ≤ (Δ − δ)/30, the bucket's extremes reproduced")
    func quantizerBounds() {
        var rng = RandomStream(seed: 9)
        let x = (0..<64).map { _ in BFloat16.decode(BFloat16.encode(rng.gaussian())) }
        let y = Self.quantize(x, bucket: 16)
        for b in 0..<4 {
            let xs = Array(x[(16 * b)..<(16 * b + 16)]), ys = Array(y[(16 * b)..<(16 * b + 16)])
            let lo = xs.min()!, hi = xs.max()!
            for (u, v) in zip(xs, ys) { #expect(abs(u - v) <= (hi - lo) / 30 * (1 + 1e-9)) }
            #expect(abs(ys[xs.firstIndex(of: lo)!] - lo) < 1e-12 && abs(ys[xs.firstIndex(of: hi)!] - hi) < 1e-12 * abs(hi))
        }
    }

    @Test("4-bit quantizer error ω = √((B − 2)/2)/15 is attained by (1, −1, 0, …, 0)")
    func quantizerTight() {
        for bucket in [4, 16, 64] {
            let x = [1.0, -1.0] + [Double](repeating: 0, count: bucket - 2)
            let y = Self.quantize(x, bucket: bucket)
            let err = zip(x, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            let omega = (Double(bucket - 2) / 2).squareRoot() / 15
            #expect(abs(err / 2.0.squareRoot() - omega) < 1e-12)
        }
    }

    @Test("Adam, AdamW, AMSGrad on two hand-computed steps (g = 2 then −1, α = 0.1, x₀ = 1)")
    func denseReferences() {
        let table: [[Double]] = [[2], [-1]]
        let expected: [(DenseAdam<TableOracle>.Variant, [Double])] = [
            (.adam, [0.9000000005, 0.8733662967024315]),
            (.adamW(decay: 0.01), [0.8900000004999999, 0.8544662966974315]),
            (.amsgrad, [0.6837722839831544, 0.5705899330011038]),
        ]
        for (variant, xs) in expected {
            var m = DenseAdam(oracle: TableOracle(table: table), variant: variant, schedule: .constant(0.1), start: [1])
            for x in xs { Self.steps(&m, 1); #expect(abs(m.x[0] - x) < 1e-14, "\(variant)") }
        }
    }

    @Test("production mode with k = d, m ≥ T and no error feedback is bias-corrected Adam")
    func productionIsAdam() {
        // bfloat16-exact gradients, so the window stores them without rounding.
        let table: [[Double]] = [[0.5, -2, 0.25], [1, 0.75, -0.125], [-1.5, 0.5, 2], [0.25, -0.25, 1]]
        let c = MicroAdamConfig(density: 1, window: 12, blockSize: 3, errorFeedback: .none)
        var micro = MicroAdamMethod(oracle: TableOracle(table: table), config: c, schedule: .constant(0.01), start: [1, 2, 3])
        var adam = DenseAdam(oracle: TableOracle(table: table), variant: .adam, schedule: .constant(0.01), start: [1, 2, 3])
        for _ in 0..<12 {
            Self.steps(&micro, 1); Self.steps(&adam, 1)
            for i in 0..<3 { #expect(abs(micro.x[i] - adam.x[i]) < 1e-13) }
        }
    }

    @Test("production mode beyond the window: the moments are the truncated sums with β powers by age")
    func windowAges() {
        let table: [[Double]] = [[1], [2], [-1], [0.5], [4]]
        let c = MicroAdamConfig(density: 1, window: 3, blockSize: 1, errorFeedback: .none)
        var micro = MicroAdamMethod(oracle: TableOracle(table: table), config: c, schedule: .constant(0.1), start: [0])
        Self.steps(&micro, 4)
        let before = micro.x[0]
        Self.steps(&micro, 1)
        // t = 5: the window holds g₅ = 4 (age 0), g₄ = 0.5 (age 1), g₃ = −1 (age 2).
        let (b1, b2) = (0.9, 0.999)
        let s1 = 4 + b1 * 0.5 + b1 * b1 * -1, s2 = 16 + b2 * 0.25 + b2 * b2 * 1
        let c1 = (1 - b1) / (1 - pow(b1, 5)), c2 = (1 - b2) / (1 - pow(b2, 5))
        #expect(abs(before - micro.x[0] - 0.1 * c1 * s1 / ((c2 * s2).squareRoot() + 1e-8)) < 1e-14)
    }

    @Test("theory mode: full EMAs of C(g + e), the AMSGrad max, ε inside the root; exact EF keeps a − C(a)")
    func theoryStep() {
        let table: [[Double]] = [[3, -1], [1, 2]]
        let c = MicroAdamConfig(mode: .theory, density: 0.5, window: 1, blockSize: 2, errorFeedback: .exact, epsilon: 1)
        var m = MicroAdamMethod(oracle: TableOracle(table: table), config: c, schedule: .constant(0.1), start: [0, 0])
        Self.steps(&m, 1)       // a = (3, −1): sends coordinate 0, e = (0, −1)
        #expect(m.error == [0, -1] && m.x[1] == 0 && abs(m.x[0] + 0.1 * 0.3 / (0.009 + 1).squareRoot()) < 1e-15)
        Self.steps(&m, 1)       // a = (1, 1): a tie, one coordinate sent, the other kept
        #expect(m.error.reduce(0, +) == 1 && m.error.contains(0))
        #expect(m.maxErrorNorm == 1)
    }

    @Test("U(t) at β = (0.9, 0.999), m = 10: 1, 1.0431, 2.1011, 5.4146, 6.7864 at t = 1, 10, 100, 1000, 5000")
    func stepBoundValues() {
        let c = MicroAdamConfig(density: 0.01)
        for (t, u) in [(1, 1.0), (10, 1.0431), (100, 2.1011), (1000, 5.4146), (5000, 6.7864)] {
            #expect(abs(MicroAdam.stepBound(t: t, c) - u) < 5e-5)
        }
    }

    @Test("memory measured from the buffers: 962 504 bytes at d = 10⁶, 1 %, m = 10, B = 64; 900 044 at B = 10⁵")
    func memory() {
        let d = 1_000_000, oracle = CyclicOffsetOracle(CyclicOffsetQuadratic(dimension: d, offset: 1))
        let start = [Double](repeating: 0, count: d)
        for (bucket, bytes) in [(64, 962_504), (100_000, 900_044)] {
            let c = MicroAdamConfig(density: 0.01, window: 10, blockSize: 25_000, bucketSize: bucket)
            let m = MicroAdamMethod(oracle: oracle, config: c, schedule: .constant(1e-3), start: start)
            #expect(m.stateBytes == bytes && MicroAdam.memoryFormula(dimension: d, c) == bytes)
        }
        let adam = DenseAdam(oracle: oracle, variant: .adam, schedule: .constant(1e-3), start: start)
        #expect(adam.stateBytes == 16 * d)      // float64 m and v; float32 Adam would be 8 B/param
    }

    static func error(_ text: String) -> CatalogError? {
        TestCatalog.parseError(text, file: "/tmp/problems/ma.yaml")
    }

    static let budget = "budget: { iterations: 10, runs: 1 }"
    static let bad: [(String, String, String)] = [
        ("family: cyclic-offset-quadratic\noffset: 1\nstart: [0, 1]\n\(budget)", "dimension", "missing"),
        ("family: cyclic-offset-quadratic\ndimension: 1\noffset: 1\nstart: [0]\n\(budget)", "dimension", "at least 2"),
        ("family: cyclic-offset-quadratic\ndimension: 2\nstart: [0, 1]\n\(budget)", "offset", "missing"),
        ("family: cyclic-offset-quadratic\ndimension: 2\noffset: -1\nstart: [0, 1]\n\(budget)", "offset", "positive"),
        ("family: cyclic-offset-quadratic\ndimension: 2\noffset: 1\nwidth: 3\nstart: [0, 1]\n\(budget)", "width", "unknown key"),
        ("family: geman-mcclure\nstart: [0]\n\(budget)", "shift", "missing"),
        ("family: geman-mcclure\nshift: []\nstart: []\n\(budget)", "shift", "at least one"),
        ("family: geman-mcclure\nshift: [1, 2]\nstart: [0]\n\(budget)", "start", "has 1 entries"),
    ]

    @Test("bad instance files give one file: key: reason error", arguments: 0..<bad.count)
    func badFiles(_ i: Int) {
        let (text, key, words) = Self.bad[i]
        let e = Self.error(text)
        #expect(e?.key == key && e?.reason.contains(words) == true, "\(e.map { "\($0)" } ?? "no error")")
    }

    @Test("the catalog's MicroAdam instances pair with their claims and nothing else of the family")
    func pairing() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("problems").path
        let catalog = try Catalog.load(directory: dir)
        let ids = try catalog.pairings().filter { $0.claim.paper.key == "microadam" }.map { $0.claim.pairingID($0.instance) }.sorted()
        #expect(ids == ["microadam.ef-escapes-trap@microadam-cyclic-trap", "microadam.no-ef-trap@microadam-cyclic-trap",
                        "microadam.production-convergence-order@microadam-geman-mcclure-d16", "microadam.state-memory@microadam-memory-d1e6",
                        "microadam.step-bound@microadam-geman-mcclure-d16",
                        "microadam.theory-convergence-order@microadam-geman-mcclure-d16", "microadam.theory-error-bound@microadam-geman-mcclure-d16"])
    }
}
