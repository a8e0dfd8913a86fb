#!/usr/bin/env bash
# Checkpoint write and read bandwidth (io.sparkzero.bench.checkpoint.CheckpointIoBenchmark: RANKS
# threads write one shard each of a step through a file:// store, fsync, commit, read back, verify)
# next to the raw bandwidth of the same disk measured with dd in the same sitting, each checkpoint
# rate's median as a ratio to the matching dd median.
# Usage: deploy/bench/checkpoint-io.sh DIR [SHARD_BYTES] [RANKS] [RUNS] [OUT.jsonl]
#   e.g. deploy/bench/checkpoint-io.sh /var/tmp/spark-zero-ckpt-io   (1 GiB per rank, 2 ranks, 3 runs)
# SHARD_BYTES is each rank's payload (three equal float arrays), a multiple of 8 MiB (dd's block).
# DIR must be on the local disk to measure (not tmpfs) with room for 2 x RANKS x SHARD_BYTES. Run as
# root on a quiet machine: the page cache is dropped before every timed pass (otherwise reads may
# come from memory, and the results say "cache_dropped": false). Each dd run, on fresh files: RANKS
# direct writes at once (oflag=direct conv=fsync), RANKS direct reads of them at once, then for
# reference one buffered write of all the bytes (conv=fsync). Files are deleted at exit.
# Needs: mvn -B -ntp -DskipTests package (bench/target/classes, deploy/target/lib)
set -euo pipefail
dir=${1:?dir}; shard_bytes=${2:-$((1 << 30))}; ranks=${3:-2}; runs=${4:-3}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${5:-${TMPDIR:-/tmp}/spark-zero-checkpoint-io.jsonl}
classes="$root/bench/target/classes"; lib="$root/deploy/target/lib"
block_bytes=$((8 << 20))
if [ ! -d "$classes/io/sparkzero/bench/checkpoint" ] || [ ! -d "$lib" ]; then
  echo "checkpoint-io: $classes or $lib is missing; build first: (cd $root && mvn -B -ntp -DskipTests package)" >&2
  exit 1
fi
if [ "$shard_bytes" -le 0 ] || [ $((shard_bytes % block_bytes)) -ne 0 ]; then
  echo "checkpoint-io: SHARD_BYTES $shard_bytes is not a positive multiple of $block_bytes (dd's block)" >&2
  exit 2
fi
mkdir -p "$dir"
count=$((shard_bytes / block_bytes)); total_bytes=$((shard_bytes * ranks))
dd_prefix="$dir/spark-zero-checkpoint-io-dd"
errs=$(mktemp -d)  # dd's messages, off the disk under test
cleanup() { rm -f "$dd_prefix".*; rm -rf "$dir/spark-zero-checkpoint-io" "$errs"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
cache_dropped=true
drop_caches() {  # direct I/O bypasses the cache; dropped anyway, as before the Java passes
  sync
  if ! (echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then
    [ "$cache_dropped" = true ] && echo "checkpoint-io: WARNING: cannot drop the page cache (not root?)" >&2
    cache_dropped=false
  fi
}
gb_per_s() { awk -v b="$total_bytes" -v ns="$1" 'BEGIN { printf "%.3f", b / ns }'; }  # bytes/ns
parallel_dd_ns() {  # write|read: RANKS dd at once on files 0..RANKS-1, prints the wall time in ns
  local start end r pids=()
  start=$(date +%s%N)
  for r in $(seq 0 $((ranks - 1))); do
    if [ "$1" = write ]; then
      dd if=/dev/zero of="$dd_prefix.$r" bs="$block_bytes" count="$count" oflag=direct conv=fsync 2> "$errs/$r" &
    else
      dd if="$dd_prefix.$r" of=/dev/null bs="$block_bytes" iflag=direct 2> "$errs/$r" &
    fi
    pids+=($!)
  done
  for r in "${!pids[@]}"; do
    if ! wait "${pids[$r]}"; then
      echo "checkpoint-io: parallel dd $1 of $dd_prefix.$r failed: $(cat "$errs/$r")" >&2
      exit 1
    fi
  done
  end=$(date +%s%N)
  echo $((end - start))
}
single_dd_ns() {  # one buffered write of all the bytes, made durable, prints the wall time in ns
  local start end err
  start=$(date +%s%N)
  if ! err=$(dd if=/dev/zero of="$dd_prefix.single" bs="$block_bytes" count=$((count * ranks)) conv=fsync 2>&1); then
    echo "checkpoint-io: dd write of $dd_prefix.single failed: $err" >&2
    exit 1
  fi
  end=$(date +%s%N)
  echo $((end - start))
}
: > "$out"
for i in $(seq 1 "$runs"); do
  rm -f "$dd_prefix".*; drop_caches
  write_ns=$(parallel_dd_ns write)
  drop_caches
  read_ns=$(parallel_dd_ns read)
  rm -f "$dd_prefix".*; drop_caches
  single_ns=$(single_dd_ns)
  rm -f "$dd_prefix".*
  echo "{\"method\": \"dd\", \"run\": $i, \"ranks\": $ranks, \"bytes\": $total_bytes, \"block_bytes\": $block_bytes, \"parallel_direct_write_ns\": $write_ns, \"parallel_direct_read_ns\": $read_ns, \"single_buffered_write_ns\": $single_ns, \"parallel_direct_write_gb_per_s\": $(gb_per_s "$write_ns"), \"parallel_direct_read_gb_per_s\": $(gb_per_s "$read_ns"), \"single_buffered_write_gb_per_s\": $(gb_per_s "$single_ns"), \"cache_dropped\": $cache_dropped}" | tee -a "$out"
done
java -Xmx1g -cp "$classes:$lib/*" \
  io.sparkzero.bench.checkpoint.CheckpointIoBenchmark "$dir" "$shard_bytes" "$ranks" "$runs" \
  | tee -a "$out"
/usr/bin/python3 - "$out" <<'PY' | tee -a "$out"
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
dd = [r for r in rows if r.get("method") == "dd"]
ckpt = next(r for r in rows if r.get("summary") == "checkpoint")
def dd_rate(key):
    runs = [r["bytes"] / r[key + "_ns"] for r in dd]  # bytes per ns = GB/s
    return statistics.median(runs), [round(x, 3) for x in runs]
write, read, single = (dd_rate(k) for k in ("parallel_direct_write", "parallel_direct_read", "single_buffered_write"))
ratio = lambda rate, ref: round(ckpt[rate][0] / ref[0], 3)
print(json.dumps({
    "summary": "checkpoint-io", "ranks": ckpt["ranks"], "runs": ckpt["runs"],
    "dd_parallel_direct_write_gb_per_s": [round(write[0], 3), write[1]],
    "dd_parallel_direct_read_gb_per_s": [round(read[0], 3), read[1]],
    "dd_single_buffered_write_gb_per_s": [round(single[0], 3), single[1]],
    "checkpoint_gb_per_s": {k: ckpt[k][0] for k in ("write_gb_per_s", "write_durable_gb_per_s", "read_gb_per_s", "verify_gb_per_s")},
    "write_durable_vs_dd_parallel_direct_write": ratio("write_durable_gb_per_s", write),
    "write_durable_vs_dd_single_buffered_write": ratio("write_durable_gb_per_s", single),
    "write_until_finish_vs_dd_parallel_direct_write": ratio("write_gb_per_s", write),
    "read_vs_dd_parallel_direct_read": ratio("read_gb_per_s", read),
    "verify_one_thread_vs_dd_parallel_direct_read": ratio("verify_gb_per_s", read),
    "cache_dropped": ckpt["cache_dropped"] and all(r["cache_dropped"] for r in dd)}))
PY
