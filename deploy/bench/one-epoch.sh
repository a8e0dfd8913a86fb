#!/usr/bin/env bash
# One epoch of LIMIT images at one ZeRO stage on local[RANKS], no evaluation, by the build in ROOT;
# prints the job's summary line (JSON). The unit the stage benchmarks repeat and alternate.
# Usage: deploy/bench/one-epoch.sh ROOT JOB.yaml STAGE RANKS LIMIT [--set KEY=VALUE]...
set -euo pipefail
root=${1:?root}; job=${2:?job file}; stage=${3:?stage}; ranks=${4:?ranks}; limit=${5:?limit}
shift 5
"$root/deploy/bin/spark-zero" train "$job" \
    --set zero.stage="$stage" --set train.world-size="$ranks" --set spark.master="local[$ranks]" \
    --set data.limit="$limit" --set data.test= --set train.epochs=1 \
    --set spark-conf.spark.ui.enabled=false "$@" 2>/dev/null | sed -n 's/^spark-zero: summary //p'
