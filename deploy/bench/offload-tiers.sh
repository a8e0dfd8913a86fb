#!/usr/bin/env bash
# Step time with the optimizer state on the heap, in host memory and on disk (offload.optimizer
# none | host | nvme), at one ZeRO stage, tiers alternating within each round; and the rate at
# which rank 0's I/O thread read and wrote its tier during the optimizer steps.
# With PARAMS=1 (stage 3) the parameter shard goes to the same tier (offload.params).
# Usage: [PARAMS=1] deploy/bench/offload-tiers.sh MODEL LIMIT_IMAGES RUNS RANKS STAGE NVME_DIR [OUT.jsonl]
#   e.g. deploy/bench/offload-tiers.sh wide-mlp 6400 3 2 1 /var/tmp/spark-zero-nvme
# Each run: spark-zero train deploy/conf/MODEL.yaml on local[RANKS], one epoch, no evaluation.
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y dataset-fashion-mnist
set -euo pipefail
model=${1:?model}; limit=${2:?limit}; runs=${3:?runs}; ranks=${4:?ranks}; stage=${5:?stage}
nvme=${6:?nvme dir}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${7:-${TMPDIR:-/tmp}/spark-zero-offload-$model-$ranks.jsonl}
mkdir -p "$nvme"
: > "$out"
for i in $(seq 1 "$runs"); do
  for tier in none host nvme; do
    line=$("$root/deploy/bin/spark-zero" train "$root/deploy/conf/$model.yaml" \
        --set zero.stage="$stage" --set offload.optimizer="$tier" --set offload.nvme.path="$nvme" \
        --set offload.params="$([ "${PARAMS:-0}" = 1 ] && echo "$tier" || echo none)" \
        --set train.world-size="$ranks" --set spark.master="local[$ranks]" \
        --set data.limit="$limit" --set data.test= --set train.epochs=1 \
        --set spark-conf.spark.ui.enabled=false 2>/dev/null | sed -n 's/^spark-zero: summary //p')
    echo "{\"tier\": \"$tier\", \"params_offloaded\": ${PARAMS:-0}, \"stage\": $stage, \"ranks\": $ranks, \"run\": $i, \"result\": $line}" | tee -a "$out"
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs = sorted({r["run"] for r in rows})
def get(tier, run):
    return next(r["result"] for r in rows if r["tier"] == tier and r["run"] == run)
for tier in ("none", "host", "nvme"):
    sps = [get(tier, run)["epochs"][0]["step_loop_samples_per_s"] for run in runs]
    ratio = [get("none", run)["epochs"][0]["step_loop_samples_per_s"] / s for run, s in zip(runs, sps)]
    opt = [get(tier, run)["epochs"][0]["rank0_ms"]["optimizer"] for run in runs]
    last = get(tier, runs[-1])
    io = [get(tier, run)["rank0_offload"] for run in runs]
    print(json.dumps({"tier": tier, "samples_per_s": [statistics.median(sps), sps],
                      "step_time_vs_none": [round(statistics.median(ratio), 3), [round(x, 3) for x in ratio]],
                      "rank0_optimizer_ms": opt, "loss": last["epochs"][0]["loss"],
                      "rank0_tier_read_gb_per_s": statistics.median(x["read_gb_per_s"] for x in io),
                      "rank0_tier_write_gb_per_s": statistics.median(x["write_gb_per_s"] for x in io),
                      "rank0_optimizer_bytes_in_memory": last["rank0_state_bytes"]["optimizer"],
                      "predicted_optimizer_bytes": last["predicted_state_bytes"]["optimizer"],
                      "rank0_param_bytes_in_memory": last["rank0_state_bytes"]["params"],
                      "predicted_param_bytes": last["predicted_state_bytes"]["params"]}))
PY
