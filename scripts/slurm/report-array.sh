#!/usr/bin/env bash
# theorybench's report on a Slurm cluster: one array task per shard, then one merge job.
#
#   swift build -c release --product theorybench                 # once, before submitting
#   sbatch --array=1-8 scripts/slurm/report-array.sh            # SHARDS defaults to the array size
#   sbatch --dependency=afterok:<array job id> --wrap "scripts/slurm/report-array.sh merge"
#
# Every task runs in the same checkout (a shared file system), so `merge` sees one catalog and one
# code version; it rejects parts that differ, and missing or duplicated shards.
#SBATCH --job-name=theorybench
#SBATCH --cpus-per-task=4
#SBATCH --time=01:00:00
#SBATCH --output=theorybench-%A_%a.log
set -euo pipefail
cd "${SLURM_SUBMIT_DIR:-$(dirname "$0")/../..}"
parts="${PARTS:-reports/parts}"
tb=.build/release/theorybench
if [[ "${1:-}" == merge ]]; then
    "$tb" merge "$parts"/results-shard-*.json --out reports
    exit
fi
[[ -x "$tb" ]] || { echo "theorybench: $tb not built; run swift build -c release --product theorybench first" >&2; exit 1; }
shards="${SHARDS:-${SLURM_ARRAY_TASK_COUNT:?run as an array job, or set SHARDS}}"
"$tb" report --shard "${SLURM_ARRAY_TASK_ID:?run as an array job}/$shards" --out "$parts" --workers "${SLURM_CPUS_PER_TASK:-1}" --quiet
