#!/usr/bin/env bash
# The largest wide-mlp-shaped model (two hidden layers of width W: W^2 + 796W + 10 parameters)
# that trains with 2 ranks in 2 executor JVMs with a fixed heap, at one ZeRO stage: binary search
# over W, each trial a real run of 2 steps on local-cluster[2,1,HEAP_MB] (fails = the job fails,
# e.g. an executor out of memory). The memory planner's check is switched off
# (zero.rank-memory-bytes set huge) so the search finds what really fits; each trial also prints
# what the planner would have said.
# Usage: deploy/bench/zero-largest.sh STAGE LOW_WIDTH HIGH_WIDTH [HEAP_MB] [OUT.jsonl]
#   e.g. deploy/bench/zero-largest.sh 0 4096 24576 2048
# Needs: mvn -B -ntp -DskipTests package (deploy/target/lib, driver/target/spark-home)
set -euo pipefail
stage=${1:?stage}; lo=${2:?low width}; hi=${3:?high width}; heap=${4:-2048}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${5:-${TMPDIR:-/tmp}/spark-zero-largest-stage$stage.jsonl}
export SPARK_HOME="$root/driver/target/spark-home" SPARK_SCALA_VERSION=2.13
[ -f "$SPARK_HOME/RELEASE" ] || touch "$SPARK_HOME/RELEASE"
trial() {  # prints the summary line, or nothing when the job failed
  local width=$1
  timeout 900 "$root/deploy/bin/spark-zero" train \
      --set model="wide-mlp:$width" --set zero.stage="$stage" --set train.world-size=2 \
      --set "spark.master=local-cluster[2,1,$heap]" \
      --set data.train="synthetic:n=8,features=784,classes=10,seed=1" --set data.test= \
      --set train.batch-size=2 --set train.epochs=1 --set zero.rank-memory-bytes=1099511627776 \
      --set collective.timeout-ms=120000 \
      --set spark-conf.spark.executor.memory="${heap}m" \
      --set spark-conf.spark.executor.extraClassPath="$root/driver/target/classes" \
      --set spark-conf.spark.executorEnv.OMP_NUM_THREADS=1 \
      --set spark-conf.spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1 \
      --set spark-conf.spark.task.maxFailures=1 \
      --set spark-conf.spark.ui.enabled=false 2>/dev/null | sed -n 's/^spark-zero: summary //p' || true
}
: > "$out"
while [ $((hi - lo)) -gt 256 ]; do
  mid=$(( (lo + hi) / 2 / 64 * 64 ))
  line=$(trial "$mid")
  params=$(( mid * mid + 796 * mid + 10 ))
  plan=$("$root/deploy/bin/spark-zero" plan --params "$params" --ranks 2 --largest-layer $(( mid * mid + mid )) \
      --stage "$stage" --budget "$(( heap * 2 ))m" 2>/dev/null | tail -1 || true)
  if [ -n "$line" ]; then ok=true; lo=$mid; else ok=false; hi=$mid; fi
  echo "{\"stage\": $stage, \"width\": $mid, \"params\": $params, \"trained\": $ok, \"planner\": $(printf '%s' "$plan" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'), \"result\": ${line:-null}}" | tee -a "$out"
done
echo "{\"stage\": $stage, \"largest_trained_width\": $lo, \"params\": $(( lo * lo + 796 * lo + 10 )), \"heap_mb\": $heap}" | tee -a "$out"
