#!/usr/bin/env python3
"""The scaling model (issue 21) against this host's measurements, then its predictions.

Reads:
  --stages N=FILE ...   deploy/bench/zero-stages.sh results of wide-mlp at N ranks (N=1 first):
                        the N=1 stage-0 runs give the workload (compute and optimizer per step);
                        every (N, stage) gives a measured step time to check the model against
  --models FILE         one-epoch.sh summaries (one JSON per line, each with "model") at 1 rank,
                        stage 0: the other shipped models' workloads
  --layers NAME=L ...   layers each model communicates one by one at stages 2 and 3
  --link NAME=LATENCY_S:BYTES_PER_S ...  ring links to predict on (the first is this host's IPC,
                        used for the check)
Prints the check (predicted against measured, with and without overlap) and, per link, the
predicted step time of every workload and stage at N = 2 .. 1024 and where it turns
communication-bound, as Markdown. Runs io.sparkzero.bench.model.ScalingTable (bench module) for
every prediction, so the formulas live in one place (sharding's ScalingModel).
"""
import argparse, json, os, statistics, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
cp = open(os.path.join(root, "bench/target/bench.classpath")).read().strip()
java_cp = os.path.join(root, "bench/target/classes") + ":" + cp


def table(link, workloads, cores, overlap, ranks):
    args = ["java", "-cp", java_cp, "io.sparkzero.bench.model.ScalingTable",
            "--latency-s", str(link[0]), "--bytes-per-s", str(link[1]), "--cores", str(cores),
            "--overlap", "true" if overlap else "false", "--ranks", ",".join(map(str, ranks))]
    args += ["%s:%d:%d:%.6f:%.6f" % ((w[0].replace(":", "/"),) + tuple(w[1:])) for w in workloads]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def workload(name, result, layers):
    epoch = result["epochs"][0]
    steps = result["steps_per_epoch"]
    ms = epoch["rank0_ms"]
    compute = (ms["compute"] + ms["copy"] + ms["batching"]) / steps / 1000
    optimizer = ms["optimizer"] / steps / 1000
    params = result["rank0_state_bytes"]["params"] // 4
    return (name, params, layers, compute, optimizer)


def step_s(result):
    epoch = result["epochs"][0]
    return result["batch_per_rank"] * result["ranks"] / epoch["step_loop_samples_per_s"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--stages", nargs="+", required=True)
    p.add_argument("--models")
    p.add_argument("--layers", nargs="+", default=[])
    p.add_argument("--link", nargs="+", required=True)
    p.add_argument("--big", default="wide-mlp:16384x5:1086832650:6",
                   help="NAME:PARAMS:LAYERS of a model too large to run here, scaled from wide-mlp")
    a = p.parse_args()
    layers = {k: int(v) for k, v in (x.split("=") for x in a.layers)}
    links = [(n, tuple(map(float, v.split(":")))) for n, v in (x.split("=", 1) for x in a.link)]
    stages = {}
    for spec in a.stages:
        n, f = spec.split("=")
        stages[int(n)] = [json.loads(l) for l in open(f) if l.strip()]
    one = [r["result"] for r in stages[1] if r["stage"] == 0]
    runs = [workload("wide-mlp", r, layers["wide-mlp"]) for r in one]
    wide = ("wide-mlp", runs[0][1], layers["wide-mlp"], statistics.median(w[3] for w in runs),
            statistics.median(w[4] for w in runs))

    print("## Check: wide-mlp on this host (IPC, 2 cores), step time in ms\n")
    print("| N | stage | measured (median; runs) | predicted, no overlap | predicted, overlap |"
          " no overlap / measured | overlap / measured |")
    print("|---|---|---|---|---|---|---|")
    host = links[0][1]
    ranks = sorted(stages)
    pred = {ov: {(r["ranks"], r["stage"]): r["step_s"] for r in table(host, [wide], 2, ov, ranks)
                 if "step_s" in r} for ov in (False, True)}
    for n in ranks:
        for s in range(4):
            measured = [step_s(r["result"]) for r in stages[n] if r["stage"] == s]
            if not measured:
                continue
            m = statistics.median(measured)
            no, ov = pred[False][(n, s)], pred[True][(n, s)]
            print("| %d | %d | %.1f (%s) | %.1f | %.1f | %.2f | %.2f |" % (
                n, s, m * 1000, ", ".join("%.1f" % (x * 1000) for x in measured), no * 1000,
                ov * 1000, no / m, ov / m))

    workloads = [wide]
    if a.models:
        for line in open(a.models):
            if line.strip():
                r = json.loads(line)
                workloads.append(workload(r["model"], r, layers[r["model"]]))
    flops_rate = 6 * wide[1] * one[0]["batch_per_rank"] / wide[3]
    name, params, big_layers = a.big.split(":")[0] + ":" + a.big.split(":")[1], int(a.big.split(":")[2]), int(a.big.split(":")[3])
    workloads.append((name, params, big_layers,
                      6 * params * one[0]["batch_per_rank"] / flops_rate,
                      wide[4] / wide[1] * params))
    print("\nWorkloads (one rank, this host): " + "; ".join(
        "%s: %d params, %d layers, compute %.1f ms, optimizer %.1f ms per step" % (
            w[0], w[1], w[2], w[3] * 1000, w[4] * 1000) for w in workloads))
    print("(the last scaled from wide-mlp's %.1f GFLOP/s at 6 FLOPs per parameter and sample)"
          % (flops_rate / 1e9))
    for lname, link in links:
        serial = table(link, workloads, 2**31 - 1, False, [2, 8, 64, 1024])
        overlapped = table(link, workloads, 2**31 - 1, True, [2, 8, 64, 1024])
        print("\n## %s: latency %.1f us a hop, %.2f GB/s; one rank per host\n" % (
            lname, link[0] * 1e6, link[1] / 1e9))
        print("Step time without overlap (the variant this host's check fits) and the share of it"
              " spent communicating; where each stage turns communication-bound without and with"
              " overlap.\n")
        print("| model | stage | N=2 | N=8 | N=64 | N=1024 | comm-bound from N (no overlap / overlap) |")
        print("|---|---|---|---|---|---|---|")
        def bound(rows, key, s):
            b = next(r["communication_bound_from"] for r in rows if r["workload"] == key
                     and r["stage"] == s and "communication_bound_from" in r)
            return str(b) if b > 0 else "never"
        for w in workloads:
            for s in range(4):
                key = w[0].replace(":", "/")
                steps = {r["ranks"]: r for r in serial if r["workload"] == key and r["stage"] == s
                         and "step_s" in r}
                cell = lambda r: "%.3g s (%d%%)" % (r["step_s"], round(100 * r["exposed_comm_s"] / r["step_s"]))
                print("| %s | %d | %s | %s | %s | %s | %s / %s |" % (
                    w[0], s, cell(steps[2]), cell(steps[8]), cell(steps[64]), cell(steps[1024]),
                    bound(serial, key, s), bound(overlapped, key, s)))


if __name__ == "__main__":
    sys.exit(main())
