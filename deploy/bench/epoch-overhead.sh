#!/usr/bin/env bash
# Where each epoch's barrier stage spends its time beyond the step loop: EPOCHS epochs of MODEL on
# LIMIT Fashion-MNIST images, local[2], no evaluation, by the build in ROOT. Prints the seconds
# from launching the command to the first step's end, then one line per epoch with the stage's
# phases in ms (the metrics file's stage_ms: launch, rendezvous, state, loop, finish, return,
# fixed = all but the loop, between = the driver's work since the previous stage).
# The job's standard error goes to $STDERR_TO when set.
# Usage: deploy/bench/epoch-overhead.sh ROOT MODEL LIMIT EPOCHS [--set KEY=VALUE]...
set -euo pipefail
root=${1:?root}; model=${2:?model}; limit=${3:?limit}; epochs=${4:?epochs}
shift 4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
start_ms=$(date +%s%3N)
"$root/deploy/bin/spark-zero" train \
    --set model="$model" --set train.world-size=2 --set spark.master="local[2]" \
    --set data.train=idx:/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \
    --set data.limit="$limit" --set data.test= --set train.epochs="$epochs" \
    --set optimizer.name=adam --set optimizer.lr=0.001 \
    --set output.metrics="$dir/metrics.jsonl" \
    --set spark-conf.spark.ui.enabled=false "$@" >/dev/null 2>"${STDERR_TO:-/dev/null}"
python3 - "$dir/metrics.jsonl" "$start_ms" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
start = int(sys.argv[2])
first = next(l for l in lines if l.get("kind") == "step")
print("first step ended %.1f s after launch" % ((first["time_ms"] - start) / 1000))
for l in lines:
    if l.get("kind") == "epoch":
        print("epoch %d: steps %d, stage %.2f s, %s" % (l["epoch"], l["steps"], l["stage_s"],
              json.dumps(l["stage_ms"])))
PY
