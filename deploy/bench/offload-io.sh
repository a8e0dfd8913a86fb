#!/usr/bin/env bash
# Disk bandwidth of the nvme offload tier's block pattern done three ways (FileChannel buffered,
# FileChannel O_DIRECT, mmap; io.sparkzero.bench.offload.OffloadIoBenchmark), next to raw
# direct-I/O dd on the same disk in the same sitting, each method's median as a ratio to dd's.
# Usage: deploy/bench/offload-io.sh DIR [FILE_BYTES] [BLOCK_BYTES] [RUNS] [OUT.jsonl]
#   e.g. deploy/bench/offload-io.sh /var/tmp/spark-zero-io          (2 GiB file, 8 MiB blocks, 5 runs)
# DIR must be on the local disk to measure (not tmpfs). Run as root on a quiet machine: the page
# cache is dropped before every timed pass (otherwise reads may come from memory, and the results
# say "cache_dropped": false). Each dd run: a write over the existing file (notrunc, as the
# benchmark overwrites its file), then a read, cache dropped before each. Files are deleted at exit.
# Needs: mvn -B -ntp -DskipTests package (bench/target/classes, deploy/target/lib)
set -euo pipefail
dir=${1:?dir}; file_bytes=${2:-$((2 << 30))}; block_bytes=${3:-$((8 << 20))}; runs=${4:-5}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${5:-${TMPDIR:-/tmp}/spark-zero-offload-io.jsonl}
classes="$root/bench/target/classes"; lib="$root/deploy/target/lib"
if [ ! -d "$classes/io/sparkzero/bench/offload" ] || [ ! -d "$lib" ]; then
  echo "offload-io: $classes or $lib is missing; build first: (cd $root && mvn -B -ntp -DskipTests package)" >&2
  exit 1
fi
if [ $((file_bytes % block_bytes)) -ne 0 ]; then
  echo "offload-io: FILE_BYTES $file_bytes is not a multiple of BLOCK_BYTES $block_bytes" >&2
  exit 2
fi
mkdir -p "$dir"
dd_file="$dir/spark-zero-offload-io-dd.bin"
count=$((file_bytes / block_bytes))
trap 'rm -f "$dd_file" "$dir/spark-zero-offload-io.bin"' EXIT
trap 'exit 130' INT TERM
warned=false
drop_caches() {  # dd's direct I/O bypasses the cache; dropped anyway, as before the Java passes
  sync
  if ! (echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null && [ "$warned" = false ]; then
    echo "offload-io: WARNING: cannot drop the page cache (not root?)" >&2
    warned=true
  fi
}
gb_per_s() { awk -v b="$file_bytes" -v ns="$1" 'BEGIN { printf "%.3f", b / ns }'; }  # bytes/ns
dd_ns() {  # runs dd with the given operands, prints its wall time in ns
  local start end err
  start=$(date +%s%N)
  if ! err=$(dd "$@" 2>&1); then
    echo "offload-io: dd $* failed: $err" >&2
    exit 1
  fi
  end=$(date +%s%N)
  echo $((end - start))
}
: > "$out"
# The first write allocates the file's blocks, untimed; the timed runs overwrite them.
dd_ns if=/dev/zero of="$dd_file" bs="$block_bytes" count="$count" oflag=direct conv=fsync > /dev/null
for i in $(seq 1 "$runs"); do
  drop_caches
  write_ns=$(dd_ns if=/dev/zero of="$dd_file" bs="$block_bytes" count="$count" oflag=direct conv=fsync,notrunc)
  drop_caches
  read_ns=$(dd_ns if="$dd_file" of=/dev/null bs="$block_bytes" iflag=direct)
  echo "{\"method\": \"dd\", \"run\": $i, \"file_bytes\": $file_bytes, \"block_bytes\": $block_bytes, \"write_ns\": $write_ns, \"read_ns\": $read_ns, \"write_gb_per_s\": $(gb_per_s "$write_ns"), \"read_gb_per_s\": $(gb_per_s "$read_ns")}" | tee -a "$out"
done
rm -f "$dd_file"
java -Xmx512m -XX:MaxDirectMemorySize=2g -cp "$classes:$lib/*" \
  io.sparkzero.bench.offload.OffloadIoBenchmark "$dir" "$file_bytes" "$block_bytes" "$runs" \
  | tee -a "$out"
/usr/bin/python3 - "$out" <<'PY' | tee -a "$out"
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
dd = [r for r in rows if r["method"] == "dd"]
rate = lambda ns: dd[0]["file_bytes"] / ns  # bytes per ns = GB/s
dd_write = [rate(r["write_ns"]) for r in dd]
dd_read = [rate(r["read_ns"]) for r in dd]
w, r = statistics.median(dd_write), statistics.median(dd_read)
serial = 1 / (1 / r + 1 / w)  # each byte read, then written back, one after the other
summary = {"summary": "offload-io", "dd_write_gb_per_s": [round(w, 3), [round(x, 3) for x in dd_write]],
           "dd_read_gb_per_s": [round(r, 3), [round(x, 3) for x in dd_read]],
           "dd_read_then_write_gb_per_s": round(serial, 3), "methods": {}}
for m in (x for x in rows if x["method"] != "dd" and "summary" not in x):
    if "skipped" in m:
        summary["methods"][m["method"]] = {"skipped": m["skipped"]}
        continue
    summary["methods"][m["method"]] = {
        "write_vs_dd": round(m["write_gb_per_s"][0] / w, 3),
        "read_vs_dd": round(m["read_gb_per_s"][0] / r, 3),
        "read_write_back_vs_dd_read_then_write": round(m["read_write_back_gb_per_s"][0] / serial, 3),
        "cache_dropped": m["cache_dropped"]}
measured = {k: v for k, v in summary["methods"].items() if "skipped" not in v}
summary["fastest_read_write_back"] = max(measured, key=lambda k: measured[k]["read_write_back_vs_dd_read_then_write"], default=None)
print(json.dumps(summary))
PY
