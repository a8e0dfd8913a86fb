#!/usr/bin/env bash
# Issue 19's measurements: pretrain the self-supervised encoder, then the paper's comparison on full
# Fashion-MNIST and on a 5,000-example subset, each arm at 50/70/90% kept and 3 seeds, plus the
# full data; every run is fmnist-cnn on local[2] (deploy/conf/fmnist-cnn.yaml), FULL_EPOCHS epochs on
# the full data and SCARCE_EPOCHS on the subset (5,000 examples are 19 steps an epoch at batch 256).
# Results: OUT/encoder.zip, OUT/full/experiment.json, OUT/scarce/experiment.json, and each one's
# scores/report.html with the accuracy chart.
# An OUT/encoder.zip already there is reused (the figures in BENCHMARKS.md reuse the measured one).
# ARMS (default ssp:hard,ssp:easy,el2n:hard,random) and PARTS (default "scarce full") narrow it down.
# Usage: [ARMS=...] [PARTS=...] deploy/bench/pruning-comparison.sh OUT [FULL_EPOCHS=1] [SCARCE_EPOCHS=5]
#        [ENCODER_EPOCHS=3]
set -euo pipefail
out=${1:?output directory}; full_epochs=${2:-1}; scarce_epochs=${3:-5}; encoder_epochs=${4:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
bin="$here/deploy/bin/spark-zero"; job="$here/deploy/conf/fmnist-cnn.yaml"
mkdir -p "$out"
if [ ! -f "$out/encoder.zip" ]; then
  /usr/bin/time -f "encoder pretraining: %e s wall" "$bin" train "$job" --set model=fmnist-encoder \
      --set train.objective=reconstruct --set train.epochs="$encoder_epochs" \
      --set output.model="file://$out/encoder.zip" 2>&1 | grep -E "^spark-zero|wall" | tee "$out/encoder.log"
fi
arms=${ARMS:-ssp:hard,ssp:easy,el2n:hard,random}; parts=${PARTS:-scarce full}
embedding="model:file://$out/encoder.zip#pool2"  # the layer whose k-NN accuracy beats pixels (BENCHMARKS.md)
if [[ " $parts " == *" scarce "* ]]; then
  "$bin" compare-pruning "$job" --output "file://$out/scarce" --arms "$arms" --fractions 0.5,0.7,0.9 \
    --seeds 1,2,3 --set data.limit=5000 --set train.epochs="$scarce_epochs" --set pruning.embedding="$embedding" \
    2>&1 | grep "^spark-zero: comp" | tee "$out/scarce.log"
fi
if [[ " $parts " == *" full "* ]]; then
  "$bin" compare-pruning "$job" --output "file://$out/full" --arms "$arms" --fractions 0.5,0.7,0.9 \
    --seeds 1,2,3 --set train.epochs="$full_epochs" --set pruning.embedding="$embedding" \
    2>&1 | grep "^spark-zero: comp" | tee "$out/full.log"
fi
