import Foundation

/// SPD(n), symmetric positive definite n×n matrices (stored row-major, n² entries) with the
/// affine-invariant metric ⟨U, V⟩_X = tr(X⁻¹UX⁻¹V): a Hadamard manifold with sectional curvature
/// in [−1/2, 0] (Bhatia 2007, ch. 6; Criscitiello & Boumal 2020), injectivity radius ∞.
///   grad = X sym(∇f) X;  Exp_X V = X^½ expm(X^-½ V X^-½) X^½;  Log_X Y = X^½ logm(X^-½ Y X^-½) X^½;
///   d(X, Y) = ‖logm(X^-½ Y X^-½)‖_F;  Γ_X^Y V = E V Eᵀ, E = (Y X⁻¹)^½ = X^½ (X^-½ Y X^-½)^½ X^-½.
/// Matrix functions come from symmetric eigendecompositions (`LinearAlgebra.symmetricEigen`,
/// `gsl_eigen_symmv`).
public struct SPD: Manifold {
    /// n, the matrix size.
    public let size: Int
    public init(size: Int) { self.size = size }
    public var storageCount: Int { size * size }
    public var dimension: Int { size * (size + 1) / 2 }
    public var curvatureBounds: (lower: Double, upper: Double) { (-0.5, 0) }
    public var injectivityRadius: Double { .infinity }

    // MARK: dense kernels on n×n row-major buffers

    /// C ← A B.
    @inline(__always)
    public func multiply(_ a: [Double], _ b: [Double], into c: inout [Double]) {
        let n = size
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            for i in 0..<n {
                for j in 0..<n { cp[i * n + j] = 0 }
                for k in 0..<n {
                    let aik = ap[i * n + k]
                    for j in 0..<n { cp[i * n + j] += aik * bp[k * n + j] }
                }
            }
        } } }
    }

    public func product(_ a: [Double], _ b: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: size * size); multiply(a, b, into: &c); return c
    }

    /// A B A for symmetric A (the congruence used by every operation), symmetrized.
    public func congruence(_ a: [Double], _ b: [Double]) -> [Double] {
        let n = size
        var t = [Double](repeating: 0, count: n * n), c = t
        multiply(a, b, into: &t)
        multiply(t, a, into: &c)
        c.withUnsafeMutableBufferPointer { cp in
            for i in 0..<n { for j in (i + 1)..<n { let m = 0.5 * (cp[i * n + j] + cp[j * n + i]); cp[i * n + j] = m; cp[j * n + i] = m } }
        }
        return c
    }

    public func symmetrized(_ a: [Double]) -> [Double] {
        let n = size
        var s = a
        s.withUnsafeMutableBufferPointer { sp in
            for i in 0..<n { for j in (i + 1)..<n { let m = 0.5 * (sp[i * n + j] + sp[j * n + i]); sp[i * n + j] = m; sp[j * n + i] = m } }
        }
        return s
    }

    /// The eigendecomposition of a symmetric matrix (symmetrized first).
    public func eigen(_ a: [Double]) -> (values: [Double], vectors: [Double]) {
        let e = LinearAlgebra.symmetricEigen(Matrix(rows: size, cols: size, data: symmetrized(a)))
        return (e.values, e.vectors.data)
    }

    /// V diag(f(λ)) Vᵀ.
    public func compose(_ vectors: [Double], _ values: [Double]) -> [Double] {
        let n = size
        var out = [Double](repeating: 0, count: n * n)
        vectors.withUnsafeBufferPointer { v in values.withUnsafeBufferPointer { l in out.withUnsafeMutableBufferPointer { o in
            for i in 0..<n { for k in i..<n {
                var s = 0.0
                for j in 0..<n { s += v[i * n + j] * l[j] * v[k * n + j] }
                o[i * n + k] = s; o[k * n + i] = s
            } }
        } } }
        return out
    }

    /// f(A) for symmetric A, through its eigendecomposition.
    public func function(_ a: [Double], _ f: (Double) -> Double) -> [Double] {
        let e = eigen(a)
        return compose(e.vectors, e.values.map(f))
    }

    /// (X^½, X^-½) from one eigendecomposition. The last three points' roots are kept per thread
    /// (`RootsCache`): a method step asks for the roots of the same X several times (gradients at X,
    /// Exp_X, Γ from X), and a hit is returned only for a bitwise-equal X, so results do not change.
    public func roots(_ x: [Double]) -> (sqrt: [Double], invSqrt: [Double]) {
        RootsCache.current.roots(x) {
            let e = eigen(x)
            return (compose(e.vectors, e.values.map { $0.squareRoot() }), compose(e.vectors, e.values.map { 1 / $0.squareRoot() }))
        }
    }

    // MARK: Manifold

    public func inner(_ x: [Double], _ u: [Double], _ v: [Double]) -> Double {
        let r = roots(x)
        // tr(X⁻¹UX⁻¹V) = ⟨X^-½ U X^-½, X^-½ V X^-½⟩_F
        let a = congruence(r.invSqrt, u), b = congruence(r.invSqrt, v)
        return Vec.dot(a, b)
    }

    public func riemannianGradient(_ x: [Double], euclidean g: [Double], into out: inout [Double]) {
        let y = congruence(x, symmetrized(g))
        for i in 0..<storageCount { out[i] = y[i] }
    }

    public func exp(_ x: [Double], _ v: [Double], into y: inout [Double]) {
        let r = roots(x)
        let e = function(congruence(r.invSqrt, v), Foundation.exp)
        let out = congruence(r.sqrt, e)
        for i in 0..<storageCount { y[i] = out[i] }
    }

    public func log(_ x: [Double], _ y: [Double], into v: inout [Double]) {
        let r = roots(x)
        logarithm(roots: r, y, into: &v)
    }

    /// Log_X Y given X's roots (shared when several logarithms are taken at the same X).
    public func logarithm(roots r: (sqrt: [Double], invSqrt: [Double]), _ y: [Double], into v: inout [Double]) {
        let l = function(congruence(r.invSqrt, y), Foundation.log)
        let out = congruence(r.sqrt, l)
        for i in 0..<storageCount { v[i] = out[i] }
    }

    public func transport(from x: [Double], to y: [Double], _ v: [Double], into out: inout [Double]) {
        let r = roots(x)
        let m = function(congruence(r.invSqrt, y)) { $0.squareRoot() }
        let e = product(product(r.sqrt, m), r.invSqrt)          // E = X^½ (X^-½ Y X^-½)^½ X^-½
        var et = e
        let n = size
        for i in 0..<n { for j in 0..<n { et[i * n + j] = e[j * n + i] } }
        let t = symmetrized(product(product(e, v), et))
        for i in 0..<storageCount { out[i] = t[i] }
    }

    public func distance(_ x: [Double], _ y: [Double]) -> Double {
        let r = roots(x)
        let lambda = eigen(congruence(r.invSqrt, y)).values
        return lambda.reduce(0) { $0 + Foundation.log($1) * Foundation.log($1) }.squareRoot()
    }
}

/// A per-thread cache of the matrix roots of the last three SPD points (keyed by their exact entries).
/// Runs are synchronous within their task (no suspension inside a step), so a thread's cache is used by
/// one run at a time; an entry is returned only for a bitwise-equal point, so cached and recomputed
/// roots are identical and results stay bitwise reproducible whatever the thread count.
final class RootsCache {
    private var keys: [[Double]] = []
    private var values: [(sqrt: [Double], invSqrt: [Double])] = []
    private(set) var hits = 0, misses = 0

    func roots(_ x: [Double], _ make: () -> (sqrt: [Double], invSqrt: [Double])) -> (sqrt: [Double], invSqrt: [Double]) {
        for i in keys.indices where keys[i] == x {
            hits += 1
            if i != 0 { keys.swapAt(0, i); values.swapAt(0, i) }
            return values[0]
        }
        misses += 1
        let r = make()
        keys.insert(x, at: 0); values.insert(r, at: 0)
        if keys.count > 3 { keys.removeLast(); values.removeLast() }
        return r
    }

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in
            if let p { Unmanaged<RootsCache>.fromOpaque(p).release() }
        }
        return k
    }()

    static var current: RootsCache {
        if let p = pthread_getspecific(key) { return Unmanaged<RootsCache>.fromOpaque(p).takeUnretainedValue() }
        let c = RootsCache()
        pthread_setspecific(key, Unmanaged.passRetained(c).toOpaque())
        return c
    }
}
