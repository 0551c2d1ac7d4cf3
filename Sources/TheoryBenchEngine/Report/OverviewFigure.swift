import TheoryBenchCore

/// A figure across a paper's instances (`PaperFamily.figures`), drawn at the top of the paper's report
/// section beside its tables: the x axis is a reported constant of each instance (the sketch density,
/// L1, …); each series is a reported constant or a claim's tightness (one marker per instance), or the
/// exact curves that describe the instances (`Illustration`, one line per distinct curve — e.g. each
/// polynomial's whole (L0, L1) trade-off curve, with markers at the points the instances use).
/// Built from the pairing results alone, so `merge` draws it the same way.
public struct OverviewFigure: Sendable {
    public enum Series: Sendable {
        /// A reported constant of each instance against the x constant (markers).
        case constant(String, label: String)
        /// The tightness (measured ÷ allowed) of a claim on each instance against the x constant (markers).
        case tightness(claim: String, label: String)
        /// The instances' exact curves of this name (lines; their own x and y, one per distinct curve).
        case illustration(String)
    }

    /// The figure's file name stem (unique within its paper).
    public let name: String
    public let title: String
    public let note: String
    /// The reported constant on the x axis.
    public let x: String
    public let xLabel: String
    public let yLabel: String
    public let logX: Bool
    public let logY: Bool
    public let series: [Series]

    public init(_ name: String, title: String, note: String, x: String, xLabel: String, yLabel: String,
                logX: Bool = false, logY: Bool = true, series: [Series]) {
        self.name = name; self.title = title; self.note = note; self.x = x; self.xLabel = xLabel; self.yLabel = yLabel
        self.logX = logX; self.logY = logY; self.series = series
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// The figure, or nil when none of its series has a point among `results`.
    public func plot(_ results: [PairingResult]) -> SVGPlot? {
        let mine = results.filter { $0.external == nil }
        let byInstance = Dictionary(grouping: mine, by: \.instance).sorted { $0.key < $1.key }
        var curves = [SVGPlot.Curve]()
        for s in series {
            switch s {
            case .constant(let key, let label):
                let pts = byInstance.compactMap { _, rs in rs[0].constants[x].flatMap { x in rs[0].constants[key].map { (x, $0) } } }
                curves.append(markers(label, pts, color: curves.count))
            case .tightness(let claim, let label):
                let pts = byInstance.compactMap { _, rs -> (Double, Double)? in
                    guard let r = rs.first(where: { $0.claim == claim }), let x = r.constants[x], let m = r.verdict.margin else { return nil }
                    return (x, m)
                }
                curves.append(markers(label, pts, color: curves.count))
            case .illustration(let name):
                var seen = [Illustration]()
                for (_, rs) in byInstance {
                    for c in rs[0].illustrations ?? [] where c.name == name && !seen.contains(c) { seen.append(c) }
                }
                for c in seen.sorted(by: { $0.label < $1.label }) {
                    curves.append(.init(label: c.label, x: c.x, y: c.y, color: Self.palette[curves.count % Self.palette.count]))
                }
            }
        }
        curves.removeAll { $0.x.isEmpty }
        guard !curves.isEmpty else { return nil }
        return SVGPlot(title: title, xLabel: xLabel, yLabel: yLabel, logX: logX, logY: logY, curves: curves)
    }

    func markers(_ label: String, _ points: [(Double, Double)], color i: Int) -> SVGPlot.Curve {
        let sorted = points.sorted { $0.0 < $1.0 }
        return .init(label: label, x: sorted.map(\.0), y: sorted.map(\.1), color: Self.palette[i % Self.palette.count], markers: true)
    }

    /// The figure's file name under `figures/`.
    public func fileName(paper key: String) -> String { "\(key)__overview-\(name).svg" }

    /// The markdown embedding the figure with its note; empty when it has no points.
    public func markdown(_ results: [PairingResult], paper key: String) -> String {
        guard plot(results) != nil else { return "" }
        return "**\(title).** \(note)\n\n![\(title)](figures/\(fileName(paper: key)))\n\n"
    }
}
