# theorybench: `make report` writes reports/ (the main job); `make test` runs the regression oracle.
# Both install their prerequisites (libgsl-dev, pkg-config) when missing.
SWIFT ?= swift
OUT ?= reports

.PHONY: report test build prerequisites benchmark clean fuzz

prerequisites:
	@./scripts/prerequisites.sh

build: prerequisites
	$(SWIFT) build -c release --product theorybench

# The falsification section: a 16-candidate search for each paper family's probe claim (about 4 min on 2 cores,
# most of it SVGD's full-scale re-evaluation); `theorybench falsify CLAIM` searches any claim with more.
FALSIFY_BUDGET ?= 16
report: build
	$(SWIFT) run -c release theorybench report --out $(OUT) --scale full --falsify-budget $(FALSIFY_BUDGET)

# The CLI is built first: the interruption test runs a real `theorybench report` process.
test: prerequisites
	$(SWIFT) build -c release --product theorybench
	$(SWIFT) test -c release

benchmark: prerequisites
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build Benchmarks/.build

# libFuzzer on the catalog loader (Fuzz/): FUZZ_SECONDS of fuzzing from the seed corpus; findings are
# written to Fuzz/findings/ (add each, once fixed, to the unit tests).
FUZZ_SECONDS ?= 60
fuzz: prerequisites
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer
	mkdir -p Fuzz/findings Fuzz/.corpus-work
	Fuzz/.build/release/catalog-fuzz Fuzz/.corpus-work Fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -timeout=60 -rss_limit_mb=4096 -artifact_prefix=Fuzz/findings/
