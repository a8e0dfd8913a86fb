#!/usr/bin/env bash
# Training throughput of spark-zero against its two peers, run alternately in one sitting.
# Usage: deploy/bench/throughput.sh MODEL(fmnist-cnn|wide-mlp) LIMIT_IMAGES RUNS [OUT.jsonl]
# Each run: spark-zero (2 ranks, 128 per rank, Adam, 1 epoch), DL4J's Spark training
# (shared/peers/dl4j-spark/run.sh MODEL 2 1 1 LIMIT), PyTorch DDP (2 procs x 1 thread, 128 per proc).
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y dataset-fashion-mnist python3-torch libopenblas0-pthread
set -euo pipefail
model=${1:?model}; limit=${2:?limit}; runs=${3:?runs}
root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="${SPARK_ZERO_SHARED:-$root/../shared}"
out=${4:-${TMPDIR:-/tmp}/spark-zero-throughput-$model.jsonl}
: > "$out"
for i in $(seq 1 "$runs"); do
  line=$("$root/deploy/bin/spark-zero" train "$root/deploy/conf/$model.yaml" \
      --set data.limit="$limit" --set data.test= --set train.epochs=1 \
      --set spark-conf.spark.ui.enabled=false 2>/dev/null | sed -n 's/^spark-zero: summary //p')
  echo "{\"system\": \"spark-zero\", \"run\": $i, \"result\": $line}" | tee -a "$out"
  line=$("$shared/peers/dl4j-spark/run.sh" "$model" 2 1 1 "$limit" 2>/dev/null | grep '^{' | tail -1)
  echo "{\"system\": \"dl4j-spark\", \"run\": $i, \"result\": $line}" | tee -a "$out"
  line=$(/usr/bin/python3 "$shared/peers/torch_fmnist.py" --model "$model" --procs 2 --threads 1 \
      --limit "$limit" 2>/dev/null | grep '^{' | tail -1)
  echo "{\"system\": \"pytorch-ddp\", \"run\": $i, \"result\": $line}" | tee -a "$out"
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(system, key):
    vals = [key(r["result"]) for r in rows if r["system"] == system]
    return statistics.median(vals), vals
ours_loop, a = med("spark-zero", lambda r: r["epochs"][0]["step_loop_samples_per_s"])
ours_stage, b = med("spark-zero", lambda r: r["epochs"][0]["stage_samples_per_s"])
dl4j, c = med("dl4j-spark", lambda r: r["train_samples_per_s"])
torch, d = med("pytorch-ddp", lambda r: r["train_samples_per_s"])
print(json.dumps({"spark_zero_step_loop": [ours_loop, a], "spark_zero_stage": [ours_stage, b],
                  "dl4j_spark": [dl4j, c], "pytorch_ddp": [torch, d],
                  "ratio_stage_vs_dl4j": round(ours_stage / dl4j, 2),
                  "ratio_loop_vs_torch": round(ours_loop / torch, 2)}))
PY
