import TheoryBenchCore
import Foundation

/// The catalog: every claim of a registry's paper families and every instance (from the files in a
/// problems directory), and their pairings.
public struct Catalog: Sendable {
    public let instances: [Instance]
    public let claims: [Claim]

    public init(instances: [Instance], claims: [Claim]) {
        self.instances = instances; self.claims = claims
    }

    /// Loads every `*.yaml`/`*.yml` file of `directory` (sorted by name) with the vocabulary of
    /// `registry`, whose claims it pairs. The first bad file stops the load with its `CatalogError`;
    /// duplicate ids are rejected.
    public static func load(directory: String, registry: Registry) throws -> Catalog {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            throw CatalogError(file: directory, key: "(directory)", reason: "cannot read the problems directory")
        }
        var instances = [Instance]()
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CatalogError(file: path, key: "(file)", reason: "cannot read the file as UTF-8 text")
            }
            let inst = try InstanceFile.parse(text, file: path, registry: registry)
            if let other = instances.first(where: { $0.id == inst.id }) {
                throw CatalogError(file: path, key: "id", reason: "'\(inst.id)' is already used by \(other.source)")
            }
            instances.append(inst)
        }
        return Catalog(instances: instances, claims: registry.claims)
    }

    /// Every claim × instance pairing where the claim understands every part of the instance and its
    /// requirement holds, in claim order, optionally filtered by a regular expression on the pairing
    /// id `claim@instance`.
    public func pairings(matching filter: String? = nil) throws -> [(claim: Claim, instance: Instance)] {
        let regex = try filter.map { try NSRegularExpression(pattern: $0) }
        var out = [(claim: Claim, instance: Instance)]()
        for c in claims {
            for i in instances where c.pairs(with: i) {
                let id = c.pairingID(i)
                if let regex, regex.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) == nil { continue }
                out.append((c, i))
            }
        }
        return out
    }
}
