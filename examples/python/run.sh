#!/usr/bin/env bash
# End to end: export two claims' experiments, run NumPy implementations of the methods on them, and
# have theorybench judge the measurements. The correct implementations must pass; the deliberately
# wrong ones must be rejected (exit code 1 from `judge`). Run from anywhere; needs a built CLI
# (`swift build -c release --product theorybench`) and NumPy (installed with pip when missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
tb="${THEORYBENCH:-$root/.build/release/theorybench}"
python3 -c "import numpy" 2>/dev/null || python3 -m pip install --quiet numpy
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

expect() {   # expect ok|reject PAIRING CSV
    local want="$1" pairing="$2" csv="$3" rc=0
    "$tb" judge "$pairing" --measurements "$csv" || rc=$?
    if [[ "$want" == ok && $rc -ne 0 ]]; then echo "examples: $pairing: the correct implementation was rejected" >&2; exit 1; fi
    if [[ "$want" == reject && $rc -ne 1 ]]; then echo "examples: $pairing: the wrong implementation was not rejected (exit $rc)" >&2; exit 1; fi
}

run() {   # run SCRIPT PAIRING
    local script="$1" pairing="$2" dir="$work/${1%.py}"
    "$tb" export "$pairing" --out "$dir"
    python3 "examples/python/$script" "$dir" "$dir/ok.csv"
    python3 "examples/python/$script" "$dir" "$dir/wrong.csv" --wrong
    expect ok "$pairing" "$dir/ok.csv"
    expect reject "$pairing" "$dir/wrong.csv"
}

run sgd.py baseline.sgd-exact-level@quadratic-d10
run clip_adagrad_norm.py clip-adagrad.polylog-confidence.clip-adagradd-norm@lomax-1d
echo "examples: both correct implementations pass, both wrong ones are rejected"
