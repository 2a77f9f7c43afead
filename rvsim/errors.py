"""Exceptions rvsim raises for problems with the user's input or the simulated program."""


class RvsimError(Exception):
    """Base class of rvsim's errors."""


class LoadError(RvsimError):
    """A program file that cannot be loaded (not RISC-V, 32-bit, truncated, dynamically linked...)."""


class SimulationError(RvsimError):
    """The simulated program cannot continue: an unhandled trap, a bad host call, a core failure.

    ``pc`` is the guest pc where it happened, ``cause`` the RISC-V trap cause when there is one.
    """

    def __init__(self, message: str, pc: int | None = None, cause: int | None = None,
                 tval: int | None = None):
        super().__init__(message)
        self.pc = pc
        self.cause = cause
        self.tval = tval
