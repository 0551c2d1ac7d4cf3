import Foundation
import Testing
import TheoryBench

/// `theorybench report` interrupted by SIGTERM (a real process): the previous report stays intact,
/// the exit status is non-zero and stderr says so in one line (`Report/AtomicFile.swift`:
/// `StagedDirectory`, `Interruption`; the CLI's signal handling).
@Suite("Interruption")
struct InterruptionTests {
    static var binary: String? {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [here.appendingPathComponent("theorybench").path,
                          here.deletingLastPathComponent().appendingPathComponent("theorybench").path,
                          root.appendingPathComponent(".build/release/theorybench").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("SIGTERM during `report` leaves the previous reports/ intact and exits non-zero with one line")
    func terminatedReport() throws {
        let bin = try #require(Self.binary, "the theorybench executable is not built beside the tests")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("theorybench-interrupt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: out + "/figures", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: out) }
        try "previous report\n".write(toFile: out + "/REPORT.md", atomically: true, encoding: .utf8)
        try "{}\n".write(toFile: out + "/results.json", atomically: true, encoding: .utf8)
        try "<svg/>\n".write(toFile: out + "/figures/previous.svg", atomically: true, encoding: .utf8)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        // 400 000 runs of a cheap pairing: several seconds of work, interrupted after one.
        p.arguments = ["report", "--problems", root.appendingPathComponent("problems").path, "--out", out,
                       "--filter", "baseline.sgd-noise-floor@quadratic-d10$", "--runs", "400000", "--quiet"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        Thread.sleep(forTimeInterval: 1.0)
        #expect(p.isRunning, "the report finished before it could be interrupted; raise --runs")
        p.terminate()   // SIGTERM
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 143, "exit status \(p.terminationStatus)")
        #expect(message.contains("interrupted by SIGTERM"), "stderr: \(message)")
        #expect(message.split(separator: "\n").filter { !$0.isEmpty }.count == 1, "stderr: \(message)")
        #expect(try String(contentsOfFile: out + "/REPORT.md", encoding: .utf8) == "previous report\n")
        #expect(try String(contentsOfFile: out + "/results.json", encoding: .utf8) == "{}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/figures") == ["previous.svg"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") }.isEmpty, "staging left behind")
    }
}
