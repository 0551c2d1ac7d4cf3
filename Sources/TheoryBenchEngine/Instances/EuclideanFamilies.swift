import Foundation
import TheoryBenchCore

/// The Euclidean problem families the engine ships (a paper family registers its own beside them).
/// Each value names its keys, validates them and documents them for `problems/README.md`.
extension ProblemFamily {
    /// The engine's families: quadratic, least-squares, logistic, cosine-quadratic.
    public static let euclidean: [ProblemFamily] = [.quadratic, .leastSquares, .logistic, .cosineQuadratic]

    public static let quadratic = ProblemFamily(
        name: "quadratic",
        documentation: """
        f(x) = ½(x − x*)ᵀA(x − x*) + f*: `dimension` + `spectrum: {min: μ, max: L}` (evenly spaced \
        eigenvalues), or `eigenvalues: […]` (or `{csv: file}`), or `matrix: {csv: a.csv}` (symmetric PSD); \
        `rotation: random | none` (Haar rotation from the seed; default random); `optimum: {x: […], value: f*}` \
        (default 0, 0). Constants: L = λ_max, μ = λ_min (strongly convex when μ > 0), exact.
        """,
        space: quadraticSpace
    ) { f, dir, seed in ProblemReading(try readQuadratic(&f, dir: dir, seed: seed)) }

    /// Quadratics for falsification: d ∈ {1, …, 12}, μ = 1, L = κ ∈ [1, 100] (log-uniform), the d − 2
    /// other eigenvalues anywhere in [1, κ] (d = 1: the one eigenvalue κ), in the eigenbasis (rotation
    /// plays no role once the start direction is free), x* = 0, f* = 0, the start in any direction at
    /// distance r ∈ [0.1, 10].
    static let quadraticSpace = InstanceSpace(
        "quadratics with d ∈ {1…12}, μ = 1, L = κ ∈ [1, 100] (d = 1: the eigenvalue κ), eigenvalues anywhere in [μ, L], any start direction, ‖x₀ − x*‖ ∈ [0.1, 10]",
        coordinates: 2 + 10 + 12 + 1, dimension: { quadraticDimension($0) }
    ) { u in
        let d = quadraticDimension(u), kappa = pow(100, u[1])
        let interior = (0..<max(0, d - 2)).map { 1 + (kappa - 1) * u[2 + $0] }
        let spectrum = d == 1 ? [kappa] : [1, kappa] + interior
        let start = InstanceSpace.direction(u[12..<(12 + d)], length: pow(10, 2 * u[24] - 1))
        return [("eigenvalues", InstanceSpace.list(spectrum)), ("rotation", "none"), ("start", InstanceSpace.list(start))]
    }
    static func quadraticDimension(_ u: [Double]) -> Int { InstanceSpace.integer(u[0], 1, 12) }

    public static let leastSquares = ProblemFamily(
        name: "least-squares",
        documentation: """
        f(x) = (1/2n)‖Mx − y‖², a finite sum of n rows: `data: {rows, dimension, noise}` generated from the \
        seed, or `data: {design: {csv: M.csv}, targets: {csv: y.csv} or […]}`. L, μ are the extreme \
        eigenvalues of MᵀM/n (gsl_eigen_symmv), x* from the normal equations (Cholesky).
        """,
        space: leastSquaresSpace
    ) { f, dir, seed in ProblemReading(try readLeastSquares(&f, dir: dir, seed: seed)) }

    public static let logistic = ProblemFamily(
        name: "logistic",
        documentation: """
        ℓ2-regularized logistic regression, a finite sum: `data: {rows, dimension}` from the seed, \
        `regularization: ρ > 0`. L = λ_max(AᵀA)/(4n) + ρ, μ = ρ; x* by Newton's method to ‖∇f‖ < 1e-13 \
        (the report says so).
        """,
        space: logisticSpace
    ) { f, _, seed in ProblemReading(try readLogistic(&f, seed: seed)) }

    public static let cosineQuadratic = ProblemFamily(
        name: "cosine-quadratic",
        documentation: """
        smooth, non-convex when cω² > 1: f(x) = Σᵢ (xᵢ²/2 + c cos(ωxᵢ)), `dimension`, `amplitude` c > 0, \
        `frequency` ω > 0. The Hessian is diag(1 − cω² cos ωxᵢ), so L = 1 + cω² exactly (attained at \
        xᵢ = π/ω) and λ_min = 1 − cω². f* = d·min_t(t²/2 + c cos ωt): every stationary point has |t| ≤ cω, \
        so a grid on [0, cω] brackets each local minimizer and Newton on φ' polishes it to machine \
        precision. The 2^d sign patterns of t*·(1, …, 1) are all global minimizers, so x* is not given \
        (claims needing a unique x* do not pair).
        """,
        space: cosineQuadraticSpace
    ) { f, _, _ in ProblemReading(try readCosineQuadratic(&f)) }

    /// quadratic: `dimension` + `spectrum: {min, max}` (evenly spaced) or `eigenvalues: [...]`, or
    /// `matrix: {csv: file}`; `rotation: random | none`; `optimum: {x: [...], value: f*}`.
    static func readQuadratic(_ f: inout Fields, dir: String, seed: UInt64) throws -> Quadratic {
        let (xs, fs) = try optimum(&f, dir: dir)
        if f.has("matrix") {
            var m = try f.sub("matrix")!
            let rows = try CSV.read(dir: dir, name: try m.requiredString("csv"), file: f.file, key: "matrix.csv")
            try m.rejectUnknown()
            guard rows.count == rows[0].count else { throw f.error("matrix", "must be square, got \(rows.count)×\(rows[0].count)") }
            let a = Matrix(rows: rows.count, cols: rows.count, data: rows.flatMap { $0 })
            for i in 0..<a.rows { for j in 0..<i where abs(a[i, j] - a[j, i]) > 1e-12 * (abs(a[i, j]) + 1) {
                throw f.error("matrix", "must be symmetric (entry \(i),\(j) differs from \(j),\(i))")
            } }
            let x = xs ?? [Double](repeating: 0, count: a.rows)
            guard x.count == a.rows else { throw f.error("optimum.x", "has \(x.count) entries, the matrix is \(a.rows)×\(a.rows)") }
            try checkDimension(&f, a.rows, "the matrix is \(a.rows)×\(a.rows)")
            let q = Quadratic(matrix: a, xStar: x, fStar: fs)
            guard q.eigenvalues.first! >= -1e-12 else { throw f.error("matrix", "must be positive semidefinite (λ_min = \(q.eigenvalues.first!))") }
            guard q.eigenvalues.last! > 0 else { throw f.error("matrix", "must be nonzero (L = λ_max > 0)") }
            return q
        }
        let rotation = try f.string("rotation") ?? "random"
        guard rotation == "random" || rotation == "none" else { throw f.error("rotation", "must be 'random' or 'none'") }
        let spectrum = try eigenvalues(&f, dir: dir, dense: rotation == "random")
        let x = xs ?? [Double](repeating: 0, count: spectrum.count)
        guard x.count == spectrum.count else { throw f.error("optimum.x", "has \(x.count) entries, dimension is \(spectrum.count)") }
        return Quadratic(spectrum: spectrum, rotationSeed: rotation == "random" ? seed : nil, xStar: x, fStar: fs)
    }

    /// `dense`: the quadratic will be rotated (a d×d matrix, built in O(d³)).
    static func eigenvalues(_ f: inout Fields, dir: String, dense: Bool) throws -> [Double] {
        if let ev = try f.vector("eigenvalues", relativeTo: dir) {
            guard let lo = ev.min(), let hi = ev.max() else { throw f.error("eigenvalues", "must be a non-empty list") }
            guard lo >= 0 else { throw f.error("eigenvalues", "must be non-negative") }
            guard hi > 0 else { throw f.error("eigenvalues", "the largest must be positive (L > 0)") }
            try checkDimension(&f, ev.count, "eigenvalues has \(ev.count) entries")
            return ev
        }
        guard let d = try f.positiveInt("dimension") else { throw f.error("dimension", "missing (required with spectrum)") }
        try ResourceLimits.check(f, "dimension", Double(d), ResourceLimits.maxVectorLength, "the dimension d")
        if dense { try ResourceLimits.check(f, "dimension", Double(d), ResourceLimits.maxDenseSide, "the side of the rotated d×d matrix (rotation: random)") }
        guard var s = try f.sub("spectrum") else { throw f.error("spectrum", "missing: give spectrum {min, max}, eigenvalues or matrix") }
        guard let lo = try s.double("min", where: { $0 >= 0 }, "non-negative (μ ≥ 0)") else { throw s.error("min", "missing (required)") }
        guard let hi = try s.double("max", where: { $0 > 0 }, "positive (L > 0)") else { throw s.error("max", "missing (required)") }
        try s.rejectUnknown()
        guard lo <= hi else { throw s.error("min", "μ = \(lo) exceeds L = \(hi)") }
        return Quadratic.linearSpectrum(dimension: d, min: lo, max: hi)
    }

    /// An optional `dimension` beside `eigenvalues` or `matrix` must agree with it (rather than be
    /// reported as an unknown key).
    static func checkDimension(_ f: inout Fields, _ d: Int, _ what: String) throws {
        if let given = try f.positiveInt("dimension"), given != d { throw f.error("dimension", "is \(given), but \(what)") }
    }

    static func optimum(_ f: inout Fields, dir: String) throws -> ([Double]?, Double) {
        guard var o = try f.sub("optimum") else { return (nil, 0) }
        let x = try o.vector("x", relativeTo: dir)
        let v = try o.double("value") ?? 0
        try o.rejectUnknown()
        return (x, v)
    }

    /// least-squares: `data: {rows, dimension, noise}` generated from the seed, or
    /// `data: {design: {csv}, targets: {csv}}` given by the user.
    static func readLeastSquares(_ f: inout Fields, dir: String, seed: UInt64) throws -> LeastSquares {
        guard var data = try f.sub("data") else { throw f.error("data", "missing (required)") }
        let problem: LeastSquares
        if data.has("design") {
            var dm = try data.sub("design")!
            let rows = try CSV.read(dir: dir, name: try dm.requiredString("csv"), file: f.file, key: "data.design.csv")
            try dm.rejectUnknown()
            guard let y = try data.vector("targets", relativeTo: dir) else { throw data.error("targets", "missing (required with design)") }
            guard y.count == rows.count else { throw data.error("targets", "has \(y.count) entries, design has \(rows.count) rows") }
            problem = LeastSquares(design: Matrix(rows: rows.count, cols: rows[0].count, data: rows.flatMap { $0 }), targets: y)
        } else {
            guard let n = try data.positiveInt("rows") else { throw data.error("rows", "missing (required)") }
            guard let d = try data.positiveInt("dimension") else { throw data.error("dimension", "missing (required)") }
            try designLimits(data, rows: n, dimension: d)
            let noise = try data.double("noise", where: { $0 >= 0 }, "non-negative") ?? 0.1
            problem = .generated(rows: n, dimension: d, noise: noise, seed: seed)
        }
        try data.rejectUnknown()
        guard problem.constants.xStar != nil else { throw f.error("data", "MᵀM is singular: x* is not unique") }
        return problem
    }

    /// logistic: `data: {rows, dimension}` generated from the seed, `regularization: ρ > 0`.
    static func readLogistic(_ f: inout Fields, seed: UInt64) throws -> Logistic {
        guard var data = try f.sub("data") else { throw f.error("data", "missing (required)") }
        guard let n = try data.positiveInt("rows") else { throw data.error("rows", "missing (required)") }
        guard let d = try data.positiveInt("dimension") else { throw data.error("dimension", "missing (required)") }
        try designLimits(data, rows: n, dimension: d)
        try data.rejectUnknown()
        guard let rho = try f.double("regularization", where: { $0 > 0 }, "positive") else {
            throw f.error("regularization", "missing (required, > 0)")
        }
        return .generated(rows: n, dimension: d, regularization: rho, seed: seed)
    }

    /// cosine-quadratic (non-convex when cω² > 1): `dimension`, `amplitude` c > 0, `frequency` ω > 0.
    /// f(x) = Σᵢ (xᵢ²/2 + c cos(ωxᵢ)), L = 1 + cω², f* = d·min_t(t²/2 + c cos ωt) (see `CosineQuadratic`).
    static func readCosineQuadratic(_ f: inout Fields) throws -> CosineQuadratic {
        guard let d = try f.positiveInt("dimension") else { throw f.error("dimension", "missing (required)") }
        try ResourceLimits.check(f, "dimension", Double(d), ResourceLimits.maxVectorLength, "the dimension d")
        guard let c = try f.double("amplitude", where: { $0 > 0 && $0.isFinite }, "positive") else { throw f.error("amplitude", "missing (required, c > 0)") }
        guard let w = try f.double("frequency", where: { $0 > 0 && $0.isFinite }, "positive") else { throw f.error("frequency", "missing (required, ω > 0)") }
        return CosineQuadratic(dimension: d, amplitude: c, frequency: w)
    }

    /// A generated n×d design: n·d stored entries, a d×d Gram matrix factorized.
    static func designLimits(_ data: Fields, rows n: Int, dimension d: Int) throws {
        try ResourceLimits.check(data, "dimension", Double(d), ResourceLimits.maxDenseSide, "the side of the d×d Gram matrix MᵀM")
        try ResourceLimits.check(data, "rows", Double(n) * Double(d), ResourceLimits.maxStoredEntries, "the design's entries rows × dimension")
    }
}
