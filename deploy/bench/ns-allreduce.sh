#!/usr/bin/env bash
# Issue 16: all-reduce bus bandwidth between two simulated hosts (network namespaces joined by a
# veth bridge, each with its own /dev/shm), spark-zero's UDP ring against gloo's TCP, alternating
# ROUNDS (3) times in one sitting. One rank per host, so every hop crosses the bridge.
# Usage (root): deploy/bench/ns-allreduce.sh OUT.jsonl [MB...]   (default sizes 4 80)
# Needs: mvn -B -ntp -DskipTests package; apt-get install -y iproute2 python3-torch
set -euo pipefail
out=${1:?out.jsonl}; shift; sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(4 80)
here="$(cd "$(dirname "$0")/../.." && pwd)"
. "$here/deploy/bench/simhosts.sh"
sim_up 2
opens=$(sed -n 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' "$here/pom.xml")
: > "$out"
for round in $(seq "${ROUNDS:-3}"); do
  rdv=$(mktemp -d); token=$(printf '%x' $((RANDOM * 32768 + RANDOM)))
  for h in 0 1; do
    on_host $h java -Xmx2g $opens -Djava.net.preferIPv4Stack=true -cp "$here/deploy/target/lib/*" \
      io.sparkzero.bench.collective.AllReduceBenchmark --procs 2 --rank $h --rendezvous-dir "$rdv" \
      --aeron-dir /dev/shm/spark-zero-bench/aeron --token "$token" --transports udp \
      --set collective.bind-host=$(sim_ip $h) ${SETS:-} --sizes-mb "${sizes[@]}" &
  done > >(grep '^{' | sed "s/^{/{\"round\": $round, \"between\": \"namespaces\", /" >> "$out")
  wait; rm -rf "$rdv"
  for h in 0 1; do
    GLOO_SOCKET_IFNAME=eth0 on_host $h /usr/bin/python3 "$here/deploy/bench/gloo_rank.py" $h 2 "$(sim_ip 0)" 29511 "${sizes[@]}" &
  done > >(grep '^{' | sed "s/^{/{\"round\": $round, \"between\": \"namespaces\", /" >> "$out")
  wait
done
sleep 1
cat "$out"
