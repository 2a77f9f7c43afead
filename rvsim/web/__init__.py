"""``rvsim web``: a browser page to edit, assemble, step (forwards and backwards) and time programs.

    rvsim web [PROG.s ...] [--port N] [--no-browser] [--host H] [--allow-dir D]

The page (rvsim/web/static/) is plain HTML, CSS and JavaScript served by Starlette and uvicorn from
this package: nothing is fetched from the network.  The server and its JSON/WebSocket protocol are in
:mod:`rvsim.web.server`, one tab's machine in :mod:`rvsim.web.session`; docs/web.md documents both.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rvsim web",
                                description="Edit, assemble, step and time RISC-V programs in a browser.")
    p.add_argument("programs", nargs="*", metavar="PROG.s", help="assembly files to open in the page")
    p.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--no-browser", action="store_true", help="print the address; do not open a browser")
    p.add_argument("--allow-dir", metavar="DIR",
                   help="let the page open (and .include) assembly files under DIR")
    p.add_argument("--memory", default="64M", metavar="SIZE", help="guest memory per tab (default 64M)")
    p.add_argument("--max-tabs", type=int, default=16, help="machines at once (default 16)")
    return p


def main_web(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from .server import ServerConfig, serve
    except ImportError as exc:
        sys.stderr.write(f"rvsim web needs the 'web' extra (pip install 'rvsim[web]'): {exc}\n")
        return 1
    from ..runargs import parse_size
    from .session import Limits
    files = []
    for name in args.programs:
        p = Path(name)
        if not p.is_file():
            parser.exit(2, f"rvsim web: no such file: {name}\n")
        files.append(p.resolve())
    allow = None
    if args.allow_dir:
        allow = Path(args.allow_dir).resolve()
        if not allow.is_dir():
            parser.exit(2, f"rvsim web: --allow-dir {args.allow_dir} is not a directory\n")
    try:
        memory = parse_size(args.memory)
    except ValueError:
        parser.exit(2, f"rvsim web: bad --memory {args.memory!r}\n")
    config = ServerConfig(allow_dir=allow, files=files, limits=Limits(memory=memory),
                          max_sessions=args.max_tabs, host=args.host, port=args.port)
    try:
        serve(config, open_browser=not args.no_browser)
    except OSError as exc:
        sys.stderr.write(f"rvsim web: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}\n")
        return 1
    return 0
