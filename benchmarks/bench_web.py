"""rvsim web: how long a step takes over the WebSocket, as the page sees it, and how fast a long run goes
while it stays stoppable (chunks with Stop checks and progress reports between them).

    PYTHONPATH=. python benchmarks/bench_web.py

Starts the server in this process on a free loopback port and talks to it with the `websockets` client,
as the page does.  Prints figures; asserts nothing.
"""
from __future__ import annotations

import asyncio
import json
import statistics
import time

from rvsim.web.server import BackgroundServer, ServerConfig
from rvsim.web.workspace import example_files


async def main() -> None:
    import websockets
    srv = BackgroundServer(ServerConfig())
    url = f"ws://127.0.0.1:{srv.config.port}/ws?token={srv.config.token}"
    try:
        async with websockets.connect(url, max_size=None) as ws:
            n = 0

            async def call(cmd, **args):
                nonlocal n
                n += 1
                await ws.send(json.dumps(dict(args, id=n, cmd=cmd)))
                while True:
                    msg = json.loads(await ws.recv())
                    if msg.get("id") == n:
                        return msg

            for example, what in (("course/sum_array", "rv64gcv"), ("course/vector_add", "rv64gcv")):
                await call("load", files=example_files(example), isa=what)
                times = []
                for _ in range(200):
                    t0 = time.perf_counter()
                    r = await call("stepi", memory={"follow": "sp", "count": 256})
                    times.append((time.perf_counter() - t0) * 1000)
                    if r["stop"]["reason"] != "step":
                        await call("reset")
                times.sort()
                print(f"{example}: step round trip (state with registers, vector file, memory view): "
                      f"median {statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms, "
                      f"max {times[-1]:.2f} ms")
            await call("load", files=example_files("course/runaway"))
            t0 = time.perf_counter()
            r = await call("continue", budget=50_000_000)
            dt = time.perf_counter() - t0
            print(f"course/runaway: {r['stop']['instructions']:,} instructions in {dt:.2f} s "
                  f"({r['stop']['instructions'] / dt / 1e6:.0f} MIPS) through the chunked, stoppable run")
            await call("reset")
            rid = n + 1
            n += 1
            await ws.send(json.dumps({"id": rid, "cmd": "continue", "budget": 2_000_000_000}))
            await asyncio.sleep(0.5)
            t0 = time.perf_counter()
            await ws.send(json.dumps({"id": 0, "cmd": "stop"}))
            while True:
                msg = json.loads(await ws.recv())
                if msg.get("id") == rid:
                    break
            print(f"stop of a running program: the reply came {1000 * (time.perf_counter() - t0):.1f} ms "
                  f"after the Stop ({msg['stop']['instructions']:,} instructions had run)")
    finally:
        srv.close()


if __name__ == "__main__":
    asyncio.run(main())
