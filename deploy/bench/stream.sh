#!/usr/bin/env bash
# Held against streamed training data (issue 17): fmnist-cnn, one epoch of all of Fashion-MNIST,
# local[2], 2 ranks, no evaluation, by the build in ROOT, from one Parquet copy of the data made
# once with `spark-zero import` (row groups of about 1 MiB). RUNS rounds, each running
# data.mode memory then data.mode stream. Prints, per run, the step loop's samples/s (both ranks),
# the stage's samples/s, and for streamed runs the slowest rank's reader rate (examples per second
# of the reader's own time) and the longest wait any step had for data.
# Usage: deploy/bench/stream.sh ROOT RUNS [--set KEY=VALUE]...
set -euo pipefail
root=${1:?root}; runs=${2:?runs}
shift 2
data=${STREAM_BENCH_DIR:-/tmp/sz-stream-bench}
mkdir -p "$data"
if [ ! -d "$data/train.parquet" ]; then
  "$root/deploy/bin/spark-zero" import /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \
      "$data/train.parquet" --master "local[2]" 2>/dev/null
fi
for round in $(seq 1 "$runs"); do
  for mode in memory stream; do
    out=$("$root/deploy/bin/spark-zero" train \
        --set model=fmnist-cnn --set train.world-size=2 --set spark.master="local[2]" \
        --set data.train="parquet:$data/train.parquet" --set data.test= --set train.epochs=1 \
        --set optimizer.name=adam --set optimizer.lr=0.001 --set data.mode=$mode \
        --set spark-conf.spark.ui.enabled=false "$@" 2>/dev/null)
    loop=$(grep -o '[0-9.]* samples/s in the step loop' <<<"$out" | head -1 | cut -d' ' -f1)
    stage=$(grep -o '([0-9.]* over the stage)' <<<"$out" | head -1 | tr -d '(' | cut -d' ' -f1)
    reader=$(grep -o 'slowest reader [0-9]* examples/s, longest wait for data [0-9.]* s' <<<"$out" || true)
    chunks=$(grep -o 'in [0-9]* chunks' <<<"$out" || true)
    echo "round $round $mode: step loop $loop samples/s, stage $stage samples/s ${chunks:+($chunks) }${reader}"
  done
done
