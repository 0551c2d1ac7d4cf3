import Foundation
import Testing
import TheoryBench

/// The Markov/MLMC family: the chains' exact constants (closed forms against GSL and the values of
/// docs/derivations/markov-mlmc.md §1), their sampling, the exact recursion against the stationary
/// closed form (§3), the MLMC estimator's weights, cost and telescoping mean (§2), the `markov:` key's
/// validation (one case per kind of bad input), pairing, and the two-sided size-scaling check.
@Suite("Markov noise and MLMC")
struct MarkovMLMCTests {
    // MARK: chains

    @Test("two-state and lazy-cycle τ equal the closed forms; GSL's λ* agrees with them")
    func chainConstants() throws {
        let flips = [0.2, 0.1, 0.05, 0.02, 0.01]
        #expect(flips.map { FiniteMarkovChain.twoState(flip: $0).tau } == [3, 7, 14, 34, 69])
        #expect([8, 16, 32, 64].map { FiniteMarkovChain.lazyCycle(states: $0).tau } == [9, 36, 144, 576])
        for c in [FiniteMarkovChain.twoState(flip: 0.1), .twoState(flip: 0.7), .lazyCycle(states: 16)] {
            let m = try FiniteMarkovChain(transition: c.transition, states: c.states)
            #expect(abs(m.lambdaStar - c.lambdaStar) < 1e-12, "\(c)")
            #expect(zip(m.stationary, c.stationary).allSatisfy { abs($0 - $1) < 1e-12 })
        }
        // t* ≤ 1 + τ/ln 2 (§1)
        for c in [FiniteMarkovChain.twoState(flip: 0.01), .lazyCycle(states: 64)] {
            #expect(c.integratedTime <= 1 + Double(c.tau) / log(2))
        }
    }

    static let threeState: [Double] = [0.7, 0.2, 0.1, 1.0 / 3, 0.5, 1.0 / 6, 0.25, 0.25, 0.5]

    @Test("a given reversible matrix: π by LU, λ* by the symmetrized eigenproblem (checked by matrix powers)")
    func matrixChain() throws {
        let c = try FiniteMarkovChain(transition: Self.threeState, states: 3)
        #expect(zip(c.stationary, [0.5, 0.3, 0.2]).allSatisfy { abs($0 - $1) < 1e-12 })
        // (P^t − 1π) decays like λ*^t: the ratio of successive max-deviations tends to λ*.
        func deviation(_ t: Int) -> Double {
            var row = [1.0, 0, 0]
            for _ in 0..<t { row = (0..<3).map { j in (0..<3).reduce(0) { $0 + row[$1] * Self.threeState[$1 * 3 + j] } } }
            return zip(row, c.stationary).map { abs($0 - $1) }.max()!
        }
        #expect(abs(deviation(21) / deviation(20) - c.lambdaStar) < 1e-3)   // λ* = 0.426…, the next eigenvalue 0.274…
    }

    @Test("solveLU solves a non-symmetric system and returns nil for a singular one")
    func luSolve() throws {
        let a = Matrix(rows: 3, cols: 3, data: [0, 2, 1, 1, 1, 0, 3, 0, 1])   // needs pivoting (a₀₀ = 0)
        let x = try #require(LinearAlgebra.solveLU(a, [7, 3, 6]))
        #expect(zip(x, [1.0, 2, 3]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(LinearAlgebra.solveLU(Matrix(rows: 2, cols: 2, data: [1, 2, 2, 4]), [1, 1]) == nil)
    }

    @Test("non-stochastic, non-reversible and reducible matrices are rejected")
    func invalidMatrices() {
        let bad: [([Double], Int, String)] = [
            ([0.5, 0.6, 0.5, 0.5], 2, "sums to"),
            ([0.5, 0.5, 0, 0, 0.5, 0.5, 0.5, 0, 0.5], 3, "not reversible"),   // a lazy directed 3-cycle
            ([1, 0, 0, 1], 2, "stationary"),
            ([0, 1, 1, 0], 2, "no spectral gap"),                               // periodic
            ([1.5, -0.5, 0.5, 0.5], 2, "not a probability"),
        ]
        for (p, s, words) in bad {
            do { _ = try FiniteMarkovChain(transition: p, states: s); Issue.record("\(p) accepted") }
            catch let e as FiniteMarkovChain.Invalid { #expect(e.description.contains(words), "\(e)") }
            catch { Issue.record("\(error)") }
        }
    }

    @Test("sampled transitions and stationary draws have the chain's frequencies (5σ)")
    func sampling() throws {
        let c = try FiniteMarkovChain(transition: Self.threeState, states: 3)
        var rng = RandomStream(seed: 3)
        var counts = [Double](repeating: 0, count: 9), visits = [Double](repeating: 0, count: 3), draws = [Double](repeating: 0, count: 3)
        var s = 0
        let n = 200_000
        for _ in 0..<n {
            let t = c.next(s, rng: &rng)
            counts[s * 3 + t] += 1; visits[s] += 1; s = t
            draws[c.stationaryDraw(rng: &rng)] += 1
        }
        for i in 0..<3 {
            for j in 0..<3 {
                let p = Self.threeState[i * 3 + j], f = counts[i * 3 + j] / visits[i]
                #expect(abs(f - p) <= 5 * (p * (1 - p) / visits[i]).squareRoot(), "P(\(i),\(j))")
            }
            let pi = c.stationary[i]
            #expect(abs(draws[i] / Double(n) - pi) <= 5 * (pi * (1 - pi) / Double(n)).squareRoot())
        }
    }

    // MARK: the exact recursion (§3)

    @Test("the recursion's long-run E e² equals the stationary closed form; E e_∞ = 0 for additive noise")
    func recursionFloor() {
        let q = 0.05, gamma = 0.05, mu = 1.0
        let chain = FiniteMarkovChain.twoState(flip: q)
        var r = MarkovQuadraticRecursion(a: Matrix(rows: 1, cols: 1, data: [mu]), step: gamma, chain: chain,
                                         shifts: [1, -1], initialLaw: [1, 0], e0: [3])
        let early = r.meanSquaredErrors(at: [10])[0]
        #expect(abs(early - 2.4456) < 1e-4)   // the value of §3 (exact recursion, checked there by 2e5 paths)
        _ = r.meanSquaredErrors(at: [3000])
        let lam = 1 - 2 * q, a = 1 - gamma * mu
        let floor = gamma / (mu * (2 - gamma * mu)) * (1 + lam * a) / (1 - lam * a)
        #expect(abs(r.meanSquaredError - floor) < 1e-12 * floor + 1e-15)
        #expect(abs(r.meanError[0]) < 1e-12)
    }

    @Test("i.i.d. chain (q = ½): the recursion equals the i.i.d. variance recursion")
    func recursionIID() {
        var r = MarkovQuadraticRecursion(a: Matrix(rows: 1, cols: 1, data: [2]), step: 0.1, chain: .twoState(flip: 0.5),
                                         shifts: [1, -1], initialLaw: [0.5, 0.5], e0: [1])
        var v = 1.0
        for k in 1...50 {
            v = 0.8 * 0.8 * v + 0.01
            r.advance()
            #expect(abs(r.meanSquaredError - v) < 1e-13, "k = \(k)")
        }
    }

    @Test("the general linear recursion on (e_k, e_{k−1}) with β = 0 equals SGD's recursion")
    func liftedRecursion() {
        let c = FiniteMarkovChain.twoState(flip: 0.05), gamma = 0.1, a = 1.5
        var sgd = MarkovQuadraticRecursion(a: Matrix(rows: 1, cols: 1, data: [a]), step: gamma, chain: c,
                                           shifts: [1, -1], initialLaw: [1, 0], e0: [2])
        let lifted = Matrix(rows: 2, cols: 2, data: [1 - gamma * a, 0, 1, 0])   // β = 0: [[G, 0], [I, 0]]
        var big = MarkovQuadraticRecursion(iteration: lifted, step: gamma, chain: c, initialLaw: [1, 0], e0: [2, 2],
                                           kernel: .singleSample(c, shifts: [1, 0, -1, 0]), measured: 1)
        let ks = [1, 5, 40, 200]
        for (x, y) in zip(sgd.meanSquaredErrors(at: ks), big.meanSquaredErrors(at: ks)) { #expect(abs(x - y) < 1e-13 * max(1, x)) }
    }

    // MARK: the MLMC estimator (§2)

    @Test("weights: 0 on the first B samples, −1/B up to n, +1/B up to 2n; they sum to 1")
    func mlmcWeights() {
        let o = MLMCSchedule(batch: 4, limit: 64, levelWeight: .telescoping)
        #expect(o.maxLevel == 6)
        for j in 1...6 {
            let n = 4 << (j - 1)
            let w = o.weights(level: j)
            #expect(w.count == 2 * n && o.sampleCount(level: j) == 2 * n)
            #expect(w.prefix(4).allSatisfy { abs($0) < 1e-15 })
            #expect(w[4..<n].allSatisfy { abs($0 + 0.25) < 1e-15 })
            #expect(w[n...].allSatisfy { abs($0 - 0.25) < 1e-15 })
            #expect(abs(w.reduce(0, +) - 1) < 1e-12)
        }
        #expect(o.weights(level: 7) == [0.25, 0.25, 0.25, 0.25])
        #expect(MLMCSchedule(batch: 4, limit: 64, levelWeight: .none).sampleCount(level: 3) == 4)
    }

    @Test("the MLMC segment kernel: K is stochastic, F sums to the conditional mean, one sample gives P and P·b")
    func segmentKernel() {
        let c = FiniteMarkovChain.twoState(flip: 0.1), b = [1.0, -1]
        let one = SegmentKernel.singleSample(c, shifts: b)
        #expect(zip(one.k, c.transition).allSatisfy { abs($0 - $1) < 1e-15 })
        #expect(abs(one.f[0] - 0.9) < 1e-15 && abs(one.f[1] - 0.1) < 1e-15 && abs(one.f[2] + 0.1) < 1e-15)
        let schedule = MLMCSchedule(batch: 2, limit: 16, levelWeight: .telescoping)
        let k = SegmentKernel.mlmc(c, shifts: b, schedule: schedule)
        #expect(abs(k.k[0] + k.k[1] - 1) < 1e-13 && abs(k.k[2] + k.k[3] - 1) < 1e-13)
        let mean = c.mlmcMean(of: b, from: 0, batch: 2, maxLevel: schedule.maxLevel) { schedule.factor($0) }[0]
        #expect(abs(k.f[0] + k.f[1] - mean) < 1e-13)   // E[η | s = 0] = Σ_t F(0, t)
    }

    @Test("mean samples per call are B(m + 2^−m) (5σ), and the chain continues across calls")
    func mlmcCost() {
        var o = MLMCOracle(MarkovShiftOracle(Quadratic(spectrum: [1], rotationSeed: nil, xStar: [0]), chain: .twoState(flip: 0.1),
                                             shifts: [1, -1], start: 0), batch: 8, batchLimit: 64)
        #expect(abs(o.schedule.expectedSamples - 48.125) < 1e-12)
        var rng = RandomStream(seed: 9), g = [0.0]
        let calls = 100_000
        var sq = 0.0, last = 0
        for _ in 0..<calls {
            o.sample(at: [0], into: &g, rng: &rng)
            let c = Double(o.samplesDrawn - last); sq += c * c; last = o.samplesDrawn
        }
        let mean = Double(o.samplesDrawn) / Double(calls), sd = (sq / Double(calls) - mean * mean).squareRoot()
        #expect(abs(mean - 48.125) < 5 * sd / Double(calls).squareRoot())
        #expect(o.base.samplesDrawn == o.samplesDrawn)
    }

    @Test("E[g | z] telescopes to the batch mean of 2^m·B samples; two-state closed form; no-factor version does not")
    func mlmcTelescopes() {
        let q = 0.1, lam = 1 - 2 * q
        let c = FiniteMarkovChain.twoState(flip: q)
        let tele = c.mlmcMean(of: [1, -1], from: 0, batch: 2, maxLevel: 5) { Double(1 << $0) }[0]
        let N = 2 << 5
        let closed = (1 - pow(lam, Double(N))) / ((1 - lam) * Double(N))
        #expect(abs(tele - closed) < 1e-13)
        #expect(abs(c.batchMean(of: [1, -1], from: 0, count: N)[0] - closed) < 1e-13)
        let plain = c.mlmcMean(of: [1, -1], from: 0, batch: 2, maxLevel: 5) { _ in 0 }[0]
        #expect(abs(plain - (1 + lam) / 2) < 1e-13)
        let unweighted = c.mlmcMean(of: [1, -1], from: 0, batch: 2, maxLevel: 5) { _ in 1 }[0]
        #expect(unweighted > 3 * tele)
    }

    @Test("the oracle's sampling modes: Markov advances, frozen never does, i.i.d. redraws from π")
    func samplingModes() {
        let p = Quadratic(spectrum: [1], rotationSeed: nil, xStar: [0])
        func states(_ mode: MarkovShiftOracle<Quadratic>.Sampling) -> [Double] {
            var o = MarkovShiftOracle(p, chain: .twoState(flip: 0.3), shifts: [1, -1], start: 0, sampling: mode)
            var rng = RandomStream(seed: 1), g = [0.0]
            return (0..<2000).map { _ in o.sample(at: [0], into: &g, rng: &rng); return g[0] }
        }
        #expect(states(.frozen).allSatisfy { $0 == 1 })
        let markov = states(.markov), iid = states(.independent)
        func lag1(_ x: [Double]) -> Double { zip(x, x.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 } / Double(x.count - 1) }
        #expect(abs(lag1(markov) - 0.4) < 0.1)   // λ = 1 − 2q = 0.4
        #expect(abs(lag1(iid)) < 0.1)
    }

    // MARK: the `markov:` key

    static func file(_ markov: String, dimension: String = "eigenvalues: [1.0, 2.0]") -> String {
        """
        family: quadratic
        \(dimension)
        rotation: none
        start: { distance: 1.0 }
        markov: \(markov)
        budget: { iterations: 300, runs: 10 }
        seed: 5
        """
    }

    static func parse(_ text: String) throws -> Instance { try InstanceFile.parse(text, file: "/tmp/problems/markov.yaml") }

    @Test("good files parse, report exact constants and pair only with the claims that understand Markov noise")
    func goodFiles() throws {
        let two = try Self.parse(Self.file("{ kind: two-state, flip: 0.2, shift: 2.0 }"))
        let k = two.reportedConstants
        #expect(k["sigma^2"].map { abs($0 - 4) < 1e-12 } == true && k["tau"] == 3 && k["lambda*"].map { abs($0 - 0.6) < 1e-15 } == true)
        let cyc = try Self.parse(Self.file("{ kind: lazy-cycle, states: 8, shift: 1.0, start: 3 }"))
        #expect(cyc.markovNoise?.start == 3 && abs((cyc.oracleVariance ?? 0) - 1) < 1e-12)
        let mat = try Self.parse(Self.file("{ kind: matrix, transition: [[0.9, 0.1], [0.2, 0.8]], shifts: [[2, 0], [-4, 0]] }"))
        #expect(mat.markovNoise.map { abs($0.chain.stationary[0] - 2.0 / 3) < 1e-12 } == true)
        for c in registry.claims where !c.understands.contains("markov") { #expect(!c.pairs(with: two), "\(c.id)") }
        #expect(MarkovMLMC.sgdExactLevel.pairs(with: two) && MarkovMLMC.tauScaling.pairs(with: two))
        #expect(!MarkovMLMC.mlmcMean.pairs(with: two) && MarkovMLMC.mlmcMean.pairs(with: cyc))
        #expect(!MarkovMLMC.targetAccuracy.pairs(with: two))   // t* = 4 < 20: the control would lack power
    }

    /// (markov value, key, words in the reason)
    static let bad: [(String, String, String)] = [
        ("two-state", "markov", "expected a mapping"),
        ("{ flip: 0.1, shift: 1 }", "markov.kind", "missing"),
        ("{ kind: three-state, shift: 1 }", "markov.kind", "unknown chain"),
        ("{ kind: two-state, shift: 1 }", "markov.flip", "missing"),
        ("{ kind: two-state, flip: 1.5, shift: 1 }", "markov.flip", "in (0, 1)"),
        ("{ kind: lazy-cycle, states: 2, shift: 1 }", "markov.states", "3…4096"),
        ("{ kind: matrix, transition: [[0.5, 0.5]], shifts: [[1, 0]] }", "markov.transition", "square"),
        ("{ kind: matrix, transition: [[0.5, 0.6], [0.5, 0.5]], shifts: [[1, 0], [-1, 0]] }", "markov.transition", "sums to"),
        ("{ kind: matrix, transition: [[0.5, 0.5, 0], [0, 0.5, 0.5], [0.5, 0, 0.5]], shifts: [[1, 0], [-1, 0], [0, 0]] }", "markov.transition", "not reversible"),
        ("{ kind: matrix, transition: [[0.9, x], [0.2, 0.8]], shifts: [[1, 0], [-1, 0]] }", "markov.transition[0][1]", "finite number"),
        ("{ kind: matrix, transition: [[0.9, 0.1], [0.2, 0.8]], shift: 1 }", "markov.shift", "explicit shifts"),
        ("{ kind: two-state, flip: 0.1, shifts: [[1, 0]] }", "markov.shifts", "has 1 rows"),
        ("{ kind: two-state, flip: 0.1, shifts: [[1, 0, 0], [-1, 0, 0]] }", "markov.shifts[0]", "has 3 entries"),
        ("{ kind: two-state, flip: 0.1, shifts: [[1, 0], [-0.5, 0]] }", "markov.shifts", "must be 0"),
        ("{ kind: two-state, flip: 0.1, shift: 1, shifts: [[1, 0], [-1, 0]] }", "markov.shift", "not both"),
        ("{ kind: two-state, flip: 0.1 }", "markov.shift", "missing"),
        ("{ kind: two-state, flip: 0.1, shift: -1 }", "markov.shift", "positive"),
        ("{ kind: two-state, flip: 0.1, shift: 1, start: 2 }", "markov.start", "state index"),
        ("{ kind: two-state, flip: 0.1, shift: 1, speed: 2 }", "markov.speed", "unknown key"),
    ]

    @Test("every kind of bad `markov:` value is rejected naming file, key and reason", arguments: 0..<19)
    func badInput(_ i: Int) throws {
        let (value, key, words) = Self.bad[i]
        do {
            _ = try Self.parse(Self.file(value))
            Issue.record("case \(i) was accepted")
        } catch let e as CatalogError {
            #expect(e.file == "/tmp/problems/markov.yaml" && e.key == key && e.reason.contains(words), "case \(i): \(e)")
        }
    }

    @Test("Markov noise and additive noise together are rejected")
    func twoOracleParts() {
        let text = Self.file("{ kind: two-state, flip: 0.1, shift: 1 }") + "\nnoise: { law: gaussian }"
        do { _ = try Self.parse(text); Issue.record("accepted") } catch let e as CatalogError {
            #expect(e.reason.contains("only one of"), "\(e)")
        } catch { Issue.record("\(error)") }
    }

    // MARK: the two-sided size-scaling check (engine extension)

    @Test("two-sided size scaling: a predicted slope 1 passes slope-1 data and fails slope-0 and slope-2 data")
    func scalingBand() {
        var rng = RandomStream(seed: 4)
        let sizes = [3.0, 7, 17, 34, 69]
        let names = sizes.map { RunScalar("s@\(Int($0))") }
        func traces(_ power: Double) -> [Trace] {
            (0..<200).map { _ in
                Trace(values: [0, 0], scalars: Dictionary(uniqueKeysWithValues: zip(names, sizes.map { pow($0, power) * (1 + 0.1 * rng.gaussian()) })))
            }
        }
        let one = Exponent<Void>.constant(1)
        let g = SizeScaling<Void>(sizes: sizes, scalars: names, exponent: one, quantity: "s", provenance: .derived("test"), atLeast: one)
        let check = Check<Void, Void>(.sizeScaling(g), on: .mean)
        #expect(check.isEquality && check.confidence == Reliability.equalityConfidence)
        func verdict(_ t: [Trace]) -> Verdict {
            Judge.verdict(check, context: (), parameters: (), resolution: 1e-12, checkpoints: Checkpoints([0, 1]), traces: t)
        }
        #expect(verdict(traces(1)).outcome == .pass)
        let flat = verdict(traces(0)), steep = verdict(traces(2))
        #expect(flat.outcome == .fail && (flat.widths ?? 0) > 1, "\(flat.detail)")
        #expect(steep.outcome == .fail && (steep.widths ?? 0) > 1, "\(steep.detail)")
        // one-sided (no lower limit): flat data pass
        let upper = SizeScaling<Void>(sizes: sizes, scalars: names, exponent: one, quantity: "s", provenance: .derived("test"))
        #expect(Judge.verdict(Check<Void, Void>(.sizeScaling(upper), on: .mean), context: (), parameters: (), resolution: 1e-12,
                              checkpoints: Checkpoints([0, 1]), traces: traces(0)).outcome == .pass)
    }
}
