/// Selection of the k largest magnitudes of a vector, allocation-free over caller buffers: the
/// kernel of Top-k (and of any error-feedback method built on it).
///
/// `threshold` returns t = the k-th largest |xᵢ| (ties counted with multiplicity). For k ≪ d it first
/// takes every s-th magnitude as a sample, picks a level t₀ that is below t with high probability
/// (the sample's (2k/d·m + 32)-th largest), gathers the magnitudes ≥ t₀ in one pass and selects among
/// those; when fewer than k are ≥ t₀ (an unlucky sample) it falls back to selecting among all d. The
/// result is exact either way; only the work depends on the data.
public enum TopKSelection {
    /// The k-th largest |xᵢ| (1 ≤ k ≤ d); `workspace` has at least d doubles.
    public static func threshold(_ x: UnsafeBufferPointer<Double>, k: Int, workspace w: UnsafeMutableBufferPointer<Double>) -> Double {
        let d = x.count
        precondition(k >= 1 && k <= d && w.count >= d, "need 1 ≤ k ≤ d and a workspace of d doubles")
        let m = 2048
        if d >= 8 * m && k * 16 <= d {
            let stride = d / m
            for j in 0..<m { w[j] = abs(x[j * stride]) }
            let rank = min(m, 2 * k * m / d + 32)            // rank-th largest of the sample
            let t0 = select(w, count: m, rankFromTop: rank)
            var c = 0
            for i in 0..<d {
                let a = abs(x[i])
                if a >= t0 { w[c] = a; c += 1 }
            }
            if c >= k { return select(w, count: c, rankFromTop: k) }
        }
        for i in 0..<d { w[i] = abs(x[i]) }
        return select(w, count: d, rankFromTop: k)
    }

    /// Writes x restricted to its k largest magnitudes into `out` (ties at the threshold kept in index
    /// order until k are kept); returns the threshold.
    @discardableResult
    public static func keepLargest(_ x: UnsafeBufferPointer<Double>, k: Int, into out: UnsafeMutableBufferPointer<Double>,
                                   workspace w: UnsafeMutableBufferPointer<Double>) -> Double {
        let t = threshold(x, k: k, workspace: w)
        var kept = 0
        for i in 0..<x.count {
            let v = x[i]
            if abs(v) > t { out[i] = v; kept += 1 } else { out[i] = 0 }
        }
        if kept < k {
            for i in 0..<x.count where kept < k && abs(x[i]) == t { out[i] = x[i]; kept += 1 }
        }
        return t
    }

    /// The `rankFromTop`-th largest of w[0..<count] (1 = the maximum), reordering w in place
    /// (quickselect with median-of-three pivots; Hoare partition).
    static func select(_ w: UnsafeMutableBufferPointer<Double>, count: Int, rankFromTop r: Int) -> Double {
        let target = count - r                               // ascending rank
        var lo = 0, hi = count - 1
        while hi > lo {
            let mid = lo + (hi - lo) / 2
            if w[mid] < w[lo] { w.swapAt(mid, lo) }
            if w[hi] < w[lo] { w.swapAt(hi, lo) }
            if w[hi] < w[mid] { w.swapAt(hi, mid) }
            let pivot = w[mid]
            var i = lo, j = hi
            while i <= j {
                while w[i] < pivot { i += 1 }
                while w[j] > pivot { j -= 1 }
                if i <= j { w.swapAt(i, j); i += 1; j -= 1 }
            }
            if target <= j { hi = j } else if target >= i { lo = i } else { return w[target] }
        }
        return w[target]
    }
}
