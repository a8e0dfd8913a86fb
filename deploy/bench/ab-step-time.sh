#!/usr/bin/env bash
# Step time of two builds of spark-zero side by side, for a change that must not cost speed:
# each round runs every stage once on build A, then once on build B (alternating, one sitting),
# and the summary gives each build's median step-loop samples/s per stage and the median of the
# per-round ratios B/A.
# Usage: deploy/bench/ab-step-time.sh ROOT_A ROOT_B MODEL LIMIT_IMAGES RUNS RANKS "STAGES" [OUT.jsonl]
#   e.g. deploy/bench/ab-step-time.sh /tmp/before . wide-mlp 6400 3 2 "0 1"
# ROOT_A and ROOT_B are checkouts built with mvn -B -ntp -DskipTests package (a worktree of the
# older commit serves as A). Needs apt-get install -y dataset-fashion-mnist.
# B_SETS="--set key=value ..." adds options to build B's runs only (e.g. to price a feature that
# is off by default), A_SETS to build A's (to price one that is on: the same build twice, the
# feature off in A).
set -euo pipefail
a=$(cd "${1:?root A}" && pwd); b=$(cd "${2:?root B}" && pwd)
model=${3:?model}; limit=${4:?limit}; runs=${5:?runs}; ranks=${6:?ranks}; stages=${7:?stages}
out=${8:-${TMPDIR:-/tmp}/spark-zero-ab-$model-$ranks.jsonl}
: > "$out"
for i in $(seq 1 "$runs"); do
  for stage in $stages; do
    for build in A B; do
      root=$a; read -r -a extra <<< "${A_SETS:-}"
      [ "$build" = B ] && root=$b && read -r -a extra <<< "${B_SETS:-}"
      line=$("$b/deploy/bench/one-epoch.sh" "$root" "$b/deploy/conf/$model.yaml" "$stage" \
          "$ranks" "$limit" "${extra[@]}")
      echo "{\"build\": \"$build\", \"stage\": $stage, \"ranks\": $ranks, \"run\": $i, \"result\": $line}" | tee -a "$out"
    done
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rate = lambda r: r["result"]["epochs"][0]["step_loop_samples_per_s"]
for stage in sorted({r["stage"] for r in rows}):
    runs = sorted({r["run"] for r in rows if r["stage"] == stage})
    get = lambda build, run: next(rate(r) for r in rows
                                  if r["stage"] == stage and r["run"] == run and r["build"] == build)
    a = [get("A", run) for run in runs]
    b = [get("B", run) for run in runs]
    ratios = [round(y / x, 3) for x, y in zip(a, b)]
    ms = lambda build, key: [next(r["result"]["epochs"][0]["rank0_ms"].get(key, 0) for r in rows
                                  if r["stage"] == stage and r["run"] == run and r["build"] == build)
                             for run in runs]
    per_step = lambda build: [next(r["result"]["epochs"][0].get("rank0_comm_bytes_per_step", 0)
                                   for r in rows if r["stage"] == stage and r["run"] == run
                                   and r["build"] == build) for run in runs]
    print(json.dumps({"stage": stage, "A_samples_per_s": [statistics.median(a), a],
                      "B_samples_per_s": [statistics.median(b), b],
                      "B_over_A": [statistics.median(ratios), ratios],
                      "A_comm_ms": ms("A", "comm"), "B_comm_ms": ms("B", "comm"),
                      "A_comm_hidden_ms": ms("A", "comm_hidden"),
                      "B_comm_hidden_ms": ms("B", "comm_hidden"),
                      "A_comm_bytes_per_step": per_step("A"), "B_comm_bytes_per_step": per_step("B")}))
PY
