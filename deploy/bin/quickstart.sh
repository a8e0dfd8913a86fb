#!/usr/bin/env bash
# One command from a fresh checkout to a trained fmnist-cnn: installs Fashion-MNIST when it can,
# builds, trains on embedded Spark local[2] and prints the test accuracy.
# Extra arguments go to 'spark-zero train' (e.g. --set train.epochs=5).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data=/usr/share/datasets/fashion-mnist
extra=()
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "quickstart: installing Fashion-MNIST (Debian package dataset-fashion-mnist)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist) || true
  fi
fi
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  echo "quickstart: Fashion-MNIST is not installed and could not be installed here"
  echo "quickstart: (as root: apt-get install dataset-fashion-mnist); training on a generated data set instead"
  extra=(--set "data.train=synthetic:n=12000,features=784,classes=10,seed=1"
         --set "data.test=synthetic:n=2000,features=784,classes=10,seed=1,start=12000")
fi
(cd "$root" && mvn -B -ntp -q -DskipTests package)
exec "$root/deploy/bin/spark-zero" train "$root/deploy/conf/fmnist-cnn.yaml" "${extra[@]}" "$@"
