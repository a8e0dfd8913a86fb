#!/usr/bin/env bash
# The optimizer's vector loops against its scalar ones (-Dsparkzero.optimizer.vector=off), on one
# build, alternating in one sitting: each round runs every stage once with the scalar loops, then
# once with the vector loops. The summary gives, per stage and loop kind, the median of rank 0's
# optimizer milliseconds per step and of the step loop's samples/s, the optimizer's share of rank
# 0's step, and the median of the per-round ratios vector/scalar.
# Usage: deploy/bench/optimizer-vector.sh ROOT MODEL LIMIT_IMAGES RUNS RANKS "STAGES" [OUT.jsonl] [--set KEY=VALUE]...
#   e.g. deploy/bench/optimizer-vector.sh . wide-mlp 3200 3 2 "0 1"
# ROOT is a checkout built with mvn -B -ntp -DskipTests package. Needs dataset-fashion-mnist.
set -euo pipefail
root=$(cd "${1:?root}" && pwd)
model=${2:?model}; limit=${3:?limit}; runs=${4:?runs}; ranks=${5:?ranks}; stages=${6:?stages}
out=${7:-${TMPDIR:-/tmp}/spark-zero-optimizer-vector-$model-$ranks.jsonl}
shift 7 || shift $#
: > "$out"
for i in $(seq 1 "$runs"); do
  for stage in $stages; do
    for loops in scalar vector; do
      flag=on; [ "$loops" = scalar ] && flag=off
      line=$(SPARK_ZERO_JAVA_OPTS="-Xmx8g -Dsparkzero.optimizer.vector=$flag" \
          "$root/deploy/bench/one-epoch.sh" "$root" "$root/deploy/conf/$model.yaml" "$stage" \
          "$ranks" "$limit" "$@")
      echo "{\"loops\": \"$loops\", \"stage\": $stage, \"ranks\": $ranks, \"run\": $i, \"result\": $line}" | tee -a "$out"
    done
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def parts(r):
    e = r["result"]["epochs"][0]
    steps = r["result"]["steps_per_epoch"]
    ms = e["rank0_ms"]
    return e["step_loop_samples_per_s"], ms["optimizer"] / steps, ms["optimizer"] / sum(ms.values())
for stage in sorted({r["stage"] for r in rows}):
    out = {"stage": stage}
    by = {}
    for loops in ("scalar", "vector"):
        runs = sorted((r for r in rows if r["stage"] == stage and r["loops"] == loops),
                      key=lambda r: r["run"])
        by[loops] = [parts(r) for r in runs]
        rate, opt, share = zip(*by[loops])
        out[loops] = {"samples_per_s": [statistics.median(rate), list(rate)],
                      "optimizer_ms_per_step": [round(statistics.median(opt), 1),
                                                [round(x, 1) for x in opt]],
                      "optimizer_share": round(statistics.median(share), 3)}
    out["vector_over_scalar"] = {
        "optimizer_ms": statistics.median(round(v[1] / s[1], 3)
                                          for s, v in zip(by["scalar"], by["vector"])),
        "samples_per_s": statistics.median(round(v[0] / s[0], 3)
                                           for s, v in zip(by["scalar"], by["vector"]))}
    print(json.dumps(out))
PY
