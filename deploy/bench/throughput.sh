#!/usr/bin/env bash
# Training throughput of spark-zero against its two peers, run alternately in one sitting.
# Usage: deploy/bench/throughput.sh MODEL(fmnist-cnn|wide-mlp) LIMIT_IMAGES RUNS [OUT.jsonl]
# Each run: spark-zero (2 ranks, 128 per rank, Adam, 1 epoch), DL4J's Spark training
# ($SPARK_ZERO_PEERS/dl4j-spark/run.sh MODEL 2 1 1 LIMIT), PyTorch DDP
# ($SPARK_ZERO_PEERS/torch_fmnist.py, 2 procs x 1 thread, 128 per proc).
# The peers are not part of this repository. SPARK_ZERO_PEERS names the folder that holds them
# (default: ../shared/peers beside the checkout, where that folder exists). A peer whose script
# is missing is skipped, with one line on stderr saying why; the rest still runs.
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y dataset-fashion-mnist python3-torch libopenblas0-pthread
set -euo pipefail
model=${1:?model}; limit=${2:?limit}; runs=${3:?runs}
root="$(cd "$(dirname "$0")/../.." && pwd)"
peers=${SPARK_ZERO_PEERS:-}
if [ -z "$peers" ] && [ -d "$root/../shared/peers" ]; then
  peers="$root/../shared/peers"
fi
dl4j_peer="$peers/dl4j-spark/run.sh"
torch_peer="$peers/torch_fmnist.py"
out=${4:-${TMPDIR:-/tmp}/spark-zero-throughput-$model.jsonl}

# Whether the peer named $1 can run from its script $2; if not, says which and why on stderr.
peer_present() {
  local why=""
  if [ -z "$peers" ]; then
    why="SPARK_ZERO_PEERS is not set; point it at the folder that holds the peers"
  elif [ ! -f "$2" ]; then
    why="$2 not found (peers folder: $peers; set SPARK_ZERO_PEERS to change it)"
  fi
  if [ -n "$why" ]; then
    echo "throughput.sh: skipping the $1 peer: $why" >&2
    return 1
  fi
}
run_dl4j=0; run_torch=0
if peer_present dl4j-spark "$dl4j_peer"; then run_dl4j=1; fi
if peer_present pytorch-ddp "$torch_peer"; then run_torch=1; fi

: > "$out"
for i in $(seq 1 "$runs"); do
  line=$("$root/deploy/bin/spark-zero" train "$root/deploy/conf/$model.yaml" \
      --set data.limit="$limit" --set data.test= --set train.epochs=1 \
      --set spark-conf.spark.ui.enabled=false 2>/dev/null | sed -n 's/^spark-zero: summary //p')
  echo "{\"system\": \"spark-zero\", \"run\": $i, \"result\": $line}" | tee -a "$out"
  if [ "$run_dl4j" = 1 ]; then
    line=$("$dl4j_peer" "$model" 2 1 1 "$limit" 2>/dev/null | grep '^{' | tail -1)
    echo "{\"system\": \"dl4j-spark\", \"run\": $i, \"result\": $line}" | tee -a "$out"
  fi
  if [ "$run_torch" = 1 ]; then
    line=$(/usr/bin/python3 "$torch_peer" --model "$model" --procs 2 --threads 1 \
        --limit "$limit" 2>/dev/null | grep '^{' | tail -1)
    echo "{\"system\": \"pytorch-ddp\", \"run\": $i, \"result\": $line}" | tee -a "$out"
  fi
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(system, key):
    vals = [key(r["result"]) for r in rows if r["system"] == system]
    return (statistics.median(vals) if vals else None), vals
def ratio(ours, peer):  # None when the peer was skipped
    return round(ours / peer, 2) if ours is not None and peer else None
ours_loop, a = med("spark-zero", lambda r: r["epochs"][0]["step_loop_samples_per_s"])
ours_stage, b = med("spark-zero", lambda r: r["epochs"][0]["stage_samples_per_s"])
dl4j, c = med("dl4j-spark", lambda r: r["train_samples_per_s"])
torch, d = med("pytorch-ddp", lambda r: r["train_samples_per_s"])
print(json.dumps({"spark_zero_step_loop": [ours_loop, a], "spark_zero_stage": [ours_stage, b],
                  "dl4j_spark": [dl4j, c], "pytorch_ddp": [torch, d],
                  "ratio_stage_vs_dl4j": ratio(ours_stage, dl4j),
                  "ratio_loop_vs_torch": ratio(ours_loop, torch)}))
PY
