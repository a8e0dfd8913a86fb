#!/usr/bin/env bash
# The optimizer step alone (OptimizerStepBenchmark: RANKS threads, each stepping ELEMENTS
# parameters at once), with the scalar loops and with the vector loops, alternating JVMs in one
# sitting; prints each run's JSON line, then the medians and the median of the per-round ratios.
# Usage: deploy/bench/optimizer-step.sh [ROUNDS] [ELEMENTS] [RANKS] [OPTIMIZERS]
#   e.g. deploy/bench/optimizer-step.sh 5 10000000 2 "adam lamb lars sgd"
# BEFORE=DIR adds a third JVM per round whose worker classes come from an older checkout's
# worker/target/classes (built with mvn -o -DskipTests compile -pl sharding,checkpoint,worker),
# its "before" figures, and the ratios vector/before.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-5}; elements=${2:-10000000}; ranks=${3:-2}; optimizers=${4:-adam lamb lars sgd}
cp_file="$root/bench/target/bench.classpath"
if [ ! -f "$cp_file" ] || [ -n "$(find "$root/bench/src/main" "$root/worker/src/main" \
    -newer "$cp_file" -print -quit)" ]; then
  (cd "$root" && mvn -B -ntp -q -pl bench -am -DskipTests package dependency:build-classpath \
    -DincludeScope=runtime -Dmdep.outputFile=target/bench.classpath) >&2
  touch "$cp_file"
fi
out=$(mktemp)
for i in $(seq 1 "$rounds"); do
  for optimizer in $optimizers; do
    for loops in ${BEFORE:+before} scalar vector; do
      flag=on; [ "$loops" = scalar ] && flag=off
      classes="$root/bench/target/classes"
      [ "$loops" = before ] && classes="$BEFORE/worker/target/classes:$classes"
      line=$(java -Xmx6g --add-modules=jdk.incubator.vector -Dsparkzero.optimizer.vector=$flag \
        -cp "$classes:$(cat "$cp_file")" \
        io.sparkzero.bench.optim.OptimizerStepBenchmark --elements "$elements" --ranks "$ranks" \
        --optimizer "$optimizer" 2>/dev/null)
      echo "{\"loops\": \"$loops\", \"result\": $line}" | tee -a "$out"
    done
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for opt in dict.fromkeys(r["result"]["optimizer"] for r in rows):
    ms = {loops: [r["result"]["median_step_ms"] for r in rows
                  if r["result"]["optimizer"] == opt and r["loops"] == loops]
          for loops in ("before", "scalar", "vector")}
    out = {"optimizer": opt}
    for loops, values in ms.items():
        if values:
            out[loops + "_ms"] = [statistics.median(values), values]
    for base in ("scalar", "before"):
        if ms[base]:
            out["vector_over_" + base] = statistics.median(
                round(v / b, 3) for b, v in zip(ms[base], ms["vector"]))
    print(json.dumps(out))
PY
rm -f "$out"
