import TheoryBenchCore

/// What one instance may ask of the machine (2 cores, a few GB): checked while a file is read,
/// before anything large is allocated or computed, so that an impossible instance fails at once
/// with the file, the key and the estimate instead of hanging. Documented in `problems/README.md`.
public enum ResourceLimits {
    /// Stored doubles of the problem's data (a dense matrix, a design): 2.5·10⁷ = 200 MB.
    public static let maxStoredEntries = 25_000_000.0
    /// The side of a dense matrix that is factorized or rotated (O(d³): about a minute at 4000).
    public static let maxDenseSide = 4_000.0
    /// The length of a vector (the dimension of a diagonal problem): 10⁷ doubles = 80 MB per copy.
    public static let maxVectorLength = 10_000_000.0
    /// Coordinate updates of one full-scale pairing, runs × iterations × dimension: 10¹² is a few
    /// minutes at the measured ≈ 1 ns per update on 2 cores, and every pairing also runs its controls.
    public static let maxWork = 1e12

    /// Throws `CatalogError(file, key, …)` naming the estimate when `value` exceeds `limit`.
    public static func check(_ f: Fields, _ key: String, _ value: Double, _ limit: Double, _ what: String) throws {
        guard value <= limit else {
            throw f.error(key, "too large for this machine: \(what) = \(value.formatted3) exceeds the limit \(limit.formatted3) (problems/README.md, Limits)")
        }
    }
}
