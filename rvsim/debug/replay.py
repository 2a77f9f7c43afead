"""Reverse execution by replay, for a core without an undo log: the session keeps a snapshot of the
machine (and of its host environment's bookkeeping) from where recording began; going back N
instructions restores it and re-executes up to instret - N, with the program's output muted.

The simulator is deterministic (clocks and random bytes derive from the instruction count), so the
replayed state is the state the program had.  Limits, said to the user: output already written is not
unwritten, and a program that reads its standard input cannot be replayed (the input is gone)."""
from __future__ import annotations

import copy
from types import SimpleNamespace

from ..machine import StopInfo, StopReason

HISTORY_START = SimpleNamespace(name="HISTORY_START", value="history-start")


class ReplayHistory:
    def __init__(self, machine, session, max_instructions: int = 10_000_000):
        self.m = machine
        self.s = session
        self.max_instructions = max_instructions
        self.recording = False
        self.start = 0
        self._snap = None
        self._env = None

    def record(self):
        self._snap = self.m.snapshot()
        self._env = self._env_state()
        self.start = self.m.instret
        self.recording = True

    def stop_recording(self):
        self._snap = None
        self.recording = False

    @property
    def history_length(self) -> int:
        return self.m.instret - self.start if self.recording else 0

    def _env_state(self):
        env = self.m.env
        if env is None:
            return None
        state = {}
        for key, value in vars(env).items():
            if isinstance(value, (int, float, str, bytes, bool, type(None))):
                state[key] = value
            elif isinstance(value, (dict, set, list)):
                state[key] = copy.copy(value)
            elif key == "_random":
                state[key] = copy.deepcopy(value)
        return state

    def _restore_env(self):
        env = self.m.env
        if env is None or self._env is None:
            return
        for key, value in self._env.items():
            setattr(env, key, copy.copy(value) if isinstance(value, (dict, set, list)) else
                    copy.deepcopy(value) if key == "_random" else value)

    def _replay_to(self, target: int, stops=None) -> list[int]:
        """Restore the start and execute to instret == target with no breakpoints; with ``stops``
        (a set of addresses), return the instret of every moment the pc was at one of them."""
        m, s = self.m, self.s
        saved_bps = set(m.breakpoints)
        for a in saved_bps:
            m.remove_breakpoint(a)
        echo, line_start, out_len = s.echo_output, s.at_line_start, len(s._output)
        s.echo_output = False
        hits = []
        interrupted = False
        try:
            m.restore(self._snap)
            self._restore_env()
            for a in stops or ():
                m.add_breakpoint(a)
            while m.instret < target:
                if stops and m.pc in stops and m.instret != self.start and s._replay_condition(m.pc):
                    hits.append(m.instret)
                try:
                    info = m.run(target - m.instret)
                except KeyboardInterrupt:
                    # a half-done replay would leave the machine nowhere: finish it, then report
                    interrupted = True
                    continue
                if info.reason in (StopReason.BREAKPOINT, StopReason.LIMIT):
                    continue
                break                       # exit or trap before the target: cannot happen in a replay
        finally:
            for a in set(m.breakpoints):
                m.remove_breakpoint(a)
            for a in saved_bps:
                m.add_breakpoint(a)
            s.echo_output = echo
            s.at_line_start = line_start
            del s._output[out_len:]
        if interrupted:
            raise KeyboardInterrupt
        return hits

    def reverse_step(self, n: int = 1) -> StopInfo:
        now = self.m.instret
        target = max(self.start, now - n)
        if now == self.start:
            return StopInfo(HISTORY_START, self.m.pc, 0)
        self._replay_to(target)
        return StopInfo(StopReason.LIMIT, self.m.pc, now - target)

    def reverse_continue(self) -> StopInfo:
        now = self.m.instret
        if now == self.start:
            return StopInfo(HISTORY_START, self.m.pc, 0)
        stops = {bp.address for bp in self.s.breakpoints.values()
                 if not bp.is_watch and bp.enabled and bp.address is not None}
        hits = [h for h in self._replay_to(now, stops) if h < now] if stops else []
        if hits:
            self._replay_to(hits[-1])
            return StopInfo(StopReason.BREAKPOINT, self.m.pc, now - hits[-1])
        self._replay_to(self.start)
        return StopInfo(HISTORY_START, self.m.pc, now - self.start)
