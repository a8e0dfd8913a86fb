#!/usr/bin/env bash
# Test accuracy of large-batch training against the batch-256 baseline, on Fashion-MNIST.
# Usage: deploy/bench/large-batch.sh MODEL EPOCHS OUTDIR [RUN...]
#   RUN: adam256 (Adam, global batch 256), lamb8192 (LAMB, warm-up, sqrt scaling, poly decay),
#        lars8192 (LARS, warm-up, linear scaling, poly decay), adam8192 (plain Adam, linear
#        scaling, no warm-up); default: all four, in that order. Another number after lamb, lars
#        or adam is another global batch (e.g. lamb2048), a multiple of 2 x MICRO.
# A global batch of 8192 is 2 ranks x MICRO (default 256) x accumulation. Base learning rates are the
# rates at batch 256: ADAM_LR (0.001), LAMB_LR (0.002), LARS_LR (0.4); warm-up WARMUP epochs (2).
# Each run checkpoints under OUTDIR/RUN/ckpt and resumes from there when started again; a run
# whose OUTDIR/RUN.json exists is skipped. NICE (default 0) lowers the jobs' CPU priority; EXTRA
# adds space-separated KEY=VALUE options to every run (e.g. EXTRA="lr.decay-power=1").
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y dataset-fashion-mnist
set -euo pipefail
model=${1:?model}; epochs=${2:?epochs}; out=${3:?outdir}; shift 3
runs=("$@"); [ ${#runs[@]} -gt 0 ] || runs=(adam256 lamb8192 lars8192 adam8192)
root="$(cd "$(dirname "$0")/../.." && pwd)"
micro=${MICRO:-256}; warmup=${WARMUP:-2}
mkdir -p "$out"
for run in "${runs[@]}"; do
  [ -s "$out/$run.json" ] && { echo "$run: done earlier ($out/$run.json)"; continue; }
  case "$run" in
    adam256) sets=(optimizer.name=adam optimizer.lr="${ADAM_LR:-0.001}" train.batch-size=128) ;;
    lamb[0-9]*) sets=(optimizer.name=lamb optimizer.lr="${LAMB_LR:-0.002}" lr.scale=sqrt
        lr.warmup-epochs="$warmup" lr.decay=poly train.batch-size="$micro"
        train.global-batch="${run#lamb}") ;;
    lars[0-9]*) sets=(optimizer.name=lars optimizer.lr="${LARS_LR:-0.4}" lr.scale=linear
        lr.warmup-epochs="$warmup" lr.decay=poly train.batch-size="$micro"
        train.global-batch="${run#lars}") ;;
    adam[0-9]*) sets=(optimizer.name=adam optimizer.lr="${ADAM_LR:-0.001}" lr.scale=linear
        train.batch-size="$micro" train.global-batch="${run#adam}") ;;
    *) echo "unknown run $run" >&2; exit 2 ;;
  esac
  args=()
  for s in "${sets[@]}" ${EXTRA:-}; do args+=(--set "$s"); done
  mkdir -p "$out/$run"
  nice -n "${NICE:-0}" "$root/deploy/bin/spark-zero" train "$root/deploy/conf/fmnist-cnn.yaml" \
      --set model="$model" --set train.epochs="$epochs" --set eval.every-epoch=true \
      --set lr.base-batch=256 --set checkpoint.path="file://$out/$run/ckpt" \
      --set checkpoint.every-steps=50 --set collective.timeout-ms=600000 \
      --set spark-conf.spark.ui.enabled=false "${args[@]}" >> "$out/$run/log.txt" 2>&1
  sed -n 's/^spark-zero: summary //p' "$out/$run/log.txt" | tail -1 > "$out/$run.json"
  grep 'test accuracy' "$out/$run/log.txt" | tail -1 | sed "s/^/$run: /"
done
/usr/bin/python3 - "$out" "${runs[@]}" <<'PY'
import json, os, re, sys
out, runs = sys.argv[1], sys.argv[2:]
for run in runs:
    path = os.path.join(out, run + ".json")
    if not os.path.exists(path) or not os.path.getsize(path):
        continue
    r = json.load(open(path))
    # per epoch from the log: a run resumed after a stop reports only its own epochs in the summary
    acc = {}
    for line in open(os.path.join(out, run, "log.txt")):
        m = re.match(r"spark-zero: epoch (\d+): test accuracy ([0-9.]+)", line)
        if m:
            acc[int(m.group(1))] = float(m.group(2))
    acc = [acc[k] for k in sorted(acc)]
    print(json.dumps({"run": run, "optimizer": r["optimizer"], "global_batch": r["global_batch"],
                      "peak_lr": r["peak_lr"], "warmup_steps": r["warmup_steps"],
                      "final_test_accuracy": r.get("test_accuracy"), "per_epoch": acc}))
PY
