# Only the cffi extension lives here: cffi has no pyproject-only form yet. Metadata is in pyproject.toml.
from setuptools import setup

setup(cffi_modules=["rvsim/_build_core.py:ffibuilder"])
