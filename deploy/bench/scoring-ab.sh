#!/usr/bin/env bash
# Scoring time of two builds side by side: `spark-zero prune` by ssp on a layer of ENCODER, all of
# Fashion-MNIST on local[2], alternating build A then build B, RUNS rounds; then one epoch of
# fmnist-cnn on all data with build B, the unit the issue compares scoring against. Prints each
# run's per-phase seconds (summary.json's scoring_seconds) and wall seconds, then the medians.
# Usage: deploy/bench/scoring-ab.sh ROOT_A ROOT_B ENCODER.zip [LAYER=pool2] [RUNS=3] [PROJECTION=128]
# ROOT_A and ROOT_B are checkouts built with mvn -B -ntp -DskipTests package.
set -euo pipefail
a=$(cd "${1:?root A}" && pwd); b=$(cd "${2:?root B}" && pwd); encoder=${3:?encoder model file}
layer=${4:-pool2}; runs=${5:-3}; projection=${6:-128}
out=$(mktemp -d)
for i in $(seq 1 "$runs"); do
  for build in A B; do
    root=$a; [ "$build" = B ] && root=$b
    dir="$out/$build-$i"
    t0=$(date +%s.%N)
    "$root/deploy/bin/spark-zero" prune "$b/deploy/conf/fmnist-cnn.yaml" --set pruning.metric=ssp \
        --set pruning.also-score= --set pruning.projection-dims="$projection" \
        --set pruning.embedding="model:file://$encoder#$layer" \
        --set pruning.output="file://$dir" >/dev/null 2>&1
    wall=$(echo "$(date +%s.%N) - $t0" | bc)
    /usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(json.dumps({"build": sys.argv[2], "run": int(sys.argv[3]), "wall_s": round(float(sys.argv[4]), 1), "scoring_seconds": s["scoring_seconds"]}))' \
        "$dir/summary.json" "$build" "$i" "$wall" | tee -a "$out/runs.jsonl"
  done
done
echo "== one epoch of fmnist-cnn, all data, build B"
"$b/deploy/bin/spark-zero" train "$b/deploy/conf/fmnist-cnn.yaml" --set data.test= 2>/dev/null \
    | grep -E "^spark-zero: epoch 1"
/usr/bin/python3 - "$out/runs.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for build in ("A", "B"):
    rs = [r for r in rows if r["build"] == build]
    phases = {k for r in rs for k in r["scoring_seconds"]}
    print(json.dumps({"build": build, "wall_s": statistics.median(r["wall_s"] for r in rs),
                      **{k: statistics.median(r["scoring_seconds"].get(k, 0) for r in rs)
                         for k in sorted(phases)}}))
PY
rm -rf "$out"
