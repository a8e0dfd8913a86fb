#!/bin/sh
# GPU discovery script for Spark's resource scheduling
# (spark.worker.resource.gpu.discoveryScript on standalone workers,
#  spark.executor.resource.gpu.discoveryScript on YARN and Kubernetes).
#
# Prints this host's GPUs as the CUDA device ordinals ND4J binds to, in the JSON Spark expects:
#   {"name": "gpu", "addresses": ["0", "1"]}
# When CUDA_VISIBLE_DEVICES restricts the GPUs (YARN's GPU isolation, a container runtime), CUDA
# renumbers the visible ones from 0, so the ordinals are 0 .. (visible count - 1).
set -eu

if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
  count=$(printf '%s' "$CUDA_VISIBLE_DEVICES" | tr ',' '\n' | grep -c .)
  indices=$(seq 0 $((count - 1)))
elif command -v nvidia-smi >/dev/null 2>&1; then
  indices=$(nvidia-smi --query-gpu=index --format=csv,noheader)
else
  echo "gpu-discovery.sh: nvidia-smi not found and CUDA_VISIBLE_DEVICES not set: no GPU can be" \
    "listed on $(hostname); install the NVIDIA driver or drop the spark.*.resource.gpu settings" >&2
  exit 1
fi

addresses=$(printf '%s\n' $indices | sed 's/.*/"&"/' | paste -sd, -)
printf '{"name": "gpu", "addresses": [%s]}\n' "$addresses"
