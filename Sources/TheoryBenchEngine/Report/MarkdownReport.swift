import TheoryBenchCore
import Foundation

/// `REPORT.md` and its figures, rendered from pairing results (the same verdicts the tests assert).
public struct MarkdownReport {
    public let results: [PairingResult]
    public let scale: Scale

    /// Falsification searches to show beside the verdicts (`theorybench report --falsify-budget`).
    public var falsification: [FalsificationResult] = []
    /// The catalog and code the results come from (written into results.json).
    public var origin: ResultsOrigin?
    /// Tables across instances, by paper key (`PaperFamily.tables`), shown at the top of its section.
    public var tables: [String: [OverviewTable]] = [:]
    /// Figures across instances, by paper key (`PaperFamily.figures`), shown after its tables.
    public var overviewFigures: [String: [OverviewFigure]] = [:]

    public init(results: [PairingResult], scale: Scale) {
        self.results = results.sorted { ($0.paper.key, $0.pairing) < ($1.paper.key, $1.pairing) }
        self.scale = scale
    }

    /// Writes REPORT.md, figures/*.svg and results.json into `directory`, each atomically. With
    /// `prune`, figures of pairings not in this report are dropped (for a complete report only).
    /// Everything is written to a staging directory first and swapped in at the end, so an
    /// interrupted run leaves the previous report intact.
    public func write(to directory: String, prune: Bool = false) throws {
        let out = try StagedDirectory(directory)
        let fm = FileManager.default
        let figures = "\(out.staging)/figures"
        try fm.createDirectory(atPath: figures, withIntermediateDirectories: true)
        var written = Set<String>()
        for r in results {
            let name = "\(Self.figureName(r)).svg"
            try AtomicFile.write(figure(r).render(), to: "\(figures)/\(name)")
            written.insert(name)
            if let plot = callsFigure(r) {
                try AtomicFile.write(plot.render(), to: "\(figures)/\(Self.figureName(r))__calls.svg")
                written.insert("\(Self.figureName(r))__calls.svg")
            }
        }
        for (key, group) in Dictionary(grouping: results, by: { $0.paper.key }) {
            for f in overviewFigures[key] ?? [] {
                guard let plot = f.plot(group) else { continue }
                try AtomicFile.write(plot.render(), to: "\(figures)/\(f.fileName(paper: key))")
                written.insert(f.fileName(paper: key))
            }
        }
        // A partial report keeps the figures of the pairings it did not run.
        if !prune, let old = try? fm.contentsOfDirectory(atPath: "\(directory)/figures") {
            for f in old where f.hasSuffix(".svg") && !written.contains(f) {
                try fm.copyItem(atPath: "\(directory)/figures/\(f)", toPath: "\(figures)/\(f)")
            }
        }
        for f in falsification {
            for file in try f.files() { try AtomicFile.write(file.text, to: "\(out.staging)/falsify/\(f.claim)/\(file.name)") }
        }
        try AtomicFile.write(try ResultsFile(scale: scale, origin: origin, results: results).encoded(), to: "\(out.staging)/results.json")
        try AtomicFile.write(markdown(), to: "\(out.staging)/REPORT.md")
        try out.commit()
    }

    static func figureName(_ r: PairingResult) -> String {
        r.pairing.replacingOccurrences(of: "@", with: "__")
    }

    public var greenCount: Int { results.filter(\.isGreen).count }

    public func markdown() -> String {
        var s = "# theorybench report\n\n"
        s += "Scale: **\(scale.rawValue)**. \(results.count) pairings; \(results.filter { $0.verdict.outcome == .pass }.count) pass, "
        let controls = results.flatMap(\.controls).filter(\.applies)
        s += "\(controls.filter(\.detected).count) of \(controls.count) controls detected (where they apply). Regenerate with `make report`.\n\n"
        s += "Tightness = measured ÷ allowed (≤ 1 within the bound; see *How to read* below). "
        s += "A control is *detected* when the claim's own check fails on it, as it must. "
        s += "The same oracle under other seed salts (the number per pairing is in its row): [CALIBRATION.md](CALIBRATION.md) (`theorybench calibrate`).\n\n"
        s += summaryTable()
        for (key, group) in Dictionary(grouping: results, by: { $0.paper.key }).sorted(by: { $0.key < $1.key }) {
            s += paperSection(key, group)
        }
        if !falsification.isEmpty { s += falsificationSection() }
        s += Self.howToRead
        return s
    }

    /// Per searched claim: the bound, the exact worst case where known, the worst margin the search
    /// found (re-evaluated on fresh streams; the instance linked), and the margins on the catalog.
    func falsificationSection() -> String {
        var s = "## Falsification: the worst instance found inside each claim's class\n\n"
        s += "For one probe claim per paper family (`Falsifier.probe`: its cheapest bound claim whose catalog instance has a declared "
        s += "instance space for its family and parts; `theorybench report --falsify-all` searches every such claim), a (μ/μ, λ) "
        s += "evolution strategy searched that space for the largest margin (measured ÷ allowed) within the budget shown "
        s += "(`make report` uses 16 candidates; `theorybench falsify CLAIM` searches any claim, 128 by default) and re-evaluated "
        s += "its best candidates at full scale on fresh streams; only the re-evaluation counts. A margin above 1 inside the "
        s += "hypotheses is a finding, diagnosed in the family's docs/derivations file.\n\n"
        s += "| claim | check | exact worst case (at the worst instance's constants) | worst margin found | space | margins on the catalog |\n|---|---|---|---|---|---|\n"
        for f in falsification {
            let check = results.first { $0.claim == f.claim }?.check ?? ""
            let exact = f.worst?.worstCase.map { "\($0.formatted3) (\(f.worstCaseProvenance ?? ""))" } ?? "not known"
            let found = f.worst.map { w in
                "\(w.margin.formatted3)\(w.interval.map { " [\($0[0].formatted3), \($0[1].formatted3)]" } ?? "")\(f.violated ? " **VIOLATION**" : "") — [instance](falsify/\(f.claim)/worst.yaml), [search](falsify/\(f.claim)/progress.svg)"
            } ?? "— (no instance of the space meets the claim's needs, e.g. a 1-D claim and d ≥ 2)"
            let catalog = results.filter { $0.claim == f.claim }.map { "\($0.instance): \($0.verdict.margin?.formatted3 ?? "—")" }.joined(separator: "; ")
            s += "| `\(f.claim)` | \(check) | \(exact) | \(found) | \(f.space) (budget \(f.budget)) | \(catalog) |\n"
        }
        return s + "\n"
    }

    /// The markdown summary table (also used for `$GITHUB_STEP_SUMMARY`).
    public func summaryTable() -> String {
        var s = "| claim | paper | theorem | method | problem | verdict | tightness | widths from flipping | controls |\n|---|---|---|---|---|---|---|---|---|\n"
        for r in results {
            let margin = r.verdict.margin.map { $0.formatted3 } ?? "—"
            s += "| `\(r.pairing)` | \(r.paper.reference) | \(r.theorem) | \(r.method) | \(r.problem) | \(Self.badge(r.verdict.outcome)) | \(margin) | \(Self.widthsCell(r)) | \(Self.controlCell(r)) |\n"
        }
        return s + "\n"
    }

    /// The claim's and the controls' distances from flipping in CI widths ("=" marks an equality check,
    /// exempt from the rule); a close call is in bold.
    static func widthsCell(_ r: PairingResult) -> String {
        let m = Reliability.minimumWidths
        func w(_ v: Verdict, exempt: Bool = false) -> String {
            guard let x = v.widths else { return "—" }
            let t = x.isInfinite ? "∞" : x.formatted3
            return exempt ? "= " + t : (x < m ? "**\(t)**" : t)
        }
        return w(r.verdict, exempt: r.equalityCheck == true) + " / " + r.controls.map { $0.applies ? w($0.verdict) : "n/a" }.joined(separator: ", ")
    }

    /// "detected" (n controls: "detected ×n"), else the missed ones in bold with their outcomes; the
    /// controls that do not apply here (`Control.only`) follow as "not applicable here".
    static func controlCell(_ r: PairingResult) -> String {
        if r.external != nil { return "external (no controls)" }
        let applying = r.controls.filter(\.applies), missed = applying.filter(\.missed)
        var cell: String
        if missed.isEmpty {
            cell = applying.isEmpty ? "" : applying.count == 1 ? "detected" : "detected ×\(applying.count)"
        } else {
            cell = missed.map { "**missed** `\(shortID($0, r))` (\($0.verdict.outcome.rawValue))" }.joined(separator: "; ")
        }
        let absent = r.controls.filter { !$0.applies }.map { "`\(shortID($0, r))` not applicable here: \($0.condition ?? "")" }
        return ([cell] + absent).filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// A control's id without its claim's prefix.
    static func shortID(_ c: ControlResult, _ r: PairingResult) -> String {
        c.id.replacingOccurrences(of: r.claim + ".", with: "")
    }

    static func badge(_ o: Outcome) -> String {
        switch o {
        case .pass: return "pass"
        case .fail: return "**FAIL**"
        case .diverged: return "**diverged**"
        case .assumptionViolated: return "assumption violated"
        case .notApplicable: return "not applicable"
        }
    }

    func paperSection(_ key: String, _ group: [PairingResult]) -> String {
        let paper = group[0].paper
        var s = "## \(paper.title) (\(paper.reference))\n\n"
        s += "Derivations and authorities of every bound below: [docs/derivations/\(key).md](../docs/derivations/\(key).md) "
        s += "(the § numbers in the provenance lines refer to it).\n\n"
        for t in tables[key] ?? [] { s += t.markdown(group) }
        for f in overviewFigures[key] ?? [] { s += f.markdown(group, paper: key) }
        for (claim, pairs) in Dictionary(grouping: group, by: \.claim).sorted(by: { $0.key < $1.key }) {
            let c = pairs[0]
            s += "### `\(claim)` — \(c.theorem)\n\n\(c.statement)\n\n"
            s += "- Measured: \(c.measured)\n- Check: \(c.check)\n- Provenance: **\(c.provenance)** — \(c.provenanceDetail)\n"
            s += "- Tolerance: \(c.tolerance)\n"
            for k in c.controls { s += "- Control: `\(k.id)` — \(k.description)\(k.condition.map { " (only on: \($0))" } ?? "")\n" }
            s += "\n"
            for r in pairs { s += pairingBlock(r) }
        }
        return s
    }

    func pairingBlock(_ r: PairingResult) -> String {
        let consts = r.constants.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value.formatted3)" }.joined(separator: ", ")
        let origin = r.external.map { " — **external** measurements from `\($0)` (`theorybench judge`)" } ?? ""
        var s = "#### on `\(r.instance)`\(origin): \(Self.badge(r.verdict.outcome))\n\n"
        s += "- Problem: \(r.problem); constants: \(consts)\n- Method: \(r.method); \(r.runs) runs, \(r.seconds.formatted3) s\n"
        s += "- Verdict: \(r.verdict.detail)\(Self.widthsNote(r.verdict))\n"
        if let w = r.worstCase {
            s += "- Exact worst case of the tightness over the claim's class at these constants: \(w.formatted3) (\(r.worstCaseProvenance ?? "")); measured here: \(r.verdict.margin?.formatted3 ?? "—")\n"
        }
        if !r.closeCalls.isEmpty { s += "- **Close call** (within \(Reliability.minimumWidths.formatted3) CI widths of flipping): \(r.closeCalls.joined(separator: "; "))\n" }
        if !r.verdict.violations.isEmpty { s += "- Assumptions violated: \(r.verdict.violations.joined(separator: "; "))\n" }
        for c in r.controls {
            guard c.applies else { s += "- Control `\(Self.shortID(c, r))`: \(c.verdict.detail)\n"; continue }
            s += "- Control `\(Self.shortID(c, r))`: \(c.detected ? "detected" : "**missed**") — \(c.verdict.outcome.rawValue): \(c.verdict.detail)\(Self.widthsNote(c.verdict))\n"
            if !c.verdict.violations.isEmpty { s += "  (flagged hypotheses: \(c.verdict.violations.joined(separator: "; ")))\n" }
        }
        s += "\n![\(r.pairing)](figures/\(Self.figureName(r)).svg)\n"
        if callsFigure(r) != nil { s += "![\(r.pairing) vs oracle calls](figures/\(Self.figureName(r))__calls.svg)\n" }
        return s + "\n"
    }

    /// The plot of a pairing: measured statistic with its band, the bound or fit, and the control.
    /// The x axis is the series' abscissa (e.g. 1/δ for confidence-growth checks) or the iteration.
    public func figure(_ r: PairingResult) -> SVGPlot {
        var curves = [SVGPlot.Curve]()
        let xs = { (s: Series) in s.abscissa ?? s.iterations.map(Double.init) }
        if let s = r.verdict.series {
            curves.append(.init(label: "measured (\(r.method))", x: xs(s), y: s.estimate, lower: s.lower, upper: s.upper, color: "#1f77b4"))
            if let ref = s.reference { curves.append(.init(label: s.referenceLabel ?? "reference", x: xs(s), y: ref, color: "#d62728", dashed: true)) }
        }
        for (i, c) in r.controls.enumerated() {
            guard let s = c.verdict.series else { continue }
            curves.append(.init(label: "control: " + Self.shortID(c, r), x: xs(s), y: s.estimate, lower: s.lower, upper: s.upper,
                                color: Self.controlColor(i), setsRange: r.verdict.series == nil && i == 0))
        }
        for (i, ref) in (r.references ?? []).enumerated() {
            guard let s = ref.series else { continue }
            curves.append(.init(label: "reference: \(ref.label)", x: xs(s), y: s.estimate, lower: s.lower, upper: s.upper,
                                color: Self.referenceColor(i), setsRange: false))
        }
        let series = r.verdict.series ?? r.controls.lazy.compactMap(\.verdict.series).first
        let logX = series?.abscissa != nil || r.check.contains("vs log k") || (series.map { Self.looksLogarithmic($0.iterations) } ?? false)
        return SVGPlot(title: r.pairing, xLabel: series?.abscissaLabel ?? "iteration k", yLabel: r.measured, logX: logX, curves: curves)
    }

    /// The same statistic against mean gradient-oracle calls (semilog), for methods that count
    /// them; the control is drawn against its own calls.
    public func callsFigure(_ r: PairingResult) -> SVGPlot? {
        guard let s = r.verdict.series, let calls = s.oracleCalls, s.abscissa == nil else { return nil }
        var curves = [SVGPlot.Curve(label: "measured (\(r.method))", x: calls, y: s.estimate, lower: s.lower, upper: s.upper, color: "#1f77b4")]
        if let ref = s.reference, r.verdict.series?.referenceLabel == "bound" {
            curves.append(.init(label: "bound", x: calls, y: ref, color: "#d62728", dashed: true))
        }
        for (i, c) in r.controls.enumerated() {
            guard let s = c.verdict.series, let cc = s.oracleCalls else { continue }
            curves.append(.init(label: "control: " + Self.shortID(c, r), x: cc, y: s.estimate, color: Self.controlColor(i), setsRange: false))
        }
        return SVGPlot(title: r.pairing + " vs oracle calls", xLabel: "gradient-oracle calls (mean over runs)",
                       yLabel: r.measured, logX: false, curves: curves)
    }

    /// Grey for the first control, then orange and green.
    static func widthsNote(_ v: Verdict) -> String {
        guard let w = v.widths else { return "" }
        return "; \(w.isInfinite ? "∞" : w.formatted3) CI widths from flipping"
    }

    static func controlColor(_ i: Int) -> String { ["#7f7f7f", "#ff7f0e", "#2ca02c"][i % 3] }
    /// Purple, brown, pink, olive for reference methods.
    static func referenceColor(_ i: Int) -> String { ["#9467bd", "#8c564b", "#e377c2", "#bcbd22"][i % 4] }

    static func looksLogarithmic(_ k: [Int]) -> Bool {
        guard k.count > 4 else { return false }
        let mid = k[k.count / 2], last = k.last!
        return Double(mid) < 0.2 * Double(last)
    }

    static let howToRead = """
    ## How to read this report

    - **verdict**: `pass` — the check holds within its stated confidence; `FAIL` — the measured statistic is
      beyond the bound even at the edge of its confidence interval; `diverged` — a run left the finite range;
      `assumption violated` — a hypothesis of the theorem does not hold on this instance, so it was not run.
    - **tightness** (margin), ≤ 1 within the claim, by kind of check: bounds — max over checkpoints of
      measured ÷ bound; slopes — 10^(measured slope − allowed slope), the measured decrease per decade over
      the allowed one; linear rates — ln(allowed factor) ÷ ln(measured factor), the measured iterations per
      e-fold over the allowed ones; levels at the horizon — measured ÷ predicted upper level (≈ 1 for an
      exact level); polylog growth in 1/δ — measured ln-ln growth exponent ÷ allowed degree; polynomial
      growth in 1/δ — required elasticity ÷ measured elasticity (so ≤ 1 again means "on the claimed side");
      size scaling — measured endpoint slope ÷ allowed slope. Values far below 1 mean the bound is loose.
    - **widths from flipping**: how far each verdict (claim / controls) is from changing, in widths of the
      confidence interval that decides it. The oracle requires at least \(Reliability.minimumWidths.formatted3)
      for every claim and control (the false-alarm budget of \((Reliability.falseAlarmBudget * 100).formatted3) %
      per run of the oracle, derived in `docs/reliability.md`); a close call is shown in bold and fails the
      pairing. `=` marks an exact-level claim, whose check runs at confidence
      \(Reliability.equalityConfidence) instead; `—` a verdict no interval decides (one deterministic run).
    - **provenance**: `paper` (theorem as printed), `classical` (textbook, cited), `derived` (derived in this
      project; the derivation is in the claim's doc comment), `order` (rate only; only a slope is checked).
    - **controls**: the same experiment with the method or instance changed so that a hypothesis fails (a
      claim may have several, e.g. a method variant and a light-tailed instance). The claim's own check must
      fail on each (`detected`); a `missed` control means the check could not tell. A control can be restricted
      to the instances where it can have power (a bug that only shows on curved instances cannot fail a check
      on a flat one): elsewhere it is not run and reads `not applicable here: <condition>` (`n/a` in the widths
      column), which counts neither as detected nor as missed; where it applies, it must be detected.
    - Figures: blue, the measured statistic with its confidence band; red dashed, the bound (or the fitted
      line for slope and rate checks); grey (then orange, green), the controls; purple (then brown, pink), reference
      methods measured by the same statistic on the same streams, drawn for comparison and never judged (full
      scale only). Figures across a paper's instances (at the top of its section) draw reported constants, exact
      curves of the instances (e.g. an (L0, L1) trade-off curve, solid) and claims' tightness (markers).

    """
}
