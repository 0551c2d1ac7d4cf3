import Foundation

/// The eight-lane Gaussian bulk fill (`RandomStream.addGaussianLanes`): a ziggurat (Marsaglia &
/// Tsang 2000) with 4096 layers and one packed table word per layer, whose fast path runs on the
/// stream's eight SIMD lanes, with a scalar slow path for the rare wedge and tail rejections.
///
/// Why a ziggurat. It is exact in law — a rejection sampler, so nothing is approximated: each draw is
/// N(0, 1) up to the 2^{−51} grid of its uniform and the rounding of its band heights (layer areas
/// equal to ≈ 2e-13 relative) — and its fast path is one table lookup, one multiply and one integer
/// compare: operations with one rounding at most, no transcendental function and no FMA in the
/// vectorized part, so its bits cannot depend on the vector width or the x86-64 level. Box–Muller
/// or the polar method are exact too but need log, sqrt and sin/cos (or a rejection) per pair on
/// every lane — vector libm calls, several times the cost, with bits that depend on the library;
/// inverse-CDF or CLT-sum methods are not exact.
///
/// Why 4096 layers and one word per layer. A lane whose draw misses the fast path costs about ten
/// fast eight-lane steps (it is finished on the scalar stream, with a wedge test and `exp`). With
/// 1024 layers 0.43 % of lanes (3.4 % of eight-lane steps) missed it; with 4096, 0.12 % (0.96 %).
/// The table is 32 KB, in L1. Each word holds the layer's width W_i, rounded up to a 32-bit
/// significand, and in the 20 freed mantissa bits the layer's fast-path code c_i, so one 8-element
/// gather serves both the multiply and the test. Measured side by side (AMD EPYC Zen 5,
/// x86-64-v4, a standalone loop at d = 96, ns per coordinate): 1024 layers with the pair
/// (X_i, X_{i+1}) as one 16-byte load 0.89; 4096 layers, same load 0.66; 4096 layers, one packed
/// word 0.59.
///
/// Layers. f(x) = e^{−x²/2}, n = 4096, T(r) = ∫_r^∞ f, ⌈·⌉ rounds up to a 32-bit significand.
/// Band heights F₀ = 0, F₁ = f(r), F_{i+1} = F_i + v/W_i; widths W₀ = ⌈r + T(r)/f(r)⌉,
/// W_i = ⌈f⁻¹(F_i)⌉ (i ≥ 1), and v = W₀·f(r). Layer i is the rectangle [0, W_i] × [F_i, F_{i+1}],
/// of area v; since f decreases, W_i ≥ f⁻¹(F_i) is the widest the curve gets in the band, so the
/// layers cover the region under the curve for x ≤ r, band by band. Layer 0's strip [r, W₀] × [0, f(r)]
/// stands for the tail: its area A = (W₀ − r)·f(r) is T(r) plus the rounding of W₀ (T/A = 1 − 2e-9).
/// r is solved for (not copied) by bisection so that the top layer n − 1 is the one that crosses
/// height 1: F_{n−1} < 1 ≤ F_n. The top layer's part above 1 is empty (its draws there are rejected),
/// so no cap of the curve is left out: r ≈ 4.38595, v ≈ 3.06154e-4, F_n − 1 ≈ 2e-13.
///
/// Fast-path codes. c_i = ⌊2^20·e_i/W_i⌋ with e₀ = r, e_i = f⁻¹(F_{i+1}) (0 < i < n − 1) — the width
/// under which the whole band lies under the curve — computed with a few ulps of margin, and
/// c_{n−1} = 0 (the top layer has no fast path). A draw is fast when the top 20 bits of its 51-bit
/// uniform are below c_i; then u < c_i·2^{−20} ≤ e_i/W_i, so x = u·W_i ≤ e_i: a point the exact test
/// would accept. The codes only shrink the fast region by < 2^{−20} of each layer's width; the rest
/// is left to the exact tests. (A test checks the cover and code inequalities in 80-bit arithmetic;
/// the proof that the output law is N(0, 1) is docs/derivations/gaussian-sampler.md.)
///
/// One draw from a 64-bit word w: layer i = bits 52…63, sign = bit 51, u = bits 0…50 · 2^{−51}
/// (disjoint bits; all 64 are used, and the weakest bit of xoshiro256+, bit 0, is u's least
/// significant; u is exact: (1 + u) from its bits, minus 1), x = u·W_i. Fast path: bits 31…50 of w
/// below c_i → ±x. Slow path (`slow`, scalar, on the scalar stream): for layer 0, x < r → ±x; else the
/// tail strip: with probability T/A the tail ±(r + a) by Marsaglia's (1964) method, otherwise a
/// restart. For i ≥ 1 the wedge test: accepted when F_i + U·(F_{i+1} − F_i) < f(x). A rejection
/// restarts with a fresh draw of the same algorithm from a new scalar word — a rejection sampler's
/// restart is an independent draw, so the law is N(0, 1).
///
/// Same bits everywhere: the lane path and the scalar map `standard(word:_:)` evaluate the same
/// operations (one multiply, one integer compare, a sign flip), so a lane's value is bitwise the
/// scalar map of its word (unit-tested); Swift does not contract or reassociate, so every x86-64
/// level and a baseline build agree (pinned by a test). The slow path and the table construction
/// call libm (exp, log, erfc): the same at every build level on one machine (glibc picks its exp/log
/// variant by CPU at run time, not by build flags); across machines as reproducible as libm is.
public enum LaneZiggurat {
    /// The packed words (n), the band heights F₀ … F_n and the constants of the tail, in
    /// never-freed allocations: hot loops read them through plain pointers, with no reference
    /// counting per draw.
    public struct Tables: @unchecked Sendable {
        /// Word i: the bits of W_i (low 20 mantissa bits zero) | c_i.
        public let packed: UnsafePointer<UInt64>
        public let f: UnsafePointer<Double>
        /// The start of the tail, the common area of the layers, the tail strip's area A and T(r).
        public let r: Double, v: Double, strip: Double, tailMass: Double

        /// W_i.
        @inlinable @inline(__always)
        public func width(_ i: Int) -> Double { Double(bitPattern: packed[i] & ~LaneZiggurat.codeMask) }

        /// c_i.
        @inlinable @inline(__always)
        public func code(_ i: Int) -> UInt64 { packed[i] & LaneZiggurat.codeMask }
    }

    /// The number of layers n (a power of two: the layer index is the top log₂ n bits of a word).
    public static let layers = 4096

    /// The low mantissa bits of a packed word that hold the fast-path code.
    public static let codeMask: UInt64 = 0xF_FFFF

    public static let tables: Tables = {
        let n = layers
        let w = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { w.deallocate() }
        let f = UnsafeMutablePointer<Double>.allocate(capacity: n + 1)
        let (r, v) = solve(w, f)
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        p[0] = w[0].bitPattern | code(edge: r, width: w[0])
        for i in 1..<(n - 1) { p[i] = w[i].bitPattern | code(edge: inverse(f[i + 1]), width: w[i]) }
        p[n - 1] = w[n - 1].bitPattern
        return Tables(packed: UnsafePointer(p), f: UnsafePointer(f), r: r, v: v,
                      strip: (w[0] - r) * f[1], tailMass: tailMass(r))
    }()

    /// T(r) = ∫_r^∞ e^{−t²/2} dt.
    static func tailMass(_ r: Double) -> Double {
        (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
    }

    /// f⁻¹(y) = √(−2 ln y).
    static func inverse(_ y: Double) -> Double { (-2 * log(y)).squareRoot() }

    /// ⌈a⌉: a moved up by four ulps (the error of `inverse`), then up to a 32-bit significand.
    static func roundUp(_ a: Double) -> Double {
        var b = a
        for _ in 0..<4 { b = b.nextUp }
        let bits = b.bitPattern
        return bits & codeMask == 0 ? b : Double(bitPattern: (bits | codeMask) &+ 1)
    }

    /// c = ⌊2^20·e/W⌋ for e moved down by four ulps (at most 2^20 − 1: e < W).
    static func code(edge e: Double, width: Double) -> UInt64 {
        var b = e
        for _ in 0..<4 { b = b.nextDown }
        return min(UInt64((b / width * 0x1p20).rounded(.down)), codeMask)
    }

    /// Where the band heights cross 1: before the top layer, at it (F_{n−1} < 1 ≤ F_n), or not at all.
    enum Crossing { case early, top, late }

    /// W₀ … W_{n−1} and F₀ … F_n for r (stops at an early crossing); returns the crossing and v.
    static func build(r: Double, widths w: UnsafeMutablePointer<Double>, heights f: UnsafeMutablePointer<Double>) -> (Crossing, Double) {
        let n = layers
        f[0] = 0; f[1] = exp(-0.5 * r * r)
        w[0] = roundUp(r + tailMass(r) / f[1])
        let v = w[0] * f[1]
        for i in 1..<n {
            w[i] = roundUp(inverse(f[i]))
            f[i + 1] = f[i] + v / w[i]
            if f[i + 1] >= 1 && i < n - 1 { return (.early, v) }
        }
        return (f[n] >= 1 ? .top : .late, v)
    }

    /// r by bisection: larger r, smaller v, the heights climb more slowly; the largest r found whose
    /// heights still reach 1 crosses at the top layer. Returns r and v, with `w` and `f` built for r.
    static func solve(_ w: UnsafeMutablePointer<Double>, _ f: UnsafeMutablePointer<Double>) -> (r: Double, v: Double) {
        var lo = 3.0, hi = 6.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid == lo || mid == hi { break }
            if build(r: mid, widths: w, heights: f).0 == .late { hi = mid } else { lo = mid }
        }
        let (crossing, v) = build(r: lo, widths: w, heights: f)
        precondition(crossing == .top, "the ziggurat's top layer does not cross 1")
        return (lo, v)
    }

    /// The fast path of eight words: the signed values and which lanes it accepted. `standard` lane
    /// by lane where accepted (the others are fixed up by `slow`).
    @inlinable @inline(__always)
    public static func lanes(_ w: SIMD8<UInt64>, _ t: Tables) -> (value: SIMD8<Double>, accepted: SIMDMask<SIMD8<Int64>>) {
        let i = w &>> 52
        let u = SIMD8<Double>(bits: ((w &<< 1) & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000) - 1
        let p = t.packed
        // One 8-element gather (LLVM emits vpgatherqq at x86-64-v4; scalar loads elsewhere).
        let e = SIMD8<UInt64>(p[Int(truncatingIfNeeded: i[0])], p[Int(truncatingIfNeeded: i[1])],
                              p[Int(truncatingIfNeeded: i[2])], p[Int(truncatingIfNeeded: i[3])],
                              p[Int(truncatingIfNeeded: i[4])], p[Int(truncatingIfNeeded: i[5])],
                              p[Int(truncatingIfNeeded: i[6])], p[Int(truncatingIfNeeded: i[7])])
        let x = u * SIMD8<Double>(bits: e & ~codeMask)
        return (SIMD8<Double>(bits: x.bits ^ ((w &<< 12) & 0x8000_0000_0000_0000)), ((w &>> 31) & codeMask) .< (e & codeMask))
    }

    /// A word's layer i (bits 52…63).
    @inlinable @inline(__always)
    static func layer(_ w: UInt64) -> Int { Int(truncatingIfNeeded: w >> 52) }

    /// A word's uniform u (bits 0…50 · 2^{−51}, exact: (1 + u) from its bits, minus 1); `lanes`
    /// computes the same eight at once.
    @inlinable @inline(__always)
    static func unit(_ w: UInt64) -> Double {
        Double(bitPattern: ((w << 1) & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000) - 1
    }

    /// The scalar map of one word: ±x on the fast path, else `slow` (which may read the scalar stream).
    @inlinable @inline(__always)
    public static func standard(word w: UInt64, _ rng: inout RandomStream, _ t: Tables = tables) -> Double {
        let e = t.packed[layer(w)]
        let x = unit(w) * Double(bitPattern: e & ~codeMask)
        if (w >> 31) & codeMask < e & codeMask { return Double(bitPattern: x.bitPattern ^ ((w << 12) & 0x8000_0000_0000_0000)) }
        return slow(word: w, &rng, t)
    }

    /// A full scalar draw of the same algorithm from the scalar stream (the restart after a
    /// rejection; also a reference for tests).
    @inlinable
    public static func draw(_ rng: inout RandomStream, _ t: Tables = tables) -> Double {
        standard(word: rng.next(), &rng, t)
    }

    /// The slow path of a word the fast path did not take: layer 0's body or tail strip, or the
    /// wedge test, then a restart on the scalar stream.
    @usableFromInline @inline(never)
    static func slow(word w: UInt64, _ rng: inout RandomStream, _ t: Tables) -> Double {
        let i = layer(w)
        let negative = (w >> 51) & 1 == 1
        let x = unit(w) * t.width(i)
        if i == 0 {
            if x < t.r { return negative ? -x : x }                       // under the curve
            if !(rng.uniform() * t.strip < t.tailMass) { return draw(&rng, t) }
            var a: Double, b: Double                                      // the tail beyond r (Marsaglia 1964)
            repeat {
                a = -log(rng.uniformPositive()) / t.r
                b = -log(rng.uniformPositive())
            } while b + b < a * a
            return negative ? -(t.r + a) : t.r + a
        }
        if t.f[i] + rng.uniform() * (t.f[i + 1] - t.f[i]) < exp(-0.5 * x * x) { return negative ? -x : x }
        return draw(&rng, t)
    }

    /// Eight-lane steps with a rejected lane wait in a stack buffer of this many (the word and the
    /// entry), finished by `finish` after the loop or when the buffer is full.
    public static let pending = 16

    /// y[at + l] += s·`slow`(w_l) for the rejected lanes l of each pending step, steps and lanes in
    /// order, on the scalar stream (the fill added −0 there, the identity, so y ends as if each step
    /// had been finished at once).
    @usableFromInline @inline(never)
    static func finish(_ words: UnsafeMutablePointer<SIMD8<UInt64>>, _ at: UnsafeMutablePointer<Int>, _ count: Int,
                       scale s: Double, _ y: UnsafeMutablePointer<Double>, _ rng: inout RandomStream, _ t: Tables) {
        for k in 0..<count {
            let w = words[k]
            let accepted = lanes(w, t).accepted
            for l in 0..<8 where !accepted[l] { y[at[k] + l] += slow(word: w[l], &rng, t) * s }
        }
    }
}

extension RandomStream {
    /// y ← y + s·z with z a fresh N(0, 1) vector, eight coordinates per lane step (`LaneZiggurat`).
    /// Entries 8b … 8b + 7 of each full block take the words of step b of the lanes; rejected lanes
    /// are finished on the scalar stream, steps and lanes in order (`finish`, deferred through a
    /// 16-step stack buffer so the hot loop makes no call; a step is stored there only when one of
    /// its lanes was rejected — a branch taken by 0.96 % of steps, measured no slower than storing
    /// every step unconditionally). The last d mod 8 entries take the first lanes of one more lane
    /// step (`addGaussianTail`; the other lanes' words are dropped — measured a little faster than
    /// the scalar ziggurat for them: 0.93 against 0.98 ns per sgd-gauss coordinate update on one
    /// worker). For d < 8 the fill is the scalar ziggurat `addGaussian`, exactly s·`gaussian()` per
    /// entry, what 1-D fast paths rely on. No heap allocation; the generator's state is copied into
    /// a local, so it stays in registers.
    @inlinable
    public mutating func addGaussianLanes(scale s: Double, to y: UnsafeMutableBufferPointer<Double>) {
        guard let base = y.baseAddress else { return }
        let n = y.count
        if n >= 8 {
            let t = LaneZiggurat.tables, capacity = LaneZiggurat.pending
            withUnsafeTemporaryAllocation(of: SIMD8<UInt64>.self, capacity: capacity) { wordBuffer in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { atBuffer in
                    let words = wordBuffer.baseAddress!, at = atBuffer.baseAddress!
                    var local = self
                    var count = 0, j = 0
                    while j + 8 <= n {
                        let p = UnsafeMutableRawPointer(base + j)
                        let w = local.nextLanes()
                        let (z, accepted) = LaneZiggurat.lanes(w, t)
                        let v = (z * s).replacing(with: -0.0, where: .!accepted)
                        p.storeBytes(of: p.loadUnaligned(as: SIMD8<Double>.self) + v, as: SIMD8<Double>.self)
                        if _slowPath(!all(accepted)) {       // 0.96 % of steps
                            words[count] = w; at[count] = j; count &+= 1
                            if _slowPath(count == capacity) {
                                self = local
                                LaneZiggurat.finish(words, at, count, scale: s, base, &self, t)
                                local = self
                                count = 0
                            }
                        }
                        j += 8
                    }
                    self = local
                    if count > 0 { LaneZiggurat.finish(words, at, count, scale: s, base, &self, t) }
                }
            }
            if n % 8 > 0 { addGaussianTail(scale: s, to: base + (n - n % 8), count: n % 8, t) }
        } else {
            addGaussian(scale: s, to: y)
        }
    }

    /// y[l] += s·z_l for the first `count` (< 8) lanes of one more lane step, in lane order (the
    /// tail of a fill of d ≥ 8 entries), each by the scalar map of its word — the lane path's value
    /// bit for bit, without a gather for a partial step.
    @inlinable @inline(__always)
    mutating func addGaussianTail(scale s: Double, to y: UnsafeMutablePointer<Double>, count: Int, _ t: LaneZiggurat.Tables) {
        let w = nextLanes()
        for l in 0..<count { y[l] += LaneZiggurat.standard(word: w[l], &self, t) * s }
    }
}
