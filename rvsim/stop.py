"""Why a run stopped: the StopReason and StopInfo that Machine.run, Machine.step and the reverse steps
return.  A leaf module, so that the reverse-execution mixin (rvsim.history) and the tools can name them
without importing the machine."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .isa.csrs import TRAP_CAUSES

if TYPE_CHECKING:
    from .history import WatchHit


class StopReason(enum.Enum):
    """Why :meth:`Machine.run` returned."""

    EXIT = "exit"                  # the program exited (exit code in StopInfo.exit_code)
    LIMIT = "limit"                # max_instructions reached
    BREAKPOINT = "breakpoint"      # a breakpoint address was reached (not executed)
    EBREAK = "ebreak"              # ebreak with no guest handler
    TRAP = "trap"                  # a trap the program cannot handle
    ECALL = "ecall"                # an ecall with no host environment to service it
    HANG = "hang"                  # a jump to itself (`j .`): with no interrupt sources it never ends
    WATCHPOINT = "watchpoint"      # a watchpoint triggered (StopInfo.watch says which and how)
    HISTORY_START = "history_start"    # reverse execution reached the oldest recorded step


@dataclass
class StopInfo:
    """The result of :meth:`Machine.run` / :meth:`Machine.step`."""

    reason: StopReason
    pc: int
    instructions: int                      # retired during this call
    exit_code: int | None = None
    cause: int | None = None               # trap cause (mcause encoding) for TRAP
    tval: int | None = None
    watch: WatchHit | None = None          # for WATCHPOINT: (kind, where, old, new)

    @property
    def cause_name(self) -> str | None:
        return None if self.cause is None else TRAP_CAUSES.get(self.cause, f"cause {self.cause}")

    def __repr__(self) -> str:
        parts = [f"reason={self.reason}", f"pc={self.pc:#x}", f"instructions={self.instructions}"]
        if self.exit_code is not None:
            parts.append(f"exit_code={self.exit_code}")
        if self.cause is not None:
            parts.append(f"cause={self.cause} ({self.cause_name})")
        if self.tval is not None:
            parts.append(f"tval={self.tval:#x}")
        return f"StopInfo({', '.join(parts)})"
