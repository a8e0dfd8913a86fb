#!/usr/bin/env bash
# All-reduce bus bandwidth of spark-zero's Aeron collectives between processes of this host.
#
#   sharding/bin/allreduce-bench.sh                      # 2 processes, IPC and UDP, 4 MB and 80 MB, median of 9
#   sharding/bin/allreduce-bench.sh --procs 3 --sizes-mb 1 16 --reps 15 --transports ipc
#   sharding/bin/allreduce-bench.sh --set collective.bucket-bytes=4194304
#   sharding/bin/allreduce-bench.sh --memory native     # floats in direct buffers, not float[]
#   sharding/bin/allreduce-bench.sh --wire bf16         # 2-byte elements on the wire, fp32 sums
#
# Builds the bench module and the modules it measures (without tests) when the classes are missing
# or stale, then runs io.sparkzero.bench.collective.AllReduceBenchmark (bench module), which starts
# --procs copies of itself.
# Compare with the gloo peer, which is not part of this repository (BENCHMARKS.md, "Peers"):
#   /usr/bin/python3 $SPARK_ZERO_PEERS/gloo_allreduce.py --procs 2 --sizes-mb 4 80
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
bench="$root/bench"
cp_file="$bench/target/bench.classpath"
# Build when the classes are missing or older than a source file of the benchmark or the collectives.
if [ ! -f "$cp_file" ] || [ -n "$(find "$bench/src/main" "$here/src/main" "$bench/pom.xml" "$here/pom.xml" \
    -newer "$cp_file" -print -quit)" ]; then
  # Maven's output goes to stderr, so that stdout carries only the JSON lines. Each module of the
  # reactor writes its own classpath file under its target/; the bench module's is the one used.
  (cd "$root" && mvn -B -ntp -q -pl bench -am -DskipTests package dependency:build-classpath \
    -DincludeScope=runtime -Dmdep.outputFile=target/bench.classpath) >&2
  touch "$cp_file"
fi
exec java -Xmx1g -cp "$bench/target/classes:$(cat "$cp_file")" \
  io.sparkzero.bench.collective.AllReduceBenchmark "$@"
