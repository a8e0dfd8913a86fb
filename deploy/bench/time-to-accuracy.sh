#!/usr/bin/env bash
# Wall time from launching the command to a test accuracy of TARGET on Fashion-MNIST: spark-zero's
# fmnist-cnn against the PyTorch DDP peer on the same recipe (2 ranks/processes, batch 128 each,
# Adam 0.001 constant, evaluation after every epoch, at most EPOCHS epochs), alternating, one
# round per seed. Each output line is timestamped as it arrives, so the figure includes start-up,
# warm-up, every epoch's overhead and convergence; a run stops once it reaches the target. Prints
# one JSON line per run, then the medians.
# Usage: deploy/bench/time-to-accuracy.sh ROOT EPOCHS TARGET SEED... [-- --set KEY=VALUE...]
#   e.g. deploy/bench/time-to-accuracy.sh . 6 0.9 1 2 3
# Needs dataset-fashion-mnist, python3-torch and the peers (SPARK_ZERO_PEERS, default ../shared/peers).
set -euo pipefail
root=$(cd "${1:?root}" && pwd); epochs=${2:?epochs}; target=${3:?target}; shift 3
seeds=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do seeds+=("$1"); shift; done
[ $# -gt 0 ] && shift
peers=${SPARK_ZERO_PEERS:-$root/../shared/peers}
out=${OUT:-${TMPDIR:-/tmp}/spark-zero-time-to-accuracy.jsonl}
: > "$out"

stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done; }

# The first line whose accuracy reaches the target: seconds since launch, epoch, accuracy.
first_at() { # LOG T0 KIND
  /usr/bin/python3 - "$1" "$2" "$3" "$target" <<'PY'
import json, re, sys
log, t0, kind, target = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4])
epoch, accs = 0, []
for line in open(log):
    ts, _, text = line.rstrip("\n").partition(" ")
    if kind == "spark-zero":
        m = re.search(r"test accuracy ([0-9.]+)", text)
        acc = float(m.group(1)) if m else None
    else:
        try:
            row = json.loads(text)
        except ValueError:
            continue
        acc = row.get("test_accuracy") if "epoch" in row else None
    if acc is None:
        continue
    epoch += 1
    accs.append(acc)
    if acc >= target:
        print(json.dumps({"seconds": round(float(ts) - t0, 1), "epoch": epoch, "accuracy": acc,
                          "accuracies": accs}))
        sys.exit()
print(json.dumps({"seconds": None, "epoch": None, "accuracy": max(accs or [0]),
                  "accuracies": accs}))
PY
}

# Runs KIND's command in its own process group, its output stamped into LOG, and stops it as soon
# as LOG shows the target reached (the epochs after that would not change the figure).
run_until() { # KIND LOG T0 CMD...
  local kind=$1 log=$2 t0=$3; shift 3
  export -f stamp
  setsid bash -c '"$@" 2>/dev/null | stamp' _ "$@" > "$log" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 2
    if [ "$(first_at "$log" "$t0" "$kind" | cut -c1-15)" != '{"seconds": nul' ]; then
      kill -TERM -- "-$pid" 2>/dev/null || true
      break
    fi
  done
  wait "$pid" 2>/dev/null || true
}

for seed in "${seeds[@]}"; do
  log=$(mktemp)
  t0=$(date +%s.%N)
  run_until spark-zero "$log" "$t0" "$root/deploy/bin/spark-zero" train \
      "$root/deploy/conf/fmnist-cnn.yaml" --set train.seed="$seed" --set train.epochs="$epochs" \
      --set eval.every-epoch=true --set spark-conf.spark.ui.enabled=false "$@"
  echo "{\"run\": \"spark-zero\", \"seed\": $seed, \"result\": $(first_at "$log" "$t0" spark-zero)}" | tee -a "$out"
  t0=$(date +%s.%N)
  run_until pytorch "$log" "$t0" /usr/bin/python3 "$peers/torch_fmnist.py" --model fmnist-cnn \
      --procs 2 --epochs "$epochs" --eval-every-epoch --seed "$seed"
  echo "{\"run\": \"pytorch\", \"seed\": $seed, \"result\": $(first_at "$log" "$t0" pytorch)}" | tee -a "$out"
  rm -f "$log"
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for run in ("spark-zero", "pytorch"):
    s = [r["result"]["seconds"] for r in rows if r["run"] == run]
    reached = [x for x in s if x is not None]
    print(json.dumps({"run": run, "seconds": s,
                      "median_s": statistics.median(reached) if len(reached) == len(s) else None}))
PY
