import Foundation
import TheoryBenchCore

/// A JSON value of an export file (`ExperimentExport`): numbers keep full precision, non-finite
/// numbers are written as the strings "inf", "-inf", "nan" (as in every theorybench JSON file).
public indirect enum ExportValue: Encodable, Sendable, Equatable {
    case number(Double)
    case integer(Int)
    case string(String)
    case bool(Bool)
    case array([ExportValue])
    case object([String: ExportValue])
    case null

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x)
        case .integer(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }

    public static func numbers(_ xs: [Double]) -> ExportValue { .array(xs.map(ExportValue.number)) }

    /// A value's stored properties, recursively: structs and tuples become objects, enum cases their
    /// name (with their associated values as an object), numbers, strings and arrays themselves.
    /// Closures and other opaque values are written as their description.
    public static func reflecting(_ value: Any) -> ExportValue {
        switch value {
        case let x as Double: return .number(x)
        case let x as Float: return .number(Double(x))
        case let n as Int: return .integer(n)
        case let n as UInt64: return .number(Double(n))
        case let b as Bool: return .bool(b)
        case let s as String: return .string(s)
        default: break
        }
        let m = Mirror(reflecting: value)
        switch m.displayStyle {
        case .optional:
            return m.children.first.map { reflecting($0.value) } ?? .null
        case .collection, .set:
            return .array(m.children.map { reflecting($0.value) })
        case .enum:
            guard let payload = m.children.first else { return .string(String(describing: value)) }
            return .object([payload.label ?? "case": reflecting(payload.value)])
        case .struct, .tuple, .class:
            var out = [String: ExportValue]()
            for (i, child) in m.children.enumerated() {
                let v = reflecting(child.value)
                out[child.label.map { $0.hasPrefix(".") ? "_\(i)" : $0 } ?? "_\(i)"] = v
            }
            return .object(out)
        default:
            return .string(String(describing: value))
        }
    }
}
