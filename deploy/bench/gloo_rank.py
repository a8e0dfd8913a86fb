#!/usr/bin/env python3
"""One rank of a gloo all-reduce measurement, for runs where each rank is started on its own
(simulated) host: rank, world size and rank 0's address come from the command line.

    /usr/bin/python3 gloo_rank.py RANK WORLD MASTER_ADDR PORT MB [MB...]

Bus bandwidth = 2(N-1)/N x bytes / median time per all-reduce (float32 sum) over 9 timed runs
after one warm-up, as in ../shared/peers/gloo_allreduce.py and AllReduceBenchmark. Rank 0 prints
one JSON line per size. Needs: apt-get install -y python3-torch
"""
import json, os, statistics, sys, time

import torch
import torch.distributed as dist

rank, world, addr, port = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
sizes_mb = [float(mb) for mb in sys.argv[5:]]
torch.set_num_threads(1)
dist.init_process_group("gloo", init_method=f"tcp://{addr}:{port}", rank=rank, world_size=world)
for mb in sizes_mb:
    n = int(mb * 1e6) // 4
    data = torch.ones(n)
    dist.all_reduce(data)
    dist.barrier()
    times = []
    for _ in range(9):
        start = time.perf_counter()
        dist.all_reduce(data)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    if rank == 0:
        bus = 2 * (world - 1) / world * n * 4 / median
        print(json.dumps({"peer": "gloo-" + torch.__version__, "procs": world, "bytes": n * 4,
                          "median_ms": round(median * 1e3, 2),
                          "bus_bandwidth_GBps": round(bus / 1e9, 3)}), flush=True)
dist.destroy_process_group()
