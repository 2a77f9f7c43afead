"""Argument parsing shared by the commands that run a program (``rvsim run``, ``rvsim debug``,
``rvsim profile``, ``rvsim web``): rvsim's options may come before or after the program, the program's
own arguments follow it, and everything after ``--`` goes to the program untouched; sizes are written
as ``64M``, ``1GiB`` or ``0x10000``.

It lives apart from rvsim/cli.py so that rvsim.timing.cli (``rvsim profile``) can use it without
importing the command line it is called from.
"""
from __future__ import annotations

import argparse


class SizeError(ValueError, argparse.ArgumentTypeError):
    """A size that does not parse; argparse prints its message as the option's error."""


def parse_run_args(parser, argv):
    """Parse ``argv`` with ``parser`` (an argparse.ArgumentParser with ``program`` and ``args``
    positionals); ``args.args`` gets the program's arguments, including those after '--'."""
    argv = list(argv)
    if "--" in argv:
        cut = argv.index("--")
        argv, passthrough = argv[:cut], argv[cut + 1:]
    else:
        passthrough = []
    args = parser.parse_intermixed_args(argv)
    args.args = list(args.args) + passthrough
    return args


def parse_size(text: str) -> int:
    """A size in bytes from ``4096``, ``0x1000``, ``64k``, ``64M``, ``1G`` or ``1GiB`` (binary units)."""
    import re
    m = re.fullmatch(r"\s*(0x[0-9a-f]+|[0-9]+(?:\.[0-9]*)?)\s*(?:([kmg])(?:ib?|b)?)?\s*", text.lower())
    if not m:
        raise SizeError(f"not a size: {text!r} (examples: 4096, 0x1000, 64k, 64M, 1GiB)")
    number, unit = m.groups()
    scale = {None: 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit]
    value = int(number, 16) * scale if number.startswith("0x") else int(float(number) * scale)
    return value
