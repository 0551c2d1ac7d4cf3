/// f(x) = ½ (x − x*)ᵀ A (x − x*) + f*, with A = Q diag(λ) Qᵀ for a prescribed spectrum λ and a
/// Haar-random rotation Q drawn from a seed (or Q = I: a diagonal quadratic).
///
/// Exact constants: L = max λ, μ = min λ (strongly convex when μ > 0), x*, f* as given.
public struct Quadratic: Objective {
    public enum Storage: Sendable, Equatable {
        case diagonal([Double])
        case dense(Matrix)
    }

    public let storage: Storage
    public let xStar: [Double]
    public let fStar: Double
    public let eigenvalues: [Double]

    /// A quadratic with eigenvalues `spectrum`, rotated by a Haar-random Q drawn from `rotationSeed`
    /// (nil: diagonal).
    public init(spectrum: [Double], rotationSeed: UInt64?, xStar: [Double], fStar: Double = 0) {
        precondition(spectrum.count == xStar.count, "spectrum and x* must have the same dimension")
        eigenvalues = spectrum.sorted()
        self.xStar = xStar; self.fStar = fStar
        guard let seed = rotationSeed else { storage = .diagonal(spectrum); return }
        var rng = RandomStream(seed: seed)
        let q = LinearAlgebra.randomRotation(spectrum.count, &rng)
        var qd = q
        for i in 0..<q.rows { for j in 0..<q.cols { qd[i, j] *= spectrum[j] } }
        var a = qd.times(q.transposed)
        for i in 0..<a.rows { for j in 0..<i { let s = 0.5 * (a[i, j] + a[j, i]); a[i, j] = s; a[j, i] = s } }
        storage = .dense(a)
    }

    /// A quadratic with an explicit symmetric matrix A (eigenvalues by `gsl_eigen_symmv`).
    public init(matrix: Matrix, xStar: [Double], fStar: Double = 0) {
        storage = .dense(matrix)
        eigenvalues = LinearAlgebra.symmetricEigenvalues(matrix)
        self.xStar = xStar; self.fStar = fStar
    }

    /// The spectrum λ_min, …, λ_max spaced evenly (the layout of the speed workloads' quadratic, `scripts/perf/`).
    public static func linearSpectrum(dimension d: Int, min lo: Double, max hi: Double) -> [Double] {
        d == 1 ? [hi] : (0..<d).map { lo + (hi - lo) * Double($0) / Double(d - 1) }
    }

    public var dimension: Int { xStar.count }

    public var constants: ProblemConstants {
        let mu = eigenvalues.first!
        return ProblemConstants(L: eigenvalues.last!, mu: mu > 0 ? mu : nil, convex: mu >= 0,
                                xStar: xStar, fStar: fStar)
    }

    public func value(_ x: [Double]) -> Double {
        var g = [Double](repeating: 0, count: dimension)
        gradient(x, into: &g)
        var s = 0.0
        for i in 0..<dimension { s += (x[i] - xStar[i]) * g[i] }
        return 0.5 * s + fStar
    }

    @inlinable
    public func gradient(_ x: [Double], into g: inout [Double]) {
        switch storage {
        case .diagonal(let lambda):
            lambda.withUnsafeBufferPointer { l in
                x.withUnsafeBufferPointer { xp in
                    xStar.withUnsafeBufferPointer { sp in
                        g.withUnsafeMutableBufferPointer { gp in
                            for i in 0..<l.count { gp[i] = l[i] * (xp[i] - sp[i]) }
                        }
                    }
                }
            }
        case .dense(let a):
            let n = dimension
            a.data.withUnsafeBufferPointer { ap in
                x.withUnsafeBufferPointer { xp in
                    xStar.withUnsafeBufferPointer { sp in
                        g.withUnsafeMutableBufferPointer { gp in
                            for i in 0..<n {
                                var s = 0.0
                                for j in 0..<n { s += ap[i * n + j] * (xp[j] - sp[j]) }
                                gp[i] = s
                            }
                        }
                    }
                }
            }
        }
    }
}
