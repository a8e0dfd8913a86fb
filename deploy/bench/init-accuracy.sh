#!/usr/bin/env bash
# Test accuracy of fmnist-cnn after each epoch with the zoo's initialisation (DL4J Xavier weights,
# zero biases) against PyTorch's default (fmnist-cnn:torch-init), alternating, same seeds (so the
# same data order), all of Fashion-MNIST, local[2], Adam 0.001 constant: the recipe of the PyTorch
# peer's `--eval-every-epoch` runs (issue 21). Prints one line per run.
# Usage: deploy/bench/init-accuracy.sh ROOT EPOCHS SEED... [-- --set KEY=VALUE...]
set -euo pipefail
root=${1:?root}; epochs=${2:?epochs}; shift 2
seeds=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do seeds+=("$1"); shift; done
[ $# -gt 0 ] && shift
for seed in "${seeds[@]}"; do
  for model in fmnist-cnn fmnist-cnn:torch-init; do
    out=$("$root/deploy/bin/spark-zero" train "$root/deploy/conf/fmnist-cnn.yaml" \
        --set model=$model --set train.seed=$seed --set train.epochs=$epochs \
        --set eval.every-epoch=true --set spark-conf.spark.ui.enabled=false "$@" 2>/dev/null)
    acc=$(grep -o 'test accuracy [0-9.]*' <<<"$out" | cut -d' ' -f3 | paste -sd' ')
    echo "seed $seed $model: test accuracy by epoch $acc"
  done
done
