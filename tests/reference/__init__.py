"""Independent reference models used as test oracles (never the C core itself).

fp: exact RISC-V binary floating point (``from tests.reference import fp``).
"""
