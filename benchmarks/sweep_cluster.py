#!/usr/bin/env python3
"""A 540-point sweep on a Dask LocalCluster: interrupted, resumed, re-run from the cache, and compared
with the same sweep run locally (docs/sweeps.md quotes the figures).

    python benchmarks/sweep_cluster.py [--workers 2] [--interrupt-after 150]

6 kernels x 5 sizes x 2 presets x a 3x3 grid (vector.dlen x memory.l1d.size).  The cache is a
temporary directory; nothing is left behind.
"""
from __future__ import annotations

import argparse
import tempfile
import time

KERNELS = ["int32", "fp32", "rvv_fp32_m4", "rvv_fp32_blocked", "gemv", "conv2d"]
SIZES = [8, 12, 16, 20, 24]
PRESETS = ["x60", "c908"]
GRID = ["vector.dlen=64,128,256", "memory.l1d.size=16K,32K,64K"]


class Interrupt:
    """Progress sink that raises KeyboardInterrupt (as Ctrl-C would) after n measured points."""

    def __init__(self, n):
        self.n, self.measured, self.cached = n, 0, 0

    def start(self, total, cached):
        self.cached = cached

    def advance(self, pp):
        self.measured += 1
        if self.measured == self.n:
            raise KeyboardInterrupt

    def stop(self):
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--interrupt-after", type=int, default=150)
    args = ap.parse_args()
    from dask.distributed import Client, LocalCluster

    from rvsim.timing.bench import parse_grid, plan, run_sweep, to_frame
    from rvsim.timing.cache import ResultCache

    with tempfile.TemporaryDirectory() as tmp:
        store = ResultCache(tmp)
        t = time.perf_counter()
        points = plan(KERNELS, SIZES, PRESETS, parse_grid(GRID), store=store)
        print(f"plan: {len(points)} points, {time.perf_counter() - t:.2f} s (assembling 30 programs)")
        t = time.perf_counter()
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        print(f"LocalCluster of {args.workers} worker processes: {time.perf_counter() - t:.1f} s to start")
        t = time.perf_counter()
        stop = Interrupt(args.interrupt_after)
        try:
            run_sweep(points, cache=store, dask=client, progress=stop)
        except KeyboardInterrupt:
            pass
        first = time.perf_counter() - t
        done = len(store)
        print(f"interrupted after {stop.measured} points: {done} in the cache, {first:.1f} s")
        t = time.perf_counter()
        resume = Interrupt(10 ** 9)
        cluster_points = run_sweep(points, cache=store, dask=client, progress=resume)
        second = time.perf_counter() - t
        print(f"resumed: {resume.cached} from the cache, {resume.measured} measured "
              f"({'none' if resume.cached == done else 'SOME'} recomputed), {second:.1f} s "
              f"({resume.measured / second:.1f} points/s)")
        client.close()
        cluster.close()
        t = time.perf_counter()
        again = plan(KERNELS, SIZES, PRESETS, parse_grid(GRID), store=store)
        rerun = run_sweep(again, cache=store)
        print(f"re-run from the cache: {sum(p.cached for p in rerun)} of {len(rerun)} points in "
              f"{time.perf_counter() - t:.3f} s (plan + lookup)")
        t = time.perf_counter()
        local_points = run_sweep(points, use_cache=False, jobs=args.workers)
        local = time.perf_counter() - t
        print(f"the same sweep locally ({args.workers} processes, no cache): {local:.1f} s "
              f"({len(local_points) / local:.1f} points/s)")
        a, b = to_frame(cluster_points).drop(columns="cached"), to_frame(local_points).drop(columns="cached")
        print(f"cluster and local results identical: {a.equals(b)} "
              f"({len(a)} rows, {int(a['ok'].sum())} ok)")
        store.close()


if __name__ == "__main__":
    main()
