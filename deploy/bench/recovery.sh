#!/usr/bin/env bash
# Time from an executor's death to training resumed: the job runs on local-cluster[RANKS,1,2048]
# with checkpoint.every-steps=EVERY; once its first checkpoint is committed, one executor JVM is
# killed with SIGKILL; the driver relaunches the epoch from the newest committed checkpoint on
# the replacement executor. Reported: seconds from the kill to the relaunched stage's first step
# (the ranks' wall clock, same host), and the part of it after the driver saw the stage fail.
# Median of RUNS runs; every job must end (the kill is mid-training).
# Usage: deploy/bench/recovery.sh MODEL LIMIT_IMAGES RUNS RANKS EVERY CKPT_DIR [OUT.jsonl]
#   e.g. deploy/bench/recovery.sh wide-mlp 6400 3 2 5 /var/tmp/sz-recovery
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y dataset-fashion-mnist
set -euo pipefail
model=${1:?model}; limit=${2:?limit}; runs=${3:?runs}; ranks=${4:?ranks}; every=${5:?every}
dir=${6:?checkpoint dir}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${7:-${TMPDIR:-/tmp}/spark-zero-recovery-$model.jsonl}
export SPARK_HOME="$root/driver/target/spark-home" SPARK_SCALA_VERSION=2.13
[ -f "$SPARK_HOME/RELEASE" ] || touch "$SPARK_HOME/RELEASE"
: > "$out"
trap 'rm -rf "$dir"/run-*' EXIT
for i in $(seq 1 "$runs"); do
  rm -rf "$dir/run-$i"; mkdir -p "$dir/run-$i"
  log=$(mktemp)
  "$root/deploy/bin/spark-zero" train "$root/deploy/conf/$model.yaml" \
      --set train.world-size="$ranks" --set "spark.master=local-cluster[$ranks,1,2048]" \
      --set data.limit="$limit" --set data.test= --set train.epochs=2 \
      --set checkpoint.path="file://$dir/run-$i" --set checkpoint.every-steps="$every" \
      --set collective.timeout-ms=20000 \
      --set spark-conf.spark.executor.memory=1536m \
      --set spark-conf.spark.executor.extraClassPath="$root/driver/target/classes" \
      --set spark-conf.spark.executorEnv.OMP_NUM_THREADS=1 \
      --set spark-conf.spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1 \
      --set spark-conf.spark.scheduler.barrier.maxConcurrentTasksCheck.interval=1s \
      --set spark-conf.spark.ui.enabled=false > "$log" 2>&1 &
  job=$!
  until ls "$dir/run-$i"/step-*/manifest.json > /dev/null 2>&1 || ! kill -0 "$job" 2>/dev/null; do
    sleep 0.05
  done
  victim=$(pgrep -f CoarseGrainedExecutorBackend | head -1 || true)
  killed_at=$(date +%s.%N)
  [ -n "$victim" ] && kill -9 "$victim"
  wait "$job" || true
  line=$(sed -n 's/^spark-zero: summary //p' "$log")
  restart=$(grep -m1 "restart 1 of" "$log" || true)
  echo "{\"run\": $i, \"killed_pid\": \"${victim}\", \"killed_at\": $killed_at, \"restart\": $(printf '%s' "$restart" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'), \"result\": ${line:-null}}" | tee -a "$out"
  rm -f "$log"
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ok = [r for r in rows if r["result"] and r["result"]["recoveries"]]
from_kill = [round(r["result"]["recoveries"][0]["resumed_at_ms"] / 1000 - r["killed_at"], 2)
             for r in ok]
after_failure = [r["result"]["recoveries"][0]["seconds_to_resume"] for r in ok]
median = lambda xs: statistics.median(xs) if xs else None
print(json.dumps({"summary": "recovery", "runs": len(rows), "recovered": len(ok),
                  "seconds_kill_to_resumed": [median(from_kill), from_kill],
                  "seconds_failure_seen_to_resumed": [median(after_failure), after_failure],
                  "final_loss": [r["result"]["epochs"][-1]["loss"] for r in ok]}))
PY
