import Foundation

/// A fast sampler of U^{−1/α} (U uniform on (0, 1)): the magnitude of symmetric Pareto draws, and
/// of symmetric Lomax draws after subtracting 1. Same law as `ScalarLaw.sample` (which calls `pow`,
/// ≈ 20 ns a draw), without a transcendental per draw; bulk fills (`add`) run eight draws per SIMD
/// step on the stream's lanes.
///
/// Construction (exact in law): one 64-bit word w gives the sign (bit 63), an exponent and a
/// mantissa. Write U = 2^{−(z+1)}(1 + f) with z ~ Geometric(½) (P(z = k) = 2^{−(k+1)}) and f uniform
/// on [0, 1) independent of z — then U is uniform on (0, 1). z is the number of leading zeros of a
/// fair bit stream: the 11 bits e = bits 52…62 of w give z = 10 − ⌊log₂ e⌋ when e ≠ 0, and are
/// continued with further words of the scalar stream when e = 0 (probability 2^{−11}); f is the
/// low 52 bits of w times 2^{−52}. With β = 1/α,
///   U^{−β} = 2^{(z+1)β} · (1 + c)^{−β} · (1 + x)^{−β},   x = (f − c)/(1 + c),
/// where c = (i + ½)/256 is the midpoint of f's interval i (its top 8 bits), so |x| < 2^{−9}.
/// 2^{(z+1)β}(1 + c)^{−β} comes from an 11 × 256 table (z ≤ 10; `exp2` times row z = 10 beyond),
/// 1/(1 + c) from one division (a vector division costs less than a second gather), and
/// (1 + x)^{−β} from its binomial series cut at degree 5,
///   p(x) = 1 + Σ_{n=1}^{5} C(−β, n) xⁿ   (Estrin's scheme with fused multiply-adds, fixed coefficients),
/// whose remainder is at most |C(−β, 6)|·|x|⁶/(1 − |x|) ≤ 2^{−54}·1.002 for β ≤ 1. f − c is exact
/// (Sterbenz), so each draw is exact to a few roundings (≈ 3e-16 relative; unit-tested against `pow`).
///
/// Scalar draws and SIMD lanes evaluate the same operations in the same order, so a lane's
/// value is bitwise the scalar `magnitude(z:mantissaBits:)` of its word (unit-tested). Fused
/// multiply-adds are explicit (`addingProduct`, one rounding by IEEE 754): the same bits on every
/// machine — one instruction at x86-64-v3/v4, a libm `fma` call at baseline x86-64. The table
/// (22 KB, L1-resident) is built once per tail index and kept for the process's lifetime, so the
/// sampler is a plain value: copying it touches no reference count.
public struct PowerTailSampler: @unchecked Sendable, Equatable {
    public let alpha: Double
    @usableFromInline let beta: Double
    /// Row r (= ⌊log₂ e⌋ = 10 − z), column i: 2^{(11−r)β}(1 + c_i)^{−β}.
    @usableFromInline let scaled: UnsafePointer<Double>
    /// C(−β, n), n = 1…5.
    @usableFromInline let a1: Double, a2: Double, a3: Double, a4: Double, a5: Double

    @usableFromInline static let rows = 11
    @usableFromInline static let intervals = 256

    public init(tail alpha: Double) {
        precondition(alpha > 0, "the tail index must be positive")
        self.alpha = alpha
        let beta = 1 / alpha
        self.beta = beta
        var a = [Double](repeating: 1, count: 6)              // C(−β, n)
        for n in 1...5 { a[n] = a[n - 1] * (-beta - Double(n - 1)) / Double(n) }
        (a1, a2, a3, a4, a5) = (a[1], a[2], a[3], a[4], a[5])
        scaled = Self.table(alpha: alpha)
    }

    /// The table of tail index α, built on first use and shared by every sampler of that α.
    static func table(alpha: Double) -> UnsafePointer<Double> {
        cacheLock.lock(); defer { cacheLock.unlock() }
        if let t = cache[alpha.bitPattern] { return t }
        let beta = 1 / alpha, n = intervals
        let scaled = UnsafeMutablePointer<Double>.allocate(capacity: rows * n)
        for i in 0..<n {
            let onePlusC = Self.midpoint(i)
            for r in 0..<rows { scaled[r * n + i] = pow(2, Double(11 - r) * beta) * pow(onePlusC, -beta) }
        }
        cache[alpha.bitPattern] = UnsafePointer(scaled)
        return UnsafePointer(scaled)
    }
    nonisolated(unsafe) private static var cache = [UInt64: UnsafePointer<Double>]()
    private static let cacheLock = NSLock()

    /// 1 + c_i = 1 + (i + ½)/256, from its bits.
    @inlinable @inline(__always)
    static func midpoint(_ i: Int) -> Double {
        Double(bitPattern: 0x3FF0_0000_0000_0000 | UInt64(truncatingIfNeeded: i) << 44 | 1 << 43)
    }

    public static func == (a: Self, b: Self) -> Bool { a.alpha == b.alpha }

    /// p(x) ≈ (1 + x)^{−β} for the mantissa bits of 1 + f (x = (f − c_i)/(1 + c_i), i = top 8 bits).
    @inlinable @inline(__always)
    func series(_ mbits: UInt64) -> Double {
        let i = Int(truncatingIfNeeded: mbits >> 44)
        let onePlusC = Self.midpoint(i)
        let x = (Double(bitPattern: 0x3FF0_0000_0000_0000 | mbits) - onePlusC) * (1 / onePlusC)
        let x2 = x * x
        let high = a2.addingProduct(x, a3).addingProduct(x2, a4.addingProduct(x, a5))
        return (1.0).addingProduct(x, a1).addingProduct(x2, high)
    }

    /// The deterministic map (z, f) ↦ 2^{(z+1)β}(1 + f)^{−β} of every draw, scalar or lane.
    @inlinable @inline(__always)
    public func magnitude(z: Int, mantissaBits mbits: UInt64) -> Double {
        let i = Int(truncatingIfNeeded: mbits >> 44)
        if _fastPath(z <= 10) { return scaled[(10 - z) << 8 | i] * series(mbits) }
        return (exp2(Double(z - 10) * beta) * scaled[i]) * series(mbits)
    }

    /// z ≥ 11 for a word whose 11 exponent bits are all zero: 11 plus the leading zeros of the
    /// continuation words of the scalar stream.
    @inlinable
    static func longExponent(_ rng: inout RandomStream) -> Int {
        var z = 11
        while true {
            let v = rng.next()
            if v != 0 { return z + v.leadingZeroBitCount }
            z += 64
        }
    }

    /// U^{−1/α}, U uniform on (0, 1), and an independent sign ±1 (from the same word).
    @inlinable @inline(__always)
    public func draw(_ rng: inout RandomStream) -> (magnitude: Double, sign: Double) {
        let w = rng.next()
        let sign = Double(bitPattern: 0x3FF0_0000_0000_0000 | (w & 0x8000_0000_0000_0000))
        let ebits = (w >> 52) & 0x7FF
        let z = _fastPath(ebits != 0) ? ebits.leadingZeroBitCount - 53 : Self.longExponent(&rng)
        return (magnitude(z: z, mantissaBits: w & 0x000F_FFFF_FFFF_FFFF), sign)
    }

    /// The magnitudes of eight lane words at once (`magnitude` lane by lane for words whose exponent
    /// bits are not all zero; the others are fixed up by `add`). ⌊log₂ e⌋ is read off the exponent
    /// of the double e | 1 (built exactly from its bits), which is 0 for e ∈ {0, 1}.
    @inlinable @inline(__always)
    func magnitudes(_ w: SIMD8<UInt64>) -> SIMD8<Double> {
        let one: SIMD8<UInt64> = .init(repeating: 0x3FF0_0000_0000_0000)
        let e = SIMD8<Double>(bits: ((w &>> 52) & 0x7FF) | 0x4330_0000_0000_0001) - 0x1.0p52
        let mbits = w & 0x000F_FFFF_FFFF_FFFF
        let i = mbits &>> 44
        // (biased exponent of e | 1, i) side by side, minus the bias: row·256 + i, row = ⌊log₂(e | 1)⌋.
        let index = ((((e.bits & 0x7FF0_0000_0000_0000) | (w & 0x000F_F000_0000_0000)) &>> 44) &- 0x3FF00) & 0xFFF
        var factor = SIMD8<Double>()
        for l in 0..<8 { factor[l] = scaled[Int(truncatingIfNeeded: index[l])] }
        let midpoint = SIMD8<Double>(bits: one | (i &<< 44) | (1 &<< 43))
        let x = (SIMD8<Double>(bits: one | mbits) - midpoint) * (1 / midpoint)
        let x2 = x * x
        let one8 = SIMD8<Double>(repeating: 1)
        let low = one8.addingProduct(x, SIMD8<Double>(repeating: a1))
        let mid = SIMD8<Double>(repeating: a2).addingProduct(x, SIMD8<Double>(repeating: a3))
        let top = SIMD8<Double>(repeating: a4).addingProduct(x, SIMD8<Double>(repeating: a5))
        let high = mid.addingProduct(x2, top)
        return factor * low.addingProduct(x2, high)
    }

    /// y ← y + s·σ·(U^{−1/α} − shift) for fresh (U, σ) per entry (shift 0: symmetric Pareto, 1:
    /// symmetric Lomax). Entries 8b … 8b + 7 of each full block take the words of step b of the
    /// stream's lanes (a word with all-zero exponent bits continues on the scalar stream, lanes in
    /// order); the last d mod 8 entries are scalar `draw`s, so for d < 8 this is exactly
    /// s·`symmetricLomax`/`symmetricPareto` per entry (what 1-D fast paths rely on). The generator's
    /// state is copied into a local that no closure captures, so it stays in registers.
    @inlinable
    public func add(scale s: Double, shift: Double, to y: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        guard let base = y.baseAddress else { return }
        let n = y.count
        var local = rng
        var j = 0
        while j + 8 <= n {
            let p = UnsafeMutableRawPointer(base + j)
            let v = lanes(scale: s, shift: shift, &local, &rng)
            p.storeBytes(of: p.loadUnaligned(as: SIMD8<Double>.self) + v, as: SIMD8<Double>.self)
            j += 8
        }
        rng = local
        if j < n { addScalar(scale: s, shift: shift, to: UnsafeMutableBufferPointer(rebasing: y[j...]), rng: &rng) }
    }

    /// y ← y + s·σ·(U^{−1/α} − shift) by scalar `draw`s (the tail of `add`).
    @usableFromInline @inline(never)
    func addScalar(scale s: Double, shift: Double, to y: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        for j in y.indices {
            let (m, sign) = draw(&rng)
            y[j] += s * (sign * (m - shift))
        }
    }

    /// One lane step of `add`: s·σ·(U^{−1/α} − shift) on eight lanes. `spill` receives the state
    /// on the rare long-exponent path, so `local` never has its address taken.
    @inlinable @inline(__always)
    func lanes(scale s: Double, shift: Double, _ local: inout RandomStream,
               _ spill: inout RandomStream) -> SIMD8<Double> {
        let w = local.nextLanes()
        var m = magnitudes(w)
        let ebits = (w &>> 52) & 0x7FF
        if _slowPath(ebits.min() == 0) {
            spill = local
            fixLongExponents(w, &m, &spill)
            local = spill
        }
        return SIMD8<Double>(bits: ((m - shift) * s).bits ^ (w & 0x8000_0000_0000_0000))
    }

    /// The magnitudes of the lanes whose words have all-zero exponent bits.
    @usableFromInline @inline(never)
    func fixLongExponents(_ w: SIMD8<UInt64>, _ m: inout SIMD8<Double>, _ rng: inout RandomStream) {
        for l in 0..<8 where (w[l] >> 52) & 0x7FF == 0 {
            m[l] = magnitude(z: Self.longExponent(&rng), mantissaBits: w[l] & 0x000F_FFFF_FFFF_FFFF)
        }
    }

    /// A symmetric Pareto draw ±U^{−1/α}.
    @inlinable @inline(__always)
    public func symmetricPareto(_ rng: inout RandomStream) -> Double {
        let (m, s) = draw(&rng)
        return s * m
    }

    /// A symmetric Lomax draw ±(U^{−1/α} − 1).
    @inlinable @inline(__always)
    public func symmetricLomax(_ rng: inout RandomStream) -> Double {
        let (m, s) = draw(&rng)
        return s * (m - 1)
    }
}

extension SIMD8 where Scalar == Double {
    /// The vector whose lanes have the given bit patterns.
    @inlinable @inline(__always)
    init(bits: SIMD8<UInt64>) { self = unsafeBitCast(bits, to: Self.self) }

    /// The lanes' bit patterns.
    @inlinable @inline(__always)
    var bits: SIMD8<UInt64> { unsafeBitCast(self, to: SIMD8<UInt64>.self) }
}
