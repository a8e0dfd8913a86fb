#!/usr/bin/env bash
# What asynchronous checkpointing costs the training loop: step-loop samples/s of the same job
# without checkpoints and with checkpoint.every-steps=EVERY (each save copies the rank's shard
# between two steps; a background thread writes it while training goes on), alternating within
# each round; the epoch-end save, which waits for its commit, is outside the step loop.
# Usage: deploy/bench/checkpoint-cost.sh MODEL LIMIT_IMAGES RUNS RANKS STAGE EVERY CKPT_DIR [OUT.jsonl]
#   e.g. deploy/bench/checkpoint-cost.sh wide-mlp 6400 3 2 1 5 /var/tmp/sz-ckpt
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y dataset-fashion-mnist
set -euo pipefail
model=${1:?model}; limit=${2:?limit}; runs=${3:?runs}; ranks=${4:?ranks}; stage=${5:?stage}
every=${6:?every}; dir=${7:?checkpoint dir}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${8:-${TMPDIR:-/tmp}/spark-zero-checkpoint-cost-$model.jsonl}
: > "$out"
trap 'rm -rf "$dir"/run-*' EXIT
for i in $(seq 1 "$runs"); do
  for mode in none async; do
    ckpt=()
    if [ "$mode" = async ]; then
      rm -rf "$dir/run-$i"; mkdir -p "$dir/run-$i"
      ckpt=(--set checkpoint.path="file://$dir/run-$i" --set checkpoint.every-steps="$every")
    fi
    line=$("$root/deploy/bin/spark-zero" train "$root/deploy/conf/$model.yaml" \
        --set zero.stage="$stage" --set train.world-size="$ranks" --set spark.master="local[$ranks]" \
        --set data.limit="$limit" --set data.test= --set train.epochs=1 "${ckpt[@]}" \
        --set spark-conf.spark.ui.enabled=false 2>/dev/null | sed -n 's/^spark-zero: summary //p')
    echo "{\"mode\": \"$mode\", \"every\": $every, \"run\": $i, \"result\": $line}" | tee -a "$out"
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs = sorted({r["run"] for r in rows})
sps = lambda mode, run: next(r["result"]["epochs"][0]["step_loop_samples_per_s"]
                             for r in rows if r["mode"] == mode and r["run"] == run)
ratios = [sps("none", run) / sps("async", run) for run in runs]
print(json.dumps({"summary": "checkpoint-cost", "every_steps": rows[0]["every"],
                  "steps_per_epoch": rows[0]["result"]["steps_per_epoch"],
                  "none_samples_per_s": [sps("none", r) for r in runs],
                  "async_samples_per_s": [sps("async", r) for r in runs],
                  "step_time_async_vs_none": [round(statistics.median(ratios), 3),
                                              [round(x, 3) for x in ratios]]}))
PY
