import Foundation

/// Standard normal sampling by the ziggurat method of Marsaglia & Tsang (2000), 256 layers,
/// with the layer index and the value drawn from disjoint bits of one 64-bit draw (the correlation
/// Leong et al. 2005 point out in the original does not arise). About 99.3 % of draws take the fast
/// path: one multiply and one compare. Checked against `gsl_cdf_ugaussian_P` by a KS test.
public enum Ziggurat {
    /// The start of the tail, and the common area v of the layers (Marsaglia & Tsang 2000, 256 layers).
    @usableFromInline static let r = 3.6541528853610088
    static let v = 4.92867323399e-3

    /// The layer tables k (acceptance thresholds), w (widths) and f (densities), 256 entries each, in
    /// never-freed allocations: hot loops read them through plain pointers, with no reference
    /// counting per draw.
    public struct Tables: @unchecked Sendable {
        public let k: UnsafePointer<UInt32>
        public let w: UnsafePointer<Double>
        public let f: UnsafePointer<Double>
    }

    public static let tables: Tables = {
        let m1 = 2147483648.0
        let k = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        let w = UnsafeMutablePointer<Double>.allocate(capacity: 256)
        let f = UnsafeMutablePointer<Double>.allocate(capacity: 256)
        var dn = r, tn = dn
        let q = v / exp(-0.5 * dn * dn)
        k[0] = UInt32((dn / q) * m1); k[1] = 0
        w[0] = q / m1; w[255] = dn / m1
        f[0] = 1; f[255] = exp(-0.5 * dn * dn)
        for i in stride(from: 254, through: 1, by: -1) {
            dn = (-2 * log(v / dn + exp(-0.5 * dn * dn))).squareRoot()
            k[i + 1] = UInt32((dn / tn) * m1)
            tn = dn
            f[i] = exp(-0.5 * dn * dn)
            w[i] = dn / m1
        }
        return Tables(k: UnsafePointer(k), w: UnsafePointer(w), f: UnsafePointer(f))
    }()
}

extension RandomStream {
    /// A standard normal N(0, 1) draw (ziggurat).
    @inlinable @inline(__always)
    public mutating func gaussian() -> Double {
        let t = Ziggurat.tables
        let bits = next()
        let i = Int(bits & 255)
        let hz = Int32(truncatingIfNeeded: bits >> 32)
        return hz.magnitude < t.k[i] ? Double(hz) * t.w[i] : gaussianSlow(hz, i, t)
    }

    /// y ← y + s·z with z a fresh N(0, 1) vector: the ziggurat with its tables hoisted out of the loop
    /// and the scalar generator's four words held in locals (the lanes are not copied: reading them
    /// right after a lane fill stored them stalled on store forwarding; the tail of
    /// `addGaussianLanes` and every d < 8 fill come here).
    @inlinable
    public mutating func addGaussian(scale s: Double, to y: UnsafeMutableBufferPointer<Double>) {
        let t = Ziggurat.tables
        var a = s0, b = s1, c = s2, e = s3
        for j in 0..<y.count {
            let bits = Self.advance(&a, &b, &c, &e)
            let i = Int(bits & 255)
            let hz = Int32(truncatingIfNeeded: bits >> 32)
            if hz.magnitude < t.k[i] {
                y[j] += s * (Double(hz) * t.w[i])
            } else {   // rare: hand the state back so the locals never have their address taken
                s0 = a; s1 = b; s2 = c; s3 = e
                y[j] += s * gaussianSlow(hz, i, t)
                a = s0; b = s1; c = s2; e = s3
            }
        }
        s0 = a; s1 = b; s2 = c; s3 = e
    }

    /// The ziggurat's rejection path: the wedge of a layer, or the tail beyond r (Marsaglia 1964).
    @usableFromInline
    mutating func gaussianSlow(_ firstHz: Int32, _ firstIndex: Int, _ t: Ziggurat.Tables) -> Double {
        let (k, w, f) = (t.k, t.w, t.f)
        var hz = firstHz, i = firstIndex
        while true {
            let x = Double(hz) * w[i]
            if i == 0 {
                var tail: Double, y: Double
                repeat {
                    tail = -log(uniformPositive()) / Ziggurat.r
                    y = -log(uniformPositive())
                } while y + y < tail * tail
                return hz > 0 ? Ziggurat.r + tail : -Ziggurat.r - tail
            }
            if f[i] + uniform() * (f[i - 1] - f[i]) < exp(-0.5 * x * x) { return x }
            let bits = next()
            i = Int(bits & 255)
            hz = Int32(truncatingIfNeeded: bits >> 32)
            if hz.magnitude < k[i] { return Double(hz) * w[i] }
        }
    }
}
