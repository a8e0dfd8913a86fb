#!/usr/bin/env bash
# Issue 16: the step time of MultiHostIT's job (mlp, 16,384 synthetic examples, 4 ranks x batch
# 64, ZeRO stage 3, 2 epochs) on two simulated hosts x 2 ranks against one simulated host x 4
# ranks, each a Spark standalone cluster (master on the hub, one worker per host) submitted with
# spark-submit from the application jar, alternating ROUNDS (3) times. Prints epoch 2's
# samples/s in the step loop and over the whole stage; writes OUT.jsonl.
# Usage (root): deploy/bench/multi-host.sh OUT.jsonl
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y iproute2
set -euo pipefail
out=${1:?out.jsonl}
here="$(cd "$(dirname "$0")/../.." && pwd)"
. "$here/deploy/bench/simhosts.sh"
sim_up 2
dist="$here/deploy/target/spark-dist"; touch "$dist/RELEASE"
jar=$(ls "$here"/deploy/target/spark-zero-deploy-*-app.jar)
opens=$(sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' "$here/pom.xml")
work=$(mktemp -d)
cat > "$work/job.yaml" <<YAML
job: {name: multi-host-bench}
model: mlp
data:
  train: synthetic:n=16384,features=784,classes=10,seed=3
  test: synthetic:n=512,features=784,classes=10,seed=3,start=16384
train: {world-size: 4, batch-size: 64, epochs: 2, seed: 1, nd4j-threads: 1}
zero: {stage: 3}
optimizer: {name: adam, lr: 0.001}
collective: {ipc-term-bytes: 4194304, udp-term-bytes: 4194304}
YAML
spark() { # where (hub | host N), local ip, main class, args...
  local where=$1 ip=$2; shift 2
  local run=(on_hub); [ "$where" = hub ] || run=(on_host "$where")
  SPARK_HOME="$dist" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP="$ip" OMP_NUM_THREADS=1 \
    "${run[@]}" java -Xmx1g $opens -Djava.net.preferIPv4Stack=true -cp "$dist/jars/*" "$@"
}
run_layout() { # hosts, cores per worker
  local hosts=$1 cores=$2 pids=()
  spark hub "$SIM_NET.1" org.apache.spark.deploy.master.Master --host "$SIM_NET.1" --port 7077 \
    --webui-port 0 > "$work/master.log" 2>&1 & pids+=($!)
  sleep 5
  for h in $(seq 0 $((hosts - 1))); do
    spark $h "$(sim_ip $h)" org.apache.spark.deploy.worker.Worker --host "$(sim_ip $h)" \
      --cores "$cores" --memory 6g --webui-port 0 --work-dir "$work/w$h" \
      "spark://$SIM_NET.1:7077" > "$work/worker$h.log" 2>&1 & pids+=($!)
  done
  until [ "$(grep -c 'Registering worker' "$work/master.log")" -ge "$hosts" ]; do sleep 0.5; done
  spark hub "$SIM_NET.1" org.apache.spark.deploy.SparkSubmit --master "spark://$SIM_NET.1:7077" \
    --conf spark.driver.host="$SIM_NET.1" --conf spark.driver.bindAddress="$SIM_NET.1" \
    --conf spark.executor.cores=1 --conf spark.executor.memory=1g --conf spark.cores.max=4 \
    --conf spark.dynamicAllocation.enabled=false "$jar" train "$work/job.yaml" \
    2> "$work/driver.err" | grep -o 'epoch 2: loss [^,]*, [0-9.]* samples/s in the step loop ([0-9.]* over the stage)' \
    | sed -E "s/.*, ([0-9.]+) samples.*\(([0-9.]+) over.*/{\"layout\": \"${hosts} host(s) x $((4 / hosts)) ranks\", \"step_loop_samples_per_s\": \1, \"stage_samples_per_s\": \2}/"
  for p in "${pids[@]}"; do pkill -KILL -P "$p" 2>/dev/null || true; kill -9 "$p" 2>/dev/null || true; done
  pkill -9 -f "CoarseGrainedExecutorBackend.*$SIM_NET" 2>/dev/null || true
  wait 2>/dev/null || true; rm -rf "$work/master.log" "$work"/w*
}
: > "$out"
for round in $(seq "${ROUNDS:-3}"); do
  run_layout 2 2 | sed "s/^{/{\"round\": $round, /" | tee -a "$out"
  run_layout 1 4 | sed "s/^{/{\"round\": $round, /" | tee -a "$out"
done
rm -rf "$work"
