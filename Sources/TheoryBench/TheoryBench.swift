// The umbrella module: the paper families and their registry, with the layers below re-exported, so
// that `import TheoryBench` gives the whole public API (the CLI, the tests, user code).
@_exported import TheoryBenchCore
@_exported import TheoryBenchEngine
