/// Dense vector kernels on contiguous `[Double]` buffers. Each is a single pass over unsafe buffer
/// pointers (no bounds checks, no allocation), so callers may use them inside iteration loops.
public enum Vec {
    /// ⟨x, y⟩.
    @inlinable
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                var s = 0.0
                for i in 0..<xp.count { s += xp[i] * yp[i] }
                return s
            }
        }
    }

    /// ‖x‖².
    @inlinable
    public static func normSquared(_ x: [Double]) -> Double { dot(x, x) }

    /// ‖x‖.
    @inlinable
    public static func norm(_ x: [Double]) -> Double { dot(x, x).squareRoot() }

    /// ‖x − y‖².
    @inlinable
    public static func distanceSquared(_ x: [Double], _ y: [Double]) -> Double {
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                var s = 0.0
                for i in 0..<xp.count { let t = xp[i] - yp[i]; s += t * t }
                return s
            }
        }
    }

    /// y ← y + a·x.
    @inlinable
    public static func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                for i in 0..<xp.count { yp[i] += a * xp[i] }
            }
        }
    }

    /// x ← a·x.
    @inlinable
    public static func scale(_ a: Double, _ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { xp in
            for i in 0..<xp.count { xp[i] *= a }
        }
    }

    /// True when every entry is finite and below `limit` in magnitude.
    @inlinable
    public static func isFinite(_ x: [Double], limit: Double = 1e150) -> Bool {
        x.withUnsafeBufferPointer { xp in
            var m = 0.0
            for i in 0..<xp.count { m = max(m, abs(xp[i])) }
            return m < limit   // NaN compares false
        }
    }
}

/// A dense row-major matrix of Doubles.
public struct Matrix: Sendable, Equatable {
    public let rows: Int, cols: Int
    public var data: [Double]

    public init(rows: Int, cols: Int, data: [Double]) {
        precondition(data.count == rows * cols, "matrix data has \(data.count) entries, expected \(rows)×\(cols)")
        self.rows = rows; self.cols = cols; self.data = data
    }

    public init(zeros rows: Int, _ cols: Int) {
        self.init(rows: rows, cols: cols, data: [Double](repeating: 0, count: rows * cols))
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(zeros: n, n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public subscript(i: Int, j: Int) -> Double {
        get { data[i * cols + j] }
        set { data[i * cols + j] = newValue }
    }

    /// y ← M x (y must have `rows` entries).
    @inlinable
    public func multiply(_ x: [Double], into y: inout [Double]) {
        data.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    for i in 0..<rows {
                        var s = 0.0
                        let row = i * cols
                        for j in 0..<cols { s += a[row + j] * xp[j] }
                        yp[i] = s
                    }
                }
            }
        }
    }

    /// M x as a new vector.
    public func times(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: rows)
        multiply(x, into: &y)
        return y
    }

    public var transposed: Matrix {
        var t = Matrix(zeros: cols, rows)
        for i in 0..<rows { for j in 0..<cols { t[j, i] = self[i, j] } }
        return t
    }

    /// M N.
    public func times(_ n: Matrix) -> Matrix {
        precondition(cols == n.rows)
        var p = Matrix(zeros: rows, n.cols)
        for i in 0..<rows { for k in 0..<cols {
            let a = self[i, k]
            if a == 0 { continue }
            for j in 0..<n.cols { p.data[i * n.cols + j] += a * n.data[k * n.cols + j] }
        } }
        return p
    }

    /// MᵀM / scale (the Gram matrix, used for least-squares constants).
    public func gram(scale: Double = 1) -> Matrix {
        var g = transposed.times(self)
        Vec.scale(1 / scale, &g.data)
        return g
    }
}
