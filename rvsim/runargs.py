"""Argument parsing shared by the commands that run a program (``rvsim run``, ``rvsim debug``,
``rvsim profile``): rvsim's options may come before or after the program, the program's own arguments
follow it, and everything after ``--`` goes to the program untouched.

It lives apart from rvsim/cli.py so that rvsim.timing.cli (``rvsim profile``) can use it without
importing the command line it is called from.
"""
from __future__ import annotations


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
