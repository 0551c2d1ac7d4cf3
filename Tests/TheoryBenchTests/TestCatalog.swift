import Foundation
import TheoryBench

/// The repository's `problems/` catalog, loaded once for the unit tests that run on its instances.
enum TestCatalog {
    static let problems: Catalog = {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("problems").path
        do { return try Catalog.load(directory: dir) } catch { fatalError("problems/: \(error)") }
    }()

    static func instance(_ id: String) -> Instance {
        guard let i = problems.instances.first(where: { $0.id == id }) else { fatalError("no instance \(id) in problems/") }
        return i
    }

    /// The `CatalogError` that reading `text` as the instance file `file` raises; nil when it parses
    /// (or fails otherwise). The bad-input tests of every family assert on its key and reason.
    static func parseError(_ text: String, file: String) -> CatalogError? {
        do { _ = try InstanceFile.parse(text, file: file); return nil } catch let e as CatalogError { return e } catch { return nil }
    }
}
