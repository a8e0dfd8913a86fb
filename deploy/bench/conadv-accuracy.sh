#!/usr/bin/env bash
# Issue 20's accuracy: large-batch training with and without adversarial steps, on Fashion-MNIST.
# For each seed, and each mode in turn (alternating, so a slow patch of the host hits both):
#   large-batch.sh's lamb8192 recipe (LAMB, global batch 8192 = 2 ranks x 256 x 16, sqrt scaling
#   of base rate LAMB_LR (0.01), WARMUP (1) epoch of warm-up, linear decay) with adv.mode MODE and
#   train.seed SEED; then, with ROBUST_STEPS > 0 (10), the last checkpoint's test accuracy under
#   an untargeted PGD-ROBUST_STEPS attack (eval.robust-epsilon 8/255) through spark-zero eval.
# Ends with a table: clean and robust test accuracy per mode, mean ± sd over the seeds.
# Usage: deploy/bench/conadv-accuracy.sh MODEL EPOCHS OUTDIR [SEED...]   (default seeds 1 2 3)
#   MODES (default "none conadv"); RUN (default lamb8192) is another large-batch.sh run (adam256:
#   Adam at batch 256); EXTRA adds options to every run and NICE lowers their priority, as in
#   large-batch.sh.
# A finished run (OUTDIR/MODE-sSEED/RUN.json) is not run again; nor is its robust evaluation.
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y dataset-fashion-mnist
set -euo pipefail
model=${1:?model}; epochs=${2:?epochs}; out=${3:?outdir}; shift 3
seeds=("$@"); [ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
here="$(cd "$(dirname "$0")/../.." && pwd)"
robust_steps=${ROBUST_STEPS:-10}
run=${RUN:-lamb8192}
mkdir -p "$out"
for seed in "${seeds[@]}"; do
  for mode in ${MODES:-none conadv}; do
    dir="$out/$mode-s$seed"
    LAMB_LR=${LAMB_LR:-0.01} WARMUP=${WARMUP:-1} \
      EXTRA="lr.decay-power=1 adv.mode=$mode train.seed=$seed ${EXTRA:-}" \
      "$here/deploy/bench/large-batch.sh" "$model" "$epochs" "$dir" "$run" | grep -v '^{' || true
    if [ "$robust_steps" -gt 0 ] && [ ! -s "$dir/robust.txt" ]; then
      nice -n "${NICE:-0}" "$here/deploy/bin/spark-zero" eval --checkpoint "file://$dir/$run/ckpt" \
          "$here/deploy/conf/fmnist-cnn.yaml" --set eval.robust-steps="$robust_steps" \
          --set spark-conf.spark.ui.enabled=false 2>/dev/null \
        | grep 'robust accuracy' > "$dir/robust.txt"
    fi
    sed "s/^/$mode seed $seed: /" "$dir/robust.txt" 2>/dev/null || true
  done
done
/usr/bin/python3 - "$out" "$run" ${MODES:-none conadv} <<'PY'
import json, os, re, statistics, sys
out, run, modes = sys.argv[1], sys.argv[2], sys.argv[3:]
def spread(xs):
    if not xs:
        return "-"
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{100 * statistics.mean(xs):.2f} ± {100 * sd:.2f} (n={len(xs)})"
print("| mode | clean test accuracy % | robust test accuracy % | per seed (clean / robust) |")
print("|---|---|---|---|")
for mode in modes:
    clean, robust, rows = [], [], []
    for name in sorted(os.listdir(out)):
        if not name.startswith(mode + "-s"):
            continue
        summary = os.path.join(out, name, run + ".json")
        if not os.path.exists(summary) or not os.path.getsize(summary):
            continue
        c = json.load(open(summary)).get("test_accuracy")
        r = None
        path = os.path.join(out, name, "robust.txt")
        if os.path.exists(path):
            m = re.search(r"robust accuracy ([0-9.]+)", open(path).read())
            r = float(m.group(1)) if m else None
        if c is not None:
            clean.append(c)
        if r is not None:
            robust.append(r)
        rows.append(f"{name[len(mode) + 1:]}: {c} / {r}")
    print(f"| {mode} | {spread(clean)} | {spread(robust)} | {'; '.join(rows)} |")
PY
