import Foundation
import TheoryBenchCore

/// MicroAdam's block-wise Top-K: ℝ^d is cut into contiguous blocks of `blockSize` coordinates (the
/// last one shorter when blockSize does not divide d); block b keeps its k_b = ⌈d_b·density⌉ entries
/// of largest magnitude (the rule of the reference implementation). Entries are laid out block after
/// block, k_full per full block, so entry j lies in block j / k_full and a 16-bit index local to its
/// block identifies it (blockSize ≤ 65 536).
///
/// Contraction (docs/derivations/microadam.md §2): ‖x − TopK(x)‖² ≤ max_b(1 − k_b/d_b)‖x‖².
public struct BlockTopK: Sendable {
    public let dimension: Int, blockSize: Int, density: Double
    /// Entries kept per full block and in the last (shorter) block.
    public let perFullBlock: Int, inLastBlock: Int
    public let fullBlocks: Int
    /// k, the number of entries kept in all.
    public let count: Int
    /// Scratch of the selection kernel (one block of magnitudes).
    var magnitudes: [Double]

    public init(dimension d: Int, blockSize: Int, density: Double) {
        precondition(d >= 1 && blockSize >= 1 && blockSize <= 65_536 && density > 0 && density <= 1,
                     "need d ≥ 1, 1 ≤ blockSize ≤ 65 536, density in (0, 1]")
        dimension = d; self.blockSize = min(blockSize, d); self.density = density
        fullBlocks = d / self.blockSize
        perFullBlock = Int((Double(self.blockSize) * density).rounded(.up))
        let rest = d - fullBlocks * self.blockSize
        inLastBlock = Int((Double(rest) * density).rounded(.up))
        count = perFullBlock * fullBlocks + inLastBlock
        magnitudes = [Double](repeating: 0, count: self.blockSize)
    }

    /// The global coordinate of entry j whose local index is `local`.
    @inlinable @inline(__always)
    public func coordinate(entry j: Int, local: Int) -> Int { (j / perFullBlock) * blockSize + local }

    /// The largest q² = 1 − k_b/d_b over the blocks (the squared contraction factor).
    public var contractionSquared: Double {
        var q = 1 - Double(perFullBlock) / Double(blockSize)
        let rest = dimension - fullBlocks * blockSize
        if rest > 0 { q = max(q, 1 - Double(inLastBlock) / Double(rest)) }
        return q
    }

    /// Writes the local indices of the kept entries of `a` into `local` (count entries, block by
    /// block, each block's in increasing order; ties at the threshold go to the lower index). Each
    /// block's threshold, its k_b-th largest magnitude, comes from the one Top-k kernel,
    /// `TopKSelection.threshold`. No allocation.
    public mutating func select(_ a: UnsafeBufferPointer<Double>, into local: UnsafeMutableBufferPointer<UInt16>) {
        var out = 0
        for b in 0...fullBlocks {
            let start = b * blockSize, len = min(blockSize, dimension - start)
            let keep = b < fullBlocks ? perFullBlock : inLastBlock
            guard len > 0, keep > 0 else { continue }
            let block = UnsafeBufferPointer(rebasing: a[start..<(start + len)])
            let tau = magnitudes.withUnsafeMutableBufferPointer { TopKSelection.threshold(block, k: keep, workspace: $0) }
            var n = 0
            for i in 0..<len where abs(block[i]) > tau { local[out + n] = UInt16(i); n += 1 }
            var i = 0
            while n < keep { if abs(block[i]) == tau { local[out + n] = UInt16(i); n += 1 }; i += 1 }
            out += keep
        }
    }
}

/// MicroAdam's error quantizer: b = 4 bits per entry, per bucket of B entries the minimum δ and
/// maximum Δ stored in bfloat16 (⌊d/B⌋ + 1 of each, as the reference implementation allocates),
/// code = ⌊(x − δ)/u + ½⌋ clipped to [0, 15] with u = (Δ − δ)/15, x̂ = code·u + δ (round to
/// nearest; δ, Δ as stored). Per coordinate |x̂ − x| ≤ u/2 up to the bfloat16 rounding of δ, Δ
/// (docs/derivations/microadam.md §3).
public struct BucketQuantizer: Sendable {
    public static let levels = 15.0
    public let dimension: Int, bucketSize: Int
    public var codes: NibbleBuffer
    public var minima: [UInt16], maxima: [UInt16]

    public init(dimension d: Int, bucketSize: Int) {
        precondition(d >= 1 && bucketSize >= 2, "need d ≥ 1 and bucket size ≥ 2")
        dimension = d; self.bucketSize = bucketSize
        codes = NibbleBuffer(count: d)
        minima = [UInt16](repeating: 0, count: d / bucketSize + 1)
        maxima = minima
    }

    /// Stores Q(x).
    public mutating func store(_ x: UnsafeBufferPointer<Double>) {
        var start = 0, b = 0
        while start < dimension {
            let end = min(start + bucketSize, dimension)
            var lo = x[start], hi = x[start]
            for i in start..<end { lo = min(lo, x[i]); hi = max(hi, x[i]) }
            minima[b] = BFloat16.encode(lo); maxima[b] = BFloat16.encode(hi)
            let (delta, unit) = grid(b)
            let inverse = unit > 0 ? 1 / unit : 0
            codes.bytes.withUnsafeMutableBufferPointer { out in
                for i in start..<end {
                    let c = UInt8(max(0, min(Self.levels, ((x[i] - delta) * inverse + 0.5).rounded(.down))))
                    let shift = UInt8((i & 1) << 2)
                    out[i >> 1] = (out[i >> 1] & ~(0x0f << shift)) | (c << shift)
                }
            }
            start = end; b += 1
        }
    }

    /// (δ, u) of bucket b as stored.
    @inlinable @inline(__always)
    func grid(_ b: Int) -> (Double, Double) {
        let lo = BFloat16.decode(minima[b]), hi = BFloat16.decode(maxima[b])
        return (lo, (hi - lo) / Self.levels)
    }

    /// y ← y + Q⁻¹(stored codes).
    public func addDecoded(to y: UnsafeMutableBufferPointer<Double>) {
        var start = 0, b = 0
        codes.bytes.withUnsafeBufferPointer { code in
            while start < dimension {
                let end = min(start + bucketSize, dimension)
                let (delta, unit) = grid(b)
                for i in start..<end { y[i] += Double((code[i >> 1] >> UInt8((i & 1) << 2)) & 0x0f) * unit + delta }
                start = end; b += 1
            }
        }
    }

    public var bytes: Int { codes.byteCount + (minima.count + maxima.count) * MemoryLayout<UInt16>.stride }
}
