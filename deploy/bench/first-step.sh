#!/usr/bin/env bash
# Seconds from launching `spark-zero train` to the end of its first step, on all of Fashion-MNIST
# (60,000 images), MODEL, local[2], by the build in ROOT; the run is stopped after that step.
# Usage: deploy/bench/first-step.sh ROOT MODEL [--set KEY=VALUE]...
set -euo pipefail
root=${1:?root}; model=${2:?model}
shift 2
dir=$(mktemp -d)
start_ms=$(date +%s%3N)
"$root/deploy/bin/spark-zero" train \
    --set model="$model" --set train.world-size=2 --set spark.master="local[2]" \
    --set data.train=idx:/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \
    --set data.test= --set train.epochs=1 --set optimizer.name=adam --set optimizer.lr=0.001 \
    --set output.metrics="$dir/metrics.jsonl" \
    --set spark-conf.spark.ui.enabled=false "$@" >/dev/null 2>&1 &
pid=$!
until grep -q '"kind":"step"' "$dir/metrics.jsonl" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "the run ended before its first step" >&2; exit 1; }
  sleep 0.2
done
kill "$pid"; wait "$pid" 2>/dev/null || true
python3 - "$dir/metrics.jsonl" "$start_ms" <<'PY'
import json, sys
first = next(json.loads(l) for l in open(sys.argv[1]) if '"kind":"step"' in l)
print("%.2f" % ((first["time_ms"] - int(sys.argv[2])) / 1000))
PY
rm -rf "$dir"
