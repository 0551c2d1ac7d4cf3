import Foundation
import TheoryBench

/// libFuzzer entry point: the input is an instance file, optionally followed by a line `---csv---` and
/// the contents of `data.csv` (which the file may name, e.g. `eigenvalues: {csv: data.csv}`). Every
/// input must either parse into an instance or be rejected with one `CatalogError` (file, key,
/// reason); any other error, a crash or a hang is a finding.
let directory: String = {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("theorybench-fuzz-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}()

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = data.map { String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self) } ?? ""
    let parts = text.components(separatedBy: "\n---csv---\n")
    let csv = parts.count > 1 ? parts[1] : ""
    try? csv.write(toFile: directory + "/data.csv", atomically: false, encoding: .utf8)
    do {
        let instance = try InstanceFile.parse(parts[0], file: directory + "/fuzz.yaml")
        precondition(instance.start.count == instance.dimension, "accepted with a start of the wrong dimension")
        precondition(instance.start.allSatisfy(\.isFinite), "accepted with a non-finite start")
    } catch let e as CatalogError {
        precondition(!e.key.isEmpty && !e.reason.isEmpty, "a rejection without key or reason: \(e)")
    } catch {
        fatalError("not a CatalogError: \(error)")
    }
    return 0
}

/// The libFuzzer entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { fuzzOne(data, size) }

/// SwiftPM links an executable's entry point under the target's name; here it hands the command line
/// to libFuzzer's driver (libFuzzer's own `main` does the same; the link keeps one of the two).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("catalog_fuzz_main")
public func catalogFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var c = argc, v = argv
    return LLVMFuzzerRunDriver(&c, &v) { data, size in fuzzOne(data, size) }
}
