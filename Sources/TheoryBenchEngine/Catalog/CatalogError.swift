import TheoryBenchCore
/// A problem file that cannot be used: which file, which key, and why. Nothing runs when the
/// catalog has one.
public struct CatalogError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let key: String
    public let reason: String

    public init(file: String, key: String, reason: String) {
        self.file = file; self.key = key; self.reason = reason
    }

    public var description: String { "\(file): \(key): \(reason)" }
}
