import Foundation
import TheoryBenchCore

/// An objective whose defining data an outside implementation can read: its formula in the names
/// of its scalars and arrays (matrices row-major, vectors as one column), so that f and ∇f can be
/// rebuilt exactly from the export (`ExperimentExport`).
public protocol ExportableObjective: Objective {
    /// f in the names of `exportScalars` and `exportArrays` ("f(x) = ½ (x − x_star)ᵀ A (x − x_star) + f_star").
    var exportFormula: String { get }
    var exportScalars: [String: Double] { get }
    var exportArrays: [String: Matrix] { get }
}

/// An instance part whose definition an outside implementation needs (the law of the noise, the
/// minibatch rule): its fields, and in words how the oracle it defines draws a gradient.
public protocol ExportablePart: InstancePart {
    var exportFields: [String: ExportValue] { get }
    var exportDefinition: String { get }
}

extension Matrix {
    /// A column vector.
    init(column: [Double]) { self.init(rows: column.count, cols: 1, data: column) }
}

extension Quadratic: ExportableObjective {
    public var exportFormula: String { "f(x) = ½ (x − x_star)ᵀ A (x − x_star) + f_star" }
    public var exportScalars: [String: Double] { ["f_star": fStar] }
    public var exportArrays: [String: Matrix] {
        let d = dimension
        var a: Matrix
        switch storage {
        case .dense(let m): a = m
        case .diagonal(let diag):
            a = Matrix(zeros: d, d)
            for i in 0..<d { a[i, i] = diag[i] }
        }
        return ["A": a, "x_star": Matrix(column: xStar), "eigenvalues": Matrix(column: eigenvalues)]
    }
}

extension LeastSquares: ExportableObjective {
    public var exportFormula: String {
        "f(x) = (1/n) Σᵢ fᵢ(x), fᵢ(x) = ½ (mᵢᵀ x − yᵢ)², mᵢ the i-th row of M (n = \(design.rows) rows)"
    }
    public var exportScalars: [String: Double] { ["n": Double(design.rows)] }
    public var exportArrays: [String: Matrix] { ["M": design, "y": Matrix(column: targets)] }
}

extension Logistic: ExportableObjective {
    public var exportFormula: String {
        "f(x) = (1/n) Σᵢ fᵢ(x), fᵢ(x) = log(1 + exp(−yᵢ aᵢᵀ x)) + (rho/2) ‖x‖², aᵢ the i-th row of A, yᵢ ∈ {±1} (n = \(features.rows) rows)"
    }
    public var exportScalars: [String: Double] { ["n": Double(features.rows), "rho": regularization] }
    public var exportArrays: [String: Matrix] { ["A": features, "y": Matrix(column: labels)] }
}

extension CosineQuadratic: ExportableObjective {
    public var exportFormula: String { "f(x) = Σⱼ ( xⱼ²/2 + c·cos(omega·xⱼ) )" }
    public var exportScalars: [String: Double] { ["c": amplitude, "omega": frequency] }
    public var exportArrays: [String: Matrix] { [:] }
}

extension NoisePart: ExportablePart {
    public var exportFields: [String: ExportValue] {
        var out: [String: ExportValue] = [
            "scale": .number(noise.scale), "geometry": .string(noise.geometry.rawValue),
            "dimension": .integer(noise.dimension), "sigma2": .number(noise.variance),
        ]
        switch noise.law {
        case .gaussian: out["law"] = .string("gaussian")
        case .rademacher: out["law"] = .string("rademacher")
        case .studentT(let nu): out["law"] = .string("student-t"); out["dof"] = .number(nu)
        case .symmetricPareto(let t): out["law"] = .string("symmetric-pareto"); out["tail"] = .number(t)
        case .symmetricLomax(let t): out["law"] = .string("symmetric-lomax"); out["tail"] = .number(t)
        case .stable(let a): out["law"] = .string("stable"); out["alpha"] = .number(a)
        }
        return out
    }

    public var exportDefinition: String {
        let r = "r ~ \(noise.law) (law as in problems/README.md: `noise`)"
        switch noise.geometry {
        case .perCoordinate:
            return "g(x) = ∇f(x) + ξ, ξⱼ = scale·rⱼ with rⱼ i.i.d., \(r), drawn afresh at every gradient call"
        case .radial:
            return "g(x) = ∇f(x) + ξ, ξ = scale·r·u with \(r) and u uniform on the unit sphere, independent, drawn afresh at every gradient call"
        }
    }
}

extension MinibatchPart: ExportablePart {
    public var exportFields: [String: ExportValue] { ["batch_size": .integer(batchSize)] }
    public var exportDefinition: String {
        "g(x) = (1/b) Σ_{j=1..b} ∇f_{iⱼ}(x), i₁, …, i_b uniform on {1, …, n} with replacement (b = batch_size), afresh at every call"
    }
}
