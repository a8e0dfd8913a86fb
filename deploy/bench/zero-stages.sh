#!/usr/bin/env bash
# ZeRO stages 0-3 side by side: step throughput relative to stage 0 (same round), and each
# rank's model-state bytes read from its live buffers next to the memory planner's prediction.
# Usage: deploy/bench/zero-stages.sh MODEL LIMIT_IMAGES RUNS RANKS [OUT.jsonl]
#   e.g. deploy/bench/zero-stages.sh wide-mlp 6400 3 2
# Each run: spark-zero train deploy/conf/MODEL.yaml on local[RANKS], 1 epoch of LIMIT images,
# no evaluation; stages alternate within a round so all stages see the same machine state.
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y dataset-fashion-mnist
set -euo pipefail
model=${1:?model}; limit=${2:?limit}; runs=${3:?runs}; ranks=${4:?ranks}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${5:-${TMPDIR:-/tmp}/spark-zero-stages-$model-$ranks.jsonl}
: > "$out"
for i in $(seq 1 "$runs"); do
  for stage in 0 1 2 3; do
    line=$("$root/deploy/bench/one-epoch.sh" "$root" "$root/deploy/conf/$model.yaml" "$stage" \
        "$ranks" "$limit")
    echo "{\"stage\": $stage, \"ranks\": $ranks, \"run\": $i, \"result\": $line}" | tee -a "$out"
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs = sorted({r["run"] for r in rows})
def get(stage, run):
    return next(r["result"] for r in rows if r["stage"] == stage and r["run"] == run)
summary = []
for stage in range(4):
    loop = [get(stage, run)["epochs"][0]["step_loop_samples_per_s"] for run in runs]
    ratio = [get(0, run)["epochs"][0]["step_loop_samples_per_s"] / get(stage, run)["epochs"][0]["step_loop_samples_per_s"] for run in runs]
    r = get(stage, runs[-1])
    measured, predicted = r["rank0_state_bytes"], r["predicted_state_bytes"]
    persist = lambda b: b["params"] + b["grads"] + b["optimizer"]
    summary.append({"stage": stage, "samples_per_s": [statistics.median(loop), loop],
                    "step_time_vs_stage0": [round(statistics.median(ratio), 3), [round(x, 3) for x in ratio]],
                    "persistent_bytes_measured": persist(measured), "persistent_bytes_predicted": persist(predicted),
                    "measured_over_predicted": round(persist(measured) / persist(predicted), 4),
                    "buffer_bytes_measured_peak": measured["buffers"], "buffer_bytes_predicted": predicted["buffers"],
                    "rank0_ms": r["epochs"][0]["rank0_ms"]})
for s in summary:
    print(json.dumps(s))
PY
