#!/usr/bin/env bash
# What scoring costs against training: one epoch of fmnist-cnn on full Fashion-MNIST (local[2], no
# evaluation), alternated with the same job pruning to 70% by ssp on a layer of ENCODER,
# which prints its scoring time (embedding + k-means of all 60,000 images) before its epoch.
# Prints per run the epoch's stage time and, for the pruned run, the scoring time.
# PROJECTION is pruning.projection-dims (0: cluster the layer's own width).
# Usage: deploy/bench/pruning-cost.sh ENCODER.zip [LAYER=pool2] [REPEATS=2] [PROJECTION=0]
set -euo pipefail
encoder=${1:?encoder model file}; layer=${2:-pool2}; repeats=${3:-2}; projection=${4:-0}
here=$(cd "$(dirname "$0")/../.." && pwd)
bin="$here/deploy/bin/spark-zero"; job="$here/deploy/conf/fmnist-cnn.yaml"
for i in $(seq "$repeats"); do
  echo "== epoch, all data ($i)"
  "$bin" train "$job" --set data.test= 2>/dev/null | grep -E "^spark-zero: epoch 1"
  echo "== scoring, then an epoch on 70% ($i)"
  "$bin" train "$job" --set data.test= --set pruning.fraction=0.7 --set pruning.metric=ssp \
      --set pruning.also-score= --set pruning.projection-dims="$projection" --set pruning.embedding="model:file://$encoder#$layer" 2>/dev/null \
      | grep -E "^spark-zero: (epoch 1|pruning)"
done
