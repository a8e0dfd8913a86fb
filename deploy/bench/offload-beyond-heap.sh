#!/usr/bin/env bash
# A model whose per-rank optimizer state is larger than the executor's whole Java heap: the same
# job on 2 executor JVMs (local-cluster[2,1,HEAP_MB], -Xmx = HEAP_MB) at ZeRO stage 3, first with
# everything in memory (the planner refuses it; then, with the planner's check off, the run
# itself fails), then with the optimizer state and the parameter shard on disk
# (offload.optimizer/params: nvme), which trains.
# Prints each run's summary (or its failure), then the figures: state bytes per rank vs heap,
# steps completed, per-epoch loss.
# Usage: [LR=0.0005] deploy/bench/offload-beyond-heap.sh MODEL HEAP_MB NVME_DIR [EPOCHS] [OUT.jsonl]
#   e.g. deploy/bench/offload-beyond-heap.sh wide-mlp:8192x9 1024 /var/tmp/spark-zero-nvme
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y dataset-fashion-mnist
set -euo pipefail
model=${1:?model}; heap=${2:?heap MB}; nvme=${3:?nvme dir}; epochs=${4:-3}; lr=${LR:-0.0005}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${5:-${TMPDIR:-/tmp}/spark-zero-offload-beyond-heap.jsonl}
export SPARK_HOME="$root/driver/target/spark-home" SPARK_SCALA_VERSION=2.13
[ -f "$SPARK_HOME/RELEASE" ] || touch "$SPARK_HOME/RELEASE"
mkdir -p "$nvme"
: > "$out"
run() {  # $1: offload tier for both stores, $2: planner budget; prints the summary or the failure
  local tier=$1 budget=$2 log
  log=$(mktemp)
  timeout 1800 "$root/deploy/bin/spark-zero" train "$root/deploy/conf/wide-mlp.yaml" \
      --set model="$model" --set zero.stage=3 --set train.world-size=2 \
      --set "spark.master=local-cluster[2,1,$heap]" \
      --set data.limit=64 --set data.test= --set train.batch-size=8 --set train.epochs="$epochs" \
      --set optimizer.lr="$lr" \
      --set offload.optimizer="$tier" --set offload.params="$tier" --set offload.nvme.path="$nvme" \
      --set zero.rank-memory-bytes="$budget" --set collective.timeout-ms=300000 \
      --set spark-conf.spark.executor.memory="${heap}m" \
      --set spark-conf.spark.executor.extraClassPath="$root/driver/target/classes" \
      --set spark-conf.spark.executorEnv.OMP_NUM_THREADS=1 \
      --set spark-conf.spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1 \
      --set spark-conf.spark.task.maxFailures=1 \
      --set spark-conf.spark.ui.enabled=false > "$log" 2>&1 || true
  local line
  line=$(sed -n 's/^spark-zero: summary //p' "$log")
  if [ -n "$line" ]; then
    echo "{\"tier\": \"$tier\", \"budget\": $budget, \"heap_mb\": $heap, \"trained\": true, \"result\": $line}"
  else
    local why
    why=$(grep -m1 -oE "OutOfMemoryError[^\"]{0,120}|Cannot allocate[^\"]{0,120}|spark-zero: [^\"]{0,200}(error|failed)[^\"]{0,200}" "$log" || tail -1 "$log")
    echo "{\"tier\": \"$tier\", \"budget\": $budget, \"heap_mb\": $heap, \"trained\": false, \"error\": $(printf '%s' "$why" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')}"
  fi
  rm -f "$log"
}
# The planner's budget: the executor's whole process, 4x the heap (JavaCPP's default cap on
# native memory); 1 TiB switches the check off, so the in-memory run is tried, not refused.
process=$((4 * heap * 1024 * 1024)); off=1099511627776
run none "$process" | tee -a "$out"
run none "$off" | tee -a "$out"
run nvme "$process" | tee -a "$out"
echo "files left under $nvme: $(find "$nvme" -mindepth 1 | wc -l)"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
for r in (json.loads(l) for l in open(sys.argv[1]) if l.strip()):
    if not r["trained"]:
        print(json.dumps({"tier": r["tier"], "budget": r["budget"], "trained": False,
                          "error": r["error"][:300]}))
        continue
    s = r["result"]
    ranks = s["ranks"]
    width, layers = (int(x) for x in s["model"].split(":")[1].split("x"))
    params = 785 * width + (layers - 1) * (width * width + width) + 10 * width + 10
    shard = -(-params // ranks)
    steps = s["steps_per_epoch"] * len(s["epochs"])
    print(json.dumps({"tier": r["tier"], "trained": True, "model": s["model"],
                      "params": params, "adam_state_bytes_per_rank": 2 * 4 * shard,
                      "rank0_heap_max_bytes": s["rank0_process"]["heap_max_bytes"],
                      "rank0_peak_rss_bytes": s["rank0_process"]["peak_rss_bytes"],
                      "disk_bytes_per_rank": s["rank0_offload"]["disk_bytes_per_rank"],
                      "rank0_in_memory": s["rank0_state_bytes"],
                      "steps_completed": steps, "epoch_losses": [e["loss"] for e in s["epochs"]],
                      "samples_per_s": [e["step_loop_samples_per_s"] for e in s["epochs"]],
                      "rank0_tier_read_gb_per_s": s["rank0_offload"]["read_gb_per_s"],
                      "rank0_tier_write_gb_per_s": s["rank0_offload"]["write_gb_per_s"]}))
PY
