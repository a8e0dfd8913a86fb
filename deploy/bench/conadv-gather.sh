#!/usr/bin/env bash
# Issue 20, stage 3: what the attacker's own all-gather of the weights costs the step.
# fmnist-cnn on EXAMPLES Fashion-MNIST images (one epoch, no evaluation), batch 128 per rank,
# 2 ranks on local[2], adv.mode conadv (tau 1, PGD-1), alternated REPEATS times:
#   stage2  the attacker's weights are copied from the rank's replica
#   stage3  they are all-gathered from the ranks' shards before each step (a gather of its own)
# and the same two stages with adv.mode none. Prints, per run, milliseconds per step and the
# training thread's adversarial milliseconds per step (the summary's rank0_ms.adversarial: the
# weight snapshot, and waiting for the attacker), then medians. Sharing the step's own layer
# gathers instead would save at most the stage-3 minus stage-2 difference of the adversarial part.
# Usage: deploy/bench/conadv-gather.sh [EXAMPLES=6400] [REPEATS=3]
set -euo pipefail
examples=${1:-6400}; repeats=${2:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
results=$(mktemp)
for i in $(seq "$repeats"); do
  for stage in 2 3; do
    for mode in conadv none; do
      "$here/deploy/bin/spark-zero" train "$here/deploy/conf/fmnist-cnn.yaml" --set data.test= \
          --set data.limit="$examples" --set zero.stage="$stage" --set adv.mode="$mode" \
          --set spark-conf.spark.ui.enabled=false 2>/dev/null \
        | sed -n 's/^spark-zero: summary //p' \
        | /usr/bin/python3 -c '
import json, sys
s = json.loads(sys.stdin.read())
e = s["epochs"][0]
steps = s["steps_per_epoch"]
ms = 1000 * s["global_batch"] / e["step_loop_samples_per_s"]
print(sys.argv[1], sys.argv[2], round(ms, 1), round(e["rank0_ms"]["adversarial"] / steps, 1))' \
          "stage$stage" "$mode" | tee -a "$results"
    done
  done
done
/usr/bin/python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    stage, mode, ms, adv = line.split()
    runs.setdefault((stage, mode), []).append((float(ms), float(adv)))
print("| stage | mode | ms per step | adversarial ms per step |")
print("|---|---|---|---|")
for (stage, mode), v in sorted(runs.items()):
    print(f"| {stage} | {mode} | {statistics.median(x[0] for x in v):.1f} | {statistics.median(x[1] for x in v):.1f} |")
PY
