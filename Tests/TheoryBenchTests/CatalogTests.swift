import Foundation
import Testing
import TheoryBench

/// `Catalog/`: instance files parse into instances with exact constants; every kind of bad input is
/// rejected with a `CatalogError` naming the key and a reason that says what is wrong.
@Suite("Catalog")
struct CatalogTests {
    static let good = """
        # a comment
        id: test-quadratic
        description: "a test"
        family: quadratic
        dimension: 4
        spectrum: { min: 1.0, max: 10.0 }
        rotation: random
        start: { distance: 3.0 }
        noise: { law: symmetric-pareto, tail: 1.5, scale: 2.0, geometry: radial }
        budget: { iterations: 500, runs: 50 }
        seed: 11
        """

    static func parse(_ text: String, file: String = "/tmp/problems/test.yaml") throws -> Instance {
        try InstanceFile.parse(text, file: file)
    }

    /// The good file with line `key:` replaced by `replacement` (nil: removed), or a line appended.
    static func variant(replacing key: String? = nil, with replacement: String? = nil, appending extra: String? = nil) -> String {
        var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let key {
            let i = lines.firstIndex { $0.hasPrefix(key + ":") }!
            if let replacement { lines[i] = replacement } else { lines.remove(at: i) }
        }
        if let extra { lines.append(extra) }
        return lines.joined(separator: "\n")
    }

    @Test("a good file parses with exact constants")
    func goodFile() throws {
        let inst = try Self.parse(Self.good)
        #expect(inst.id == "test-quadratic")
        #expect(inst.family == "quadratic")
        #expect(inst.summary == "a test")
        #expect(inst.source == "/tmp/problems/test.yaml")
        #expect(inst.dimension == 4)
        #expect(inst.L == 10)
        #expect(inst.mu == 1)
        #expect(inst.seed == 11)
        #expect(inst.budget == Instance.Budget(iterations: 500, runs: 50))
        #expect(inst.noise == Noise(law: .symmetricPareto(tail: 1.5), scale: 2, geometry: .radial, dimension: 4))
        #expect(inst.batchSize == nil)
        #expect(abs(inst.initialDistanceSquared - 9) < 1e-12)
        #expect(inst.constants.xStar == [0, 0, 0, 0])
        let q = try #require(inst.problem as? Quadratic)
        #expect(q.eigenvalues == [1, 4, 7, 10])
        guard case .dense = q.storage else { Issue.record("rotation: random must give a dense matrix"); return }
        // Same text ⇒ same instance (the seed fixes rotation and start).
        #expect(try Self.parse(Self.good).start == inst.start)
    }

    @Test("the id defaults to the file name; runs default to 100; no rotation gives a diagonal quadratic")
    func defaults() throws {
        let inst = try Self.parse(Self.variant(replacing: "id").replacingOccurrences(of: "runs: 50", with: "")
            .replacingOccurrences(of: "rotation: random", with: "rotation: none"), file: "/tmp/my-file.yaml")
        #expect(inst.id == "my-file")
        #expect(inst.budget.runs == 100)
        let q = try #require(inst.problem as? Quadratic)
        #expect(q.storage == .diagonal([1, 4, 7, 10]))
    }

    @Test("eigenvalues with or without a matching dimension")
    func eigenvalueList() throws {
        for text in [Self.variant(replacing: "spectrum", with: "eigenvalues: [4, 1, 2, 3]"),
                     Self.variant(replacing: "spectrum", with: "eigenvalues: [4, 1, 2, 3]").replacingOccurrences(of: "dimension: 4\n", with: "")] {
            let inst = try Self.parse(text)
            #expect(inst.L == 4 && inst.mu == 1 && inst.dimension == 4)
        }
    }

    @Test("least-squares and logistic files parse; batch gives minibatch variance")
    func otherFamilies() throws {
        let ls = try Self.parse("""
            family: least-squares
            data: { rows: 30, dimension: 3, noise: 0.2 }
            start: [1, 2, 3]
            batch: 5
            budget: { iterations: 10 }
            """)
        #expect(ls.start == [1, 2, 3])
        #expect(ls.batchSize == 5)
        #expect(ls.oracleVariance != nil && ls.oracleVariance! > 0)
        let lg = try Self.parse("""
            family: logistic
            data: { rows: 30, dimension: 3 }
            regularization: 0.5
            start: { distance: 1 }
            budget: { iterations: 10 }
            """)
        #expect(lg.mu == 0.5)
        #expect(abs(lg.initialDistanceSquared - 1) < 1e-12)
    }

    /// (what is wrong, text, expected key, words the reason must contain)
    static let badCases: [(String, String, String, [String])] = [
        ("not YAML", "id: [unclosed\nfamily: {", "(syntax)", ["not valid YAML"]),
        ("empty file", "", "(top level)", ["empty"]),
        ("only a comment", "# nothing here\n", "(top level)", ["empty"]),
        ("a list, not a mapping", "- a\n- b\n", "(top level)", ["mapping"]),
        ("unknown top-level key", variant(appending: "colour: red"), "colour", ["unknown key"]),
        ("unknown nested key", variant(replacing: "noise", with: "noise: { law: gaussian, sclae: 2 }"), "noise.sclae", ["unknown key", "scale"]),
        ("unknown key in spectrum", variant(replacing: "spectrum", with: "spectrum: { min: 1, max: 2, mid: 1.5 }"), "spectrum.mid", ["unknown key"]),
        ("missing family", variant(replacing: "family"), "family", ["missing"]),
        ("unknown family", variant(replacing: "family", with: "family: quadratik"), "family", ["unknown family", "quadratik", "quadratic"]),
        ("negative dimension", variant(replacing: "dimension", with: "dimension: -3"), "dimension", ["-3", "positive"]),
        ("zero dimension", variant(replacing: "dimension", with: "dimension: 0"), "dimension", ["0", "positive"]),
        ("non-number dimension", variant(replacing: "dimension", with: "dimension: ten"), "dimension", ["whole number", "ten"]),
        ("fractional dimension", variant(replacing: "dimension", with: "dimension: 2.5"), "dimension", ["whole number"]),
        ("missing dimension", variant(replacing: "dimension"), "dimension", ["missing"]),
        ("μ > L", variant(replacing: "spectrum", with: "spectrum: { min: 5.0, max: 2.0 }"), "spectrum.min", ["exceeds", "5", "2"]),
        ("negative μ", variant(replacing: "spectrum", with: "spectrum: { min: -1.0, max: 2.0 }"), "spectrum.min", ["non-negative"]),
        ("non-number L", variant(replacing: "spectrum", with: "spectrum: { min: 1.0, max: big }"), "spectrum.max", ["number", "big"]),
        ("eigenvalues and dimension disagree", variant(replacing: "spectrum", with: "eigenvalues: [1, 2, 3]"), "dimension", ["4", "3 entries"]),
        ("empty eigenvalues", variant(replacing: "spectrum", with: "eigenvalues: []"), "eigenvalues", ["non-empty"]),
        ("negative eigenvalue", variant(replacing: "spectrum", with: "eigenvalues: [1, -2, 3, 4]"), "eigenvalues", ["non-negative"]),
        ("all-zero eigenvalues (L = 0)", variant(replacing: "spectrum", with: "eigenvalues: [0, 0, 0, 0]"), "eigenvalues", ["positive"]),
        ("Pareto tail above 2", variant(replacing: "noise", with: "noise: { law: symmetric-pareto, tail: 2.5 }"), "noise.tail", ["2.5", "(1, 2]"]),
        ("Pareto tail at 1", variant(replacing: "noise", with: "noise: { law: symmetric-pareto, tail: 1.0 }"), "noise.tail", ["(1, 2]"]),
        ("Pareto tail missing", variant(replacing: "noise", with: "noise: { law: symmetric-pareto }"), "noise.tail", ["missing"]),
        ("unknown noise law", variant(replacing: "noise", with: "noise: { law: cauchy }"), "noise.law", ["unknown law", "cauchy"]),
        ("unknown geometry", variant(replacing: "noise", with: "noise: { law: gaussian, geometry: spherical }"), "noise.geometry", ["unknown geometry"]),
        ("negative noise scale", variant(replacing: "noise", with: "noise: { law: gaussian, scale: -1 }"), "noise.scale", ["non-negative"]),
        ("start with wrong length", variant(replacing: "start", with: "start: [1, 2, 3]"), "start", ["3 entries", "dimension 4"]),
        ("start entry not a number", variant(replacing: "start", with: "start: [1, x, 3, 4]"), "start[1]", ["number"]),
        ("missing start", variant(replacing: "start"), "start", ["missing"]),
        ("batch on a quadratic", variant(appending: "batch: 4"), "batch", ["finite-sum"]),
        ("missing budget", variant(replacing: "budget"), "budget", ["missing"]),
        ("missing iterations", variant(replacing: "budget", with: "budget: { runs: 5 }"), "budget.iterations", ["missing"]),
        ("bad id", variant(replacing: "id", with: "id: Bad_ID"), "id", ["Bad_ID", "invalid"]),
        ("bad seed", variant(replacing: "seed", with: "seed: 1.5"), "seed", ["whole number"]),
        ("seed beyond UInt64", variant(replacing: "seed", with: "seed: 1e20"), "seed", ["whole number"]),
        ("negative seed", variant(replacing: "seed", with: "seed: -1"), "seed", ["whole number"]),
        ("bad rotation", variant(replacing: "rotation", with: "rotation: sometimes"), "rotation", ["random", "none"]),
    ]

    @Test("bad input is rejected with the key and a meaningful reason", arguments: badCases.indices)
    func badInput(_ i: Int) {
        let (what, text, key, words) = Self.badCases[i]
        do {
            let inst = try Self.parse(text)
            Issue.record("\(what): parsed as \(inst.id) instead of failing")
        } catch let e as CatalogError {
            #expect(e.file == "/tmp/problems/test.yaml", "\(what)")
            #expect(e.key == key, "\(what): \(e)")
            for w in words { #expect(e.reason.contains(w), "\(what): reason '\(e.reason)' lacks '\(w)'") }
            #expect(e.description.hasPrefix("/tmp/problems/test.yaml: \(key): "))
        } catch {
            Issue.record("\(what): threw \(error), not a CatalogError")
        }
    }

    /// Seeds are 64-bit: every UInt64 is representable exactly (a Double would round above 2^53).
    @Test("seeds up to UInt64.max are read exactly")
    func largeSeeds() throws {
        for seed: UInt64 in [0, 1 << 53 + 1, .max] {
            #expect(try Self.parse(Self.variant(replacing: "seed", with: "seed: \(seed)")).seed == seed)
        }
    }

    @Test("the base of the bad cases is itself good")
    func badCasesBaseIsGood() throws {
        _ = try Self.parse(Self.variant())
    }

    // MARK: directories

    static func tempDirectory(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("theorybench-catalog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: (dir as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test("two files with the same id: the load fails naming `id`")
    func duplicateIDs() throws {
        let dir = try Self.tempDirectory(["a.yaml": Self.good, "b.yml": Self.good])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try Catalog.load(directory: dir)
            Issue.record("duplicate ids were accepted")
        } catch let e as CatalogError {
            #expect(e.key == "id")
            #expect(e.file.hasSuffix("b.yml"))
            #expect(e.reason.contains("test-quadratic") && e.reason.contains("already used") && e.reason.contains("a.yaml"))
        }
    }

    @Test("a missing directory is an error; other files are ignored")
    func directoryErrors() throws {
        #expect(throws: CatalogError.self) { _ = try Catalog.load(directory: "/nonexistent/theorybench-problems") }
        let dir = try Self.tempDirectory(["a.yaml": Self.good, "notes.txt": "not an instance"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog.load(directory: dir)
        #expect(catalog.instances.map(\.id) == ["test-quadratic"])
    }

    static let problemsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("problems").path

    @Test("the real problems/ directory loads, and every claim pairs with some instance")
    func realCatalog() throws {
        let catalog = try Catalog.load(directory: Self.problemsDirectory)
        #expect(!catalog.instances.isEmpty)
        #expect(Set(catalog.instances.map(\.id)).count == catalog.instances.count)
        let quadratic = try #require(catalog.instances.first { $0.id == "quadratic-d10" })
        #expect(quadratic.L == 10 && quadratic.mu == 1)
        #expect(abs((quadratic.oracleVariance ?? 0) - 1) < 1e-12)
        #expect(try !catalog.pairings().isEmpty)
    }

    /// A = [[2,1,0],[1,2,0],[0,0,5]] has eigenvalues 1, 3, 5: μ = 1, L = 5; x* = 0, f* = 0, so
    /// f(x₀) − f* = ½x₀ᵀAx₀ = ½(2+4+8+45) = 29.5 for x₀ = (1, 2, 3).
    @Test("a CSV-backed quadratic parses with the right constants")
    func csvBacked() throws {
        let dir = try Self.tempDirectory([
            "csv-quadratic.yaml": """
                family: quadratic
                matrix: { csv: a.csv }
                start: { csv: x0.csv }
                budget: { iterations: 100 }
                """,
            "a.csv": "2, 1, 0\n1, 2, 0\n0, 0, 5\n",
            "x0.csv": "1\n2\n3\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog.load(directory: dir)
        let inst = try #require(catalog.instances.first)
        #expect(inst.id == "csv-quadratic")
        #expect(inst.dimension == 3)
        #expect(abs(inst.L - 5) < 1e-12)
        #expect(abs(inst.mu - 1) < 1e-12)
        #expect(inst.start == [1, 2, 3])
        #expect(abs(inst.initialGap - 29.5) < 1e-12)
        #expect(Vec.norm(inst.problem.gradient([0, 0, 0])) == 0)
    }

    @Test("bad CSV input names the CSV key")
    func badCSV() throws {
        let yaml = "family: quadratic\nmatrix: { csv: a.csv }\nstart: [1, 2]\nbudget: { iterations: 1 }\n"
        for (csv, key, word) in [("1, 2\n3\n", "matrix.csv", "different lengths"), ("1, x\n2, 1\n", "matrix.csv", "finite numbers"),
                                 ("1, 2\n3, 4\n", "matrix", "symmetric"), ("1, 2, 3\n4, 5, 6\n", "matrix", "square"),
                                 ("1, 2\n2, 1\n", "matrix", "positive semidefinite")] {
            let dir = try Self.tempDirectory(["q.yaml": yaml, "a.csv": csv])
            defer { try? FileManager.default.removeItem(atPath: dir) }
            do {
                _ = try Catalog.load(directory: dir)
                Issue.record("bad CSV \(csv.debugDescription) accepted")
            } catch let e as CatalogError {
                #expect(e.key == key, "\(csv.debugDescription): \(e)")
                #expect(e.reason.contains(word), "\(csv.debugDescription): \(e)")
            }
        }
        let dir = try Self.tempDirectory(["q.yaml": yaml])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect { _ = try Catalog.load(directory: dir) } throws: { ($0 as? CatalogError)?.key == "matrix.csv" }
    }

    /// An empty cell is a missing value, not a separator to skip: "1,,3" must not read as [1, 3].
    @Test("empty CSV cells are rejected, not dropped")
    func emptyCSVCells() throws {
        let yaml = "family: quadratic\neigenvalues: [1, 2]\nrotation: none\nstart: { csv: x0.csv }\nbudget: { iterations: 1 }\n"
        for csv in ["1,,3\n", "1,3,\n", ",1,3\n"] {
            let dir = try Self.tempDirectory(["q.yaml": yaml, "x0.csv": csv])
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect(throws: CatalogError.self, "\(csv.debugDescription)") { _ = try Catalog.load(directory: dir) }
        }
        let dir = try Self.tempDirectory(["q.yaml": yaml, "x0.csv": "1, 3\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Catalog.load(directory: dir).instances.first?.start == [1, 3])
    }
}

@Suite("Catalog schema")
struct CatalogSchemaTests {
    @Test("problems/README.md's reference section is the registry's generated schema")
    func readmeMatchesRegistry() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("problems/README.md").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let begin = "<!-- BEGIN GENERATED: theorybench schema -->\n", end = "<!-- END GENERATED -->"
        let a = try #require(text.range(of: begin)), b = try #require(text.range(of: end))
        #expect(String(text[a.upperBound..<b.lowerBound]) == registry.schemaDocumentation,
                "regenerate with `swift run -c release theorybench schema`")
    }
}

@Suite("Catalog resource guards")
struct ResourceGuardTests {
    static func error(_ text: String) -> CatalogError? {
        TestCatalog.parseError(text, file: "/tmp/problems/big.yaml")
    }

    static let tail = "start: { distance: 1.0 }\nbudget: { iterations: 10, runs: 2 }\n"

    @Test("an impossible instance fails at once, naming file, key and estimate", arguments: [
        ("rotated quadratic, d = 10⁹", "family: quadratic\ndimension: 1000000000\nspectrum: { min: 1, max: 2 }\n", "dimension", "dimension d"),
        ("rotated quadratic, d = 5000", "family: quadratic\ndimension: 5000\nspectrum: { min: 1, max: 2 }\n", "dimension", "rotated"),
        ("diagonal quadratic, d = 10⁹", "family: quadratic\ndimension: 1000000000\nrotation: none\nspectrum: { min: 1, max: 2 }\n", "dimension", "dimension d"),
        ("least squares, 10⁸ × 10", "family: least-squares\ndata: { rows: 100000000, dimension: 10 }\n", "data.rows", "design"),
        ("logistic, d = 10⁵", "family: logistic\ndata: { rows: 10, dimension: 100000 }\nregularization: 0.1\n", "data.dimension", "Gram"),
        ("cosine-quadratic, d = 10⁹", "family: cosine-quadratic\ndimension: 1000000000\namplitude: 1\nfrequency: 3\n", "dimension", "dimension d"),
    ])
    func guards(_ name: String, _ text: String, _ key: String, _ words: String) {
        let started = ContinuousClock.now
        let e = Self.error(text + Self.tail)
        #expect(e?.key == key, "\(name): \(e.map(\.description) ?? "accepted")")
        #expect(e?.reason.contains("too large for this machine") == true && e?.reason.contains(words) == true, "\(name): \(e?.reason ?? "")")
        #expect(e?.file == "/tmp/problems/big.yaml")
        #expect(ContinuousClock.now - started < .seconds(2), "\(name): the guard must answer before building anything")
    }

    @Test("a budget beyond the machine fails with the work estimate")
    func budget() {
        let e = Self.error("family: quadratic\ndimension: 100\nrotation: none\nspectrum: { min: 1, max: 2 }\nstart: { distance: 1.0 }\nbudget: { iterations: 100000000, runs: 1000 }\n")
        #expect(e?.key == "budget" && e?.reason.contains("runs × iterations × dimension") == true, "\(e.map(\.description) ?? "accepted")")
    }
}
