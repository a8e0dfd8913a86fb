#!/usr/bin/env bash
# fmnist-cnn's training pass (forward + backward, no optimizer) layer by layer, DL4J against
# PyTorch, both on one core: LayerProfile (DL4J, timed between LayerwisePass hooks, and DL4J's
# full pass), then torch_layer_profile.py (the same network, module by module), each pinned to
# CPU $CORE with taskset and OMP_NUM_THREADS=1. Prints each side's JSON line, then a markdown
# table of the per-layer medians.
# Usage: deploy/bench/layer-profile.sh [BATCH] [PASSES]   e.g. deploy/bench/layer-profile.sh 128 20
# HELPERS=builtin runs DL4J without the oneDNN layer helpers (default: as the engine decides;
# also all, or a comma list of conv, pool, bn); WARMUP=5 untimed passes first; CORE=0.
# Needs: taskset (util-linux), a JDK 17, Maven with the project's dependencies in ~/.m2 (built
# offline), apt-get install -y python3-torch.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
batch=${1:-128}; passes=${2:-20}
helpers=${HELPERS:-default}; warmup=${WARMUP:-5}; core=${CORE:-0}
if ! command -v taskset >/dev/null; then
  echo "layer-profile: taskset not found, needed to pin both profiles to CPU $core;" \
    "install util-linux (apt-get install -y util-linux)" >&2
  exit 1
fi
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "layer-profile: /usr/bin/python3 cannot import torch; apt-get install -y python3-torch" >&2
  exit 1
fi
cp_file="$root/bench/target/bench.classpath"
if [ ! -f "$cp_file" ] || [ -n "$(find "$root/bench/src/main" "$root/worker/src/main" \
    -newer "$cp_file" -print -quit)" ]; then
  (cd "$root" && mvn -B -ntp -o -q -pl bench -am -DskipTests package dependency:build-classpath \
    -DincludeScope=runtime -Dmdep.outputFile=target/bench.classpath) >&2
  touch "$cp_file"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME CMD...: prints CMD's last JSON line; if it failed or printed none, its output and exit 1.
run() {
  local name=$1; shift
  local status=0
  "$@" >"$work/$name.out" 2>"$work/$name.log" || status=$?
  grep '^{' "$work/$name.out" | tail -1 >"$work/$name.json" || true
  if [ "$status" -ne 0 ] || [ ! -s "$work/$name.json" ]; then
    echo "layer-profile: the $name profile exited with status $status and no JSON line:" >&2
    tail -20 "$work/$name.out" "$work/$name.log" >&2
    exit 1
  fi
  cat "$work/$name.json"
}

run dl4j env OMP_NUM_THREADS=1 taskset -c "$core" \
  java -Xmx4g --add-modules=jdk.incubator.vector \
  -cp "$root/bench/target/classes:$(cat "$cp_file")" io.sparkzero.bench.model.LayerProfile \
  "$batch" "$passes" "$helpers" --warmup "$warmup" --threads 1
run pytorch env OMP_NUM_THREADS=1 taskset -c "$core" \
  /usr/bin/python3 "$root/deploy/bench/torch_layer_profile.py" \
  --batch "$batch" --passes "$passes" --warmup "$warmup" --threads 1

/usr/bin/python3 - "$work/dl4j.json" "$work/pytorch.json" "$core" <<'PY'
import json, sys
dl4j, torch = (json.load(open(path)) for path in sys.argv[1:3])
core = sys.argv[3]
d_rows = {r["layer"]: r for r in dl4j["layers"]}
t_rows = {r["layer"]: r for r in torch["layers"]}
names = list(d_rows) + [n for n in t_rows if n not in d_rows]

def ms(value):
    return "-" if value is None else f"{value:.2f}"

def ratio(d, t):
    return "-" if d is None or t is None or t == 0 else f"{d / t:.2f}x"

def row(label, df, db, tf, tb):
    d = None if df is None else df + db
    t = None if tf is None else tf + tb
    print(f"| {label} | {ms(df)} | {ms(db)} | {ms(tf)} | {ms(tb)} | {ratio(d, t)} |")

print()
print(f"{dl4j['model']}, batch {dl4j['batch']}, one core (CPU {core}), medians of "
      f"{dl4j['passes']} passes after {dl4j['warmup_passes']} warm-up; DL4J helpers "
      f"{dl4j['helpers']} ({dl4j['helper_layers']} layers with a oneDNN helper), "
      f"PyTorch {torch['torch']}")
print()
print("| layer | DL4J forward ms | DL4J backward ms | PyTorch forward ms | PyTorch backward ms "
      "| DL4J/PyTorch (forward+backward) |")
print("|---|---:|---:|---:|---:|---:|")
totals = [0.0, 0.0, 0.0, 0.0]
for name in names:
    d, t = d_rows.get(name), t_rows.get(name)
    values = [d and d["forward_ms"], d and d["backward_ms"],
              t and t["forward_ms"], t and t["backward_ms"]]
    row(name, *values)
    totals = [a + (b or 0.0) for a, b in zip(totals, values)]
row("**total**", *totals)
print()
for what, key in (("whole layer-by-layer pass", "layerwise_pass_ms"),
                  ("full pass (DL4J computeGradient; PyTorch loss.backward())", "full_pass_ms")):
    print(f"{what}: DL4J {ms(dl4j[key])} ms, PyTorch {ms(torch[key])} ms, "
          f"DL4J/PyTorch {ratio(dl4j[key], torch[key])}")
print("DL4J's output layer runs its forward inside its backward; pool rows hold the flattening "
      "before the dense layer.")
PY
