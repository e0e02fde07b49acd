#!/usr/bin/env bash
# Submits a sweep to Slurm: a job array of TASKS shards, then a merge job
# that starts when every task has ended. Prints "ARRAY_JOB_ID MERGE_JOB_ID".
#
#   tools/slurm/submit-sweep.sh SWEEP RESULTS_DIR TASKS [extra sbatch options...]
#
# SPECMAMBA names the binary (default: specmamba on PATH); SWEEP_JOBS the
# workers per task. Logs go to RESULTS_DIR/logs.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SWEEP RESULTS_DIR TASKS [sbatch options...]" >&2
  exit 2
fi
sweep=$1 dir=$2 tasks=$3
shift 3
case $tasks in '' | *[!0-9]* | 0) echo "$0: TASKS must be a positive integer, got \"$tasks\"" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/logs"
dir=$(cd "$dir" && pwd)
export SWEEP=$sweep SWEEP_DIR=$dir
array=$(sbatch --parsable --export=ALL --array=0-$((tasks - 1)) \
  --output="$dir/logs/shard-%a.out" "$@" "$here/sweep.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --export=ALL --dependency=afterany:"$array" \
  --output="$dir/logs/merge.out" "$@" "$here/merge.sbatch")
echo "$array ${merge%%;*}"
