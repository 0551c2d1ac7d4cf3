import Foundation

/// bfloat16 (the top 16 bits of an IEEE float32), the precision MicroAdam stores its window values
/// and quantization statistics in. Rounding is to nearest, ties to even (NaN stays NaN).
public enum BFloat16 {
    @inlinable @inline(__always)
    public static func encode(_ x: Double) -> UInt16 {
        let bits = Float(x).bitPattern
        if (bits & 0x7fff_ffff) > 0x7f80_0000 { return UInt16(truncatingIfNeeded: bits >> 16) | 0x40 }
        let rounding = 0x7fff + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    @inlinable @inline(__always)
    public static func decode(_ h: UInt16) -> Double { Double(Float(bitPattern: UInt32(h) << 16)) }
}

/// The sliding window of MicroAdam: the last m sparse gradients as a ring buffer of m rows of k
/// entries, each entry a 16-bit index local to its block (block size ≤ 65 536) and a 16-bit value
/// (bfloat16, or float32 in the `fullPrecisionValues` variant used as a control). Row r holds the
/// gradient of step t with (t − 1) mod m = r; `filled` rows are valid.
public struct SparseWindow: Sendable {
    public let rows: Int, width: Int
    public var indices: [UInt16]
    public var values: [UInt16]
    /// Non-empty only in the float32-values variant (then `values` is empty).
    public var wideValues: [Float]
    public private(set) var filled = 0

    public init(rows m: Int, width k: Int, fullPrecisionValues: Bool = false) {
        rows = m; width = k
        indices = [UInt16](repeating: 0, count: m * k)
        values = fullPrecisionValues ? [] : [UInt16](repeating: 0, count: m * k)
        wideValues = fullPrecisionValues ? [Float](repeating: 0, count: m * k) : []
    }

    /// The value of entry j of row r, as stored.
    @inlinable @inline(__always)
    public func value(_ r: Int, _ j: Int) -> Double {
        wideValues.isEmpty ? BFloat16.decode(values[r * width + j]) : Double(wideValues[r * width + j])
    }

    /// Stores entry j of row r: local index and value (rounded to the stored precision).
    @inlinable @inline(__always)
    public mutating func set(_ r: Int, _ j: Int, local: Int, value v: Double) {
        indices[r * width + j] = UInt16(local)
        if wideValues.isEmpty { values[r * width + j] = BFloat16.encode(v) } else { wideValues[r * width + j] = Float(v) }
    }

    public mutating func markFilled(upTo t: Int) { filled = min(rows, t) }

    /// Bytes held by the window's buffers (counted from their element counts and types).
    public var bytes: Int {
        indices.count * MemoryLayout<UInt16>.stride + values.count * MemoryLayout<UInt16>.stride
            + wideValues.count * MemoryLayout<Float>.stride
    }
}

/// 4-bit codes packed two per byte (entry 2i in the low nibble of byte i, 2i + 1 in the high one):
/// ⌈d/2⌉ bytes for d entries.
public struct NibbleBuffer: Sendable {
    public let count: Int
    public var bytes: [UInt8]

    public init(count: Int) { self.count = count; bytes = [UInt8](repeating: 0, count: (count + 1) / 2) }

    @inlinable @inline(__always)
    public subscript(i: Int) -> UInt8 {
        get { (bytes[i >> 1] >> ((i & 1) << 2)) & 0x0f }
        set {
            let shift = UInt8((i & 1) << 2)
            bytes[i >> 1] = (bytes[i >> 1] & ~(0x0f << shift)) | ((newValue & 0x0f) << shift)
        }
    }

    public var byteCount: Int { bytes.count * MemoryLayout<UInt8>.stride }
}
