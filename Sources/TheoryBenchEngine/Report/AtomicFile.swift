import TheoryBenchCore
import Foundation

/// Writes files atomically: the content goes to a temporary file in the same directory, which is
/// then renamed over the target, so an interrupted run never leaves a half-written file.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try Data(text.utf8).write(to: tmp)
        if rename(tmp.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: tmp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}

/// Signals that arrive while an output directory is being swapped in are held until the swap is
/// done, so an interrupted run leaves either the previous outputs or the new ones, never a mix.
/// The CLI's signal handler asks `interrupt(_:)`; writers wrap their final renames in `commit`.
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()
    private let lock = NSLock()
    private var committing = false
    private var pending: (() -> Never)?
    /// Staging directories to delete if the process is interrupted before they are committed.
    private var staging = Set<String>()

    /// Runs `exit` now, or after the commit in progress; staging directories are removed first.
    public func interrupt(_ exit: @escaping () -> Never) {
        lock.lock()
        if committing { pending = exit; lock.unlock(); return }
        let dirs = staging
        lock.unlock()
        for d in dirs { try? FileManager.default.removeItem(atPath: d) }
        exit()
    }

    func register(staging dir: String) { lock.lock(); staging.insert(dir); lock.unlock() }

    /// Runs `body` (the final renames) with signals held.
    func commit(staging dir: String, _ body: () throws -> Void) rethrows {
        lock.lock(); committing = true; lock.unlock()
        defer {
            lock.lock(); committing = false; staging.remove(dir); let p = pending; lock.unlock()
            p?()
        }
        try body()
    }
}

/// A directory of outputs written as a whole: files go to a hidden staging directory beside the
/// target, and `commit` renames them over the target's files (figures as one directory), so the
/// previous outputs stay intact until the new ones are complete.
public struct StagedDirectory {
    public let target: String
    public let staging: String

    /// Stale staging directories of earlier interrupted runs are removed.
    public init(_ target: String) throws {
        self.target = target
        let fm = FileManager.default
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        for old in (try? fm.contentsOfDirectory(atPath: target)) ?? [] where old.hasPrefix(".staging-") {
            try? fm.removeItem(atPath: "\(target)/\(old)")
        }
        staging = "\(target)/.staging-\(getpid())"
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        Interruption.shared.register(staging: staging)
    }

    /// Renames every entry of the staging directory over the target's entry of the same name.
    public func commit() throws {
        let fm = FileManager.default
        try Interruption.shared.commit(staging: staging) {
            for name in try fm.contentsOfDirectory(atPath: staging) {
                let dst = "\(target)/\(name)", old = "\(target)/.old-\(getpid())-\(name)"
                var isDir: ObjCBool = false
                let exists = fm.fileExists(atPath: dst, isDirectory: &isDir)
                if exists && isDir.boolValue { try fm.moveItem(atPath: dst, toPath: old) }
                guard rename("\(staging)/\(name)", dst) == 0 else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: dst])
                }
                if exists && isDir.boolValue { try? fm.removeItem(atPath: old) }
            }
            try? fm.removeItem(atPath: staging)
        }
    }
}
