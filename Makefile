# theorybench: `make report` writes reports/ (the main job); `make test` runs the regression oracle.
# Both install their prerequisites (libgsl-dev, pkg-config) when missing.
SWIFT ?= swift
OUT ?= reports

.PHONY: report test build prerequisites benchmark clean

prerequisites:
	@./scripts/prerequisites.sh

build: prerequisites
	$(SWIFT) build -c release --product theorybench

report: build
	$(SWIFT) run -c release theorybench report --out $(OUT) --scale full

test: prerequisites
	$(SWIFT) test -c release

benchmark: prerequisites
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build Benchmarks/.build
