#!/usr/bin/env bash
# Issue 20's step times: fmnist-cnn on EXAMPLES Fashion-MNIST images (one epoch, no evaluation),
# batch B = 128 per rank, for four runs alternated REPEATS times:
#   none    clean batch B
#   bound   one plain step over 2B clean examples (the lower bound of any adversarial step)
#   conadv  B clean + B adversarial made with weights one step old, on a second thread
#   disadv  B clean + B adversarial made with the current weights first
# (a) "shared": 2 ranks on local[2], each rank's attacker thread sharing the 2 cores;
# (b) "own core": 1 rank on local[1], its attacker thread on the second core.
# Prints each run's milliseconds per step (from the step loop's samples/s), then medians and ratios.
# EXAMPLES are the clean runs' examples (the bound reads twice as many, for as many steps).
# Usage: deploy/bench/conadv-steps.sh [EXAMPLES=6400] [REPEATS=3]
set -euo pipefail
examples=${1:-6400}; repeats=${2:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
bin="$here/deploy/bin/spark-zero"; job="$here/deploy/conf/fmnist-cnn.yaml"
results=$(mktemp)
run() { # layout ranks mode batch-per-rank extra...
  local layout=$1 ranks=$2 mode=$3 batch=$4; shift 4
  local line rate
  # Every run takes the same number of steps (the first steps' warm-up weighs the same): the
  # bound's 2B batches read twice the examples.
  local limit=$(( examples * batch / 128 ))
  line=$("$bin" train "$job" --set data.test= --set data.limit="$limit" --set train.world-size="$ranks" \
      --set spark.master="local[$ranks]" --set train.batch-size="$batch" "$@" 2>/dev/null | grep -E "^spark-zero: epoch 1:")
  rate=$(sed -E 's/.* ([0-9.]+) samples\/s in the step loop.*/\1/' <<<"$line")
  # samples/s counts clean examples; a step moves batch x ranks of them
  echo "$layout $mode $(python3 -c "print(round(1000 * $batch * $ranks / $rate, 1))")" | tee -a "$results"
}
for i in $(seq "$repeats"); do
  for layout in shared own; do
    ranks=2; [ "$layout" = own ] && ranks=1
    run "$layout" "$ranks" none 128
    run "$layout" "$ranks" bound 256
    run "$layout" "$ranks" conadv 128 --set adv.mode=conadv
    run "$layout" "$ranks" disadv 128 --set adv.mode=disadv
  done
done
python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    layout, mode, ms = line.split()
    runs.setdefault((layout, mode), []).append(float(ms))
for layout in ("shared", "own"):
    med = {m: statistics.median(runs[(layout, m)]) for m in ("none", "bound", "conadv", "disadv")}
    print(f"{layout}: median ms/step " + ", ".join(f"{m} {v}" for m, v in med.items())
          + f"; disadv/none {med['disadv'] / med['none']:.2f}, conadv/bound {med['conadv'] / med['bound']:.2f},"
          + f" conadv/disadv {med['conadv'] / med['disadv']:.2f}")
PY
rm -f "$results"
