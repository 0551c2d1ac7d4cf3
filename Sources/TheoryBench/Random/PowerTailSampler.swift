import Foundation

/// A fast sampler of U^{−1/α} (U uniform on (0, 1)): the magnitude of symmetric Pareto draws, and
/// of symmetric Lomax draws after subtracting 1. Same law as `ScalarLaw.sample` (which calls `pow`,
/// ≈ 20 ns a draw), without a transcendental per draw (≈ 2–3 ns).
///
/// Construction (exact in law): one 64-bit word w gives the sign (bit 63), an exponent and a
/// mantissa. Write U = 2^{−(z+1)}(1 + f) with z ~ Geometric(½) (P(z = k) = 2^{−(k+1)}) and f uniform
/// on [0, 1) independent of z — then U is uniform on (0, 1). z is the number of leading zeros of a
/// fair bit stream: bits 52…62 of w, continued with further words when those 11 bits are all zero
/// (probability 2^{−11}); f is the low 52 bits of w times 2^{−52}. Then
///   U^{−β} = 2^{(z+1)β} · (1 + f)^{−β},   β = 1/α,
/// with 2^{(z+1)β} from a table (z < 64; `exp2` beyond) and h(f) = (1 + f)^{−β} from a piecewise
/// Taylor polynomial: 4096 intervals of width 2^{−12}, degree 3 about each midpoint c (evaluated by
/// Estrin's scheme, short dependency chains), coefficients C(−β, n)(1 + c)^{−β−n}. The remainder is
/// at most |C(−β, 4)|·(2^{−13})^4 ≤ 2.3e-16 for β ≤ 1 (h ≥ ½), so
/// h is exact to rounding (≈ 1e-16 relative; unit-tested against `pow`).
///
/// The tables live in raw memory owned by a class instance, so a draw touches no reference count.
public struct PowerTailSampler: @unchecked Sendable, Equatable {
    public let alpha: Double
    @usableFromInline let owner: Tables
    @usableFromInline let coefficients: UnsafePointer<Double>   // 4096 × 4, lowest degree first (128 KB)
    @usableFromInline let exponentScale: UnsafePointer<Double>  // 2^{(z+1)β}, z = 0..<64
    @usableFromInline let beta: Double

    /// Immutable after init; freed with the last sampler that shares it.
    @usableFromInline final class Tables: @unchecked Sendable {
        let coefficients: UnsafeMutablePointer<Double>
        let exponentScale: UnsafeMutablePointer<Double>
        init(_ c: [Double], _ e: [Double]) {
            coefficients = .allocate(capacity: c.count); coefficients.initialize(from: c, count: c.count)
            exponentScale = .allocate(capacity: e.count); exponentScale.initialize(from: e, count: e.count)
        }
        deinit { coefficients.deallocate(); exponentScale.deallocate() }
    }

    @usableFromInline static let degree = 3
    @usableFromInline static let stride = 4
    @usableFromInline static let intervals = 4096

    public init(tail alpha: Double) {
        precondition(alpha > 0, "the tail index must be positive")
        self.alpha = alpha
        let beta = 1 / alpha
        self.beta = beta
        var coef = [Double](repeating: 0, count: Self.intervals * Self.stride)
        for i in 0..<Self.intervals {
            let c = (Double(i) + 0.5) / Double(Self.intervals)
            var binom = 1.0                            // C(−β, n)
            for n in 0...Self.degree {
                if n > 0 { binom *= (-beta - Double(n - 1)) / Double(n) }
                coef[i * Self.stride + n] = binom * pow(1 + c, -beta - Double(n))
            }
        }
        owner = Tables(coef, (0..<64).map { exp2(Double($0 + 1) * beta) })
        coefficients = UnsafePointer(owner.coefficients)
        exponentScale = UnsafePointer(owner.exponentScale)
    }

    public static func == (a: Self, b: Self) -> Bool { a.alpha == b.alpha }

    /// U^{−1/α}, U uniform on (0, 1), and an independent sign ±1 (from the same word).
    @inlinable @inline(__always)
    public func draw(_ rng: inout RandomStream) -> (magnitude: Double, sign: Double) {
        let w = rng.next()
        let sign = Double(bitPattern: 0x3FF0_0000_0000_0000 | (w & 0x8000_0000_0000_0000))
        let mbits = w & 0x000F_FFFF_FFFF_FFFF
        let ebits = (w >> 52) & 0x7FF
        var z: Int
        if _fastPath(ebits != 0) {
            z = ebits.leadingZeroBitCount - 53
        } else {
            z = 11
            while true {
                let v = rng.next()
                if v != 0 { z += v.leadingZeroBitCount; break }
                z += 64
            }
        }
        let onePlusF = Double(bitPattern: 0x3FF0_0000_0000_0000 | mbits)     // 1 + f, exactly
        let i = Int(truncatingIfNeeded: mbits >> 40)                           // top 12 bits of f
        let t = onePlusF - (1 + (Double(i) + 0.5) * 0x1.0p-12)
        let c = coefficients, b = i &* 4
        let h = (c[b] + c[b + 1] * t) + (t * t) * (c[b + 2] + c[b + 3] * t)
        let scale = _fastPath(z < 64) ? exponentScale[z] : exp2(Double(z + 1) * beta)
        return (scale * h, sign)
    }

    /// y ← y + s·σ·(U^{−1/α} − shift) for fresh (U, σ) per entry (shift 0: symmetric Pareto, 1:
    /// symmetric Lomax). The generator's state is copied into a local that no closure captures, so it
    /// stays in registers.
    @inlinable
    public func add(scale s: Double, shift: Double, to y: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        var local = rng
        for j in 0..<y.count {
            let (m, sign) = draw(&local)
            y[j] += s * sign * (m - shift)
        }
        rng = local
    }

    /// The deterministic map (z, f) ↦ 2^{(z+1)β}(1 + f)^{−β} used by `draw` (for tests).
    public func magnitude(z: Int, mantissaBits mbits: UInt64) -> Double {
        let i = Int(mbits >> 40)
        let t = Double(bitPattern: 0x3FF0_0000_0000_0000 | mbits) - (1 + (Double(i) + 0.5) * 0x1.0p-12)
        var p = 0.0
        for n in Swift.stride(from: Self.degree, through: 0, by: -1) { p = p * t + coefficients[i * Self.stride + n] }
        return (z < 64 ? exponentScale[z] : exp2(Double(z + 1) * beta)) * p
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
