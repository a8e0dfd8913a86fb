#!/usr/bin/env bash
# The cost of collective.authenticate (an HMAC-SHA256 tag on every message): all-reduce bus
# bandwidth with and without it, alternating ROUNDS (3) times in one sitting, 2 processes, IPC and
# UDP on loopback, 4 MB and 80 MB. Appends the benchmark's JSON lines, each with "authenticate"
# and "round" added, to OUT.jsonl and prints them.
# Usage: sharding/bin/mac-cost.sh OUT.jsonl
set -euo pipefail
out=${1:?out.jsonl}
here=$(cd "$(dirname "$0")" && pwd)
for round in $(seq "${ROUNDS:-3}"); do
  for authenticate in false true; do
    "$here/allreduce-bench.sh" --set "collective.authenticate=$authenticate" \
      | sed "s/^{/{\"round\": $round, \"authenticate\": $authenticate, /" | tee -a "$out"
  done
done
