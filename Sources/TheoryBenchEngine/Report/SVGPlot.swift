import TheoryBenchCore
import Foundation

/// A minimal SVG line plot with a logarithmic (or linear) y axis and a logarithmic or linear x axis:
/// measured curve with its confidence band, a reference curve (bound or fit, dashed), and optional extra
/// curves (the negative controls, reference methods), drawn as lines or as point markers.
/// Non-positive or non-finite points are left out of a log scale.
public struct SVGPlot {
    public struct Curve {
        public var label: String
        public var x: [Double]
        public var y: [Double]
        public var lower: [Double]?
        public var upper: [Double]?
        public var color: String
        public var dashed: Bool
        /// Whether the y range is fitted to this curve (a control that diverges is drawn clipped).
        public var setsRange: Bool
        /// Points drawn as markers (one per instance, say) instead of a line.
        public var markers: Bool
        public init(label: String, x: [Double], y: [Double], lower: [Double]? = nil, upper: [Double]? = nil,
                    color: String, dashed: Bool = false, setsRange: Bool = true, markers: Bool = false) {
            self.label = label; self.x = x; self.y = y; self.lower = lower; self.upper = upper
            self.color = color; self.dashed = dashed; self.setsRange = setsRange; self.markers = markers
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var logY: Bool
    public var curves: [Curve]

    public init(title: String, xLabel: String, yLabel: String, logX: Bool, logY: Bool = true, curves: [Curve]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.logX = logX; self.logY = logY
        self.curves = curves
    }

    /// Whether a y value can be drawn on this plot's scale.
    func drawable(_ v: Double) -> Bool { v.isFinite && v < 1e150 && v > -1e150 && (!logY || v > 0) }

    let width = 640.0, left = 70.0, right = 20.0, top = 40.0
    var height: Double { 330 + bottom }
    var bottom: Double { 50 + 16 * Double(curves.count) }

    public func render() -> String {
        let xs = curves.flatMap { $0.x }.filter { logX ? $0 > 0 : $0.isFinite }
        var all = [Double]()
        for c in curves where c.setsRange { all += c.y; all += c.lower ?? []; all += c.upper ?? [] }
        var ys = all.filter(drawable)
        if logY, let lo = ys.min(), let hi = ys.max() {   // other curves widen the range by ≤ 3 decades
            for c in curves where !c.setsRange {
                ys += c.y.filter(drawable).map { min(max($0, lo * 1e-3), hi * 1e3) }
            }
        }
        if ys.isEmpty { ys = curves.flatMap(\.y).filter(drawable) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(width / 2)\" y=\"22\" text-anchor=\"middle\" font-size=\"13\">\(escape(title))</text>\n"
        guard var x0 = xs.min(), var x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else {
            return out + "<text x=\"\(width / 2)\" y=\"\(height / 2)\" text-anchor=\"middle\">no finite positive data</text>\n</svg>\n"
        }
        if x1 == x0 { x1 = logX ? x0 * 10 : x0 + 1 }
        if curves.contains(where: \.markers) {   // room for markers at the ends
            if logX { let f = pow(x1 / x0, 0.04); x0 /= f; x1 *= f } else { let p = 0.04 * (x1 - x0); x0 -= p; x1 += p }
        }
        let fx = scale(x0, x1, log: logX, to: left, width - right)
        let (t0, t1) = logY ? (floor(log10(y0)), max(ceil(log10(y1)), floor(log10(y0)) + 1))
                            : (y0 - 0.05 * max(y1 - y0, 1e-12), y1 + 0.05 * max(y1 - y0, 1e-12))
        let fy: (Double) -> Double = { v in
            let t = self.logY ? log10(v) : v
            return self.height - self.bottom - (t - t0) / (t1 - t0) * (self.height - self.top - self.bottom)
        }
        out += axes(fx: fx, x0: x0, x1: x1, t0: t0, t1: t1, fy: fy)
        out += "<clipPath id=\"plot\"><rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\"/></clipPath>\n<g clip-path=\"url(#plot)\">\n"
        for c in curves {
            if let lo = c.lower, let hi = c.upper { out += band(c, lo, hi, fx, fy) }
        }
        for c in curves {
            out += c.markers ? markers(c.x, c.y, fx, fy, color: c.color) : polyline(c.x, c.y, fx, fy, color: c.color, dashed: c.dashed)
        }
        out += "</g>\n"
        for (i, c) in curves.enumerated() {
            let ly = height - bottom + 50 + Double(i) * 16, lx = left
            out += c.markers ? "<circle cx=\"\(lx + 12)\" cy=\"\(ly - 4)\" r=\"4\" fill=\"\(c.color)\"/>"
                : "<line x1=\"\(lx)\" y1=\"\(ly - 4)\" x2=\"\(lx + 24)\" y2=\"\(ly - 4)\" stroke=\"\(c.color)\" stroke-width=\"2\"\(c.dashed ? " stroke-dasharray=\"6,4\"" : "")/>"
            out += "<text x=\"\(lx + 30)\" y=\"\(ly)\">\(escape(c.label))</text>\n"
        }
        return out + "</svg>\n"
    }

    func scale(_ a: Double, _ b: Double, log: Bool, to p: Double, _ q: Double) -> (Double) -> Double {
        let t: (Double) -> Double = log ? { Foundation.log10(max($0, a)) } : { $0 }
        let ta = t(a), tb = t(b)
        return { p + (t($0) - ta) / (tb - ta) * (q - p) }
    }

    func axes(fx: (Double) -> Double, x0: Double, x1: Double, t0: Double, t1: Double, fy: (Double) -> Double) -> String {
        let yb = height - bottom
        var s = "<line x1=\"\(left)\" y1=\"\(yb)\" x2=\"\(width - right)\" y2=\"\(yb)\" stroke=\"black\"/>"
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(yb)\" stroke=\"black\"/>\n"
        for (v, label) in yTicks(t0, t1) {
            let y = fy(v)
            s += "<line x1=\"\(left - 4)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(label)</text>\n"
        }
        for v in xTicks(x0, x1) {
            let x = fx(v)
            s += "<line x1=\"\(x)\" y1=\"\(yb)\" x2=\"\(x)\" y2=\"\(yb + 4)\" stroke=\"black\"/>"
            s += "<text x=\"\(x)\" y=\"\(yb + 16)\" text-anchor=\"middle\">\(tickLabel(v))</text>\n"
        }
        s += "<text x=\"\((left + width - right) / 2)\" y=\"\(yb + 30)\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        s += "<text x=\"14\" y=\"\((top + yb) / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 14 \((top + yb) / 2))\">\(escape(yLabel))</text>\n"
        return s
    }

    func xTicks(_ a: Double, _ b: Double) -> [Double] {
        if logX {
            return (Int(floor(log10(a)))...Int(ceil(log10(b)))).map { pow(10, Double($0)) }.filter { $0 >= a && $0 <= b }
        }
        return linearTicks(a, b)
    }

    /// Decades on a log axis (t0, t1 are exponents), round values on a linear one, with their labels.
    func yTicks(_ t0: Double, _ t1: Double) -> [(Double, String)] {
        guard logY else { return linearTicks(t0, t1).map { ($0, tickLabel($0)) } }
        let step = max(1, Int(((t1 - t0) / 8).rounded(.up)))
        return stride(from: Int(t0), through: Int(t1), by: step).map { (pow(10, Double($0)), "1e\($0)") }
    }

    func linearTicks(_ a: Double, _ b: Double) -> [Double] {
        let raw = (b - a) / 5, mag = pow(10, floor(log10(max(raw, 1e-300))))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        return stride(from: (a / step).rounded(.up) * step, through: b, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    func tickLabel(_ v: Double) -> String {
        abs(v) >= 1e5 || (abs(v) < 1e-2 && v != 0) ? String(format: "%.0e", v) : String(format: "%g", v)
    }

    func markers(_ x: [Double], _ y: [Double], _ fx: (Double) -> Double, _ fy: (Double) -> Double, color: String) -> String {
        var out = ""
        for (a, b) in zip(x, y) where drawable(b) && (!logX || a > 0) {
            let cx = String(format: "%.1f", fx(a)), cy = String(format: "%.1f", fy(b))
            out += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"4\" fill=\"\(color)\"/>\n"
        }
        return out
    }

    func polyline(_ x: [Double], _ y: [Double], _ fx: (Double) -> Double, _ fy: (Double) -> Double,
                  color: String, dashed: Bool) -> String {
        var segments = [[String]](), current = [String]()
        for (a, b) in zip(x, y) {
            if drawable(b) && (!logX || a > 0) {
                current.append(String(format: "%.1f,%.1f", fx(a), fy(b)))
            } else if !current.isEmpty { segments.append(current); current = [] }
        }
        if !current.isEmpty { segments.append(current) }
        return segments.map { pts in
            "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"6,4\"" : "") points=\"\(pts.joined(separator: " "))\"/>\n"
        }.joined()
    }

    func band(_ c: Curve, _ lo: [Double], _ hi: [Double], _ fx: (Double) -> Double, _ fy: (Double) -> Double) -> String {
        let ok = c.x.indices.filter { drawable(lo[$0]) && drawable(hi[$0]) && (!logX || c.x[$0] > 0) }
        guard ok.count >= 2 else { return "" }
        let upper = ok.map { String(format: "%.1f,%.1f", fx(c.x[$0]), fy(hi[$0])) }
        let lower = ok.reversed().map { String(format: "%.1f,%.1f", fx(c.x[$0]), fy(lo[$0])) }
        return "<polygon fill=\"\(c.color)\" fill-opacity=\"0.18\" stroke=\"none\" points=\"\((upper + lower).joined(separator: " "))\"/>\n"
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
