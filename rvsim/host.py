"""Host environments: what services a program's requests to the outside world.

* :class:`LinuxEnvironment` — the Linux user-mode system calls that static newlib, picolibc and
  freestanding programs use.  Unknown calls return ``-ENOSYS`` and are reported once on stderr.
* :class:`HtifEnvironment` — the HTIF ``tohost``/``fromhost`` protocol of bare-metal test programs
  (riscv-tests): ``tohost = (code << 1) | 1`` exits; otherwise ``tohost`` points at a system-call block.
* :class:`SemihostEnvironment` — RISC-V semihosting (the ARM semihosting calls behind the
  ``slli x0,x0,0x1f; ebreak; srai x0,x0,7`` sequence) of bare-metal programs, e.g. picolibc's
  ``--oslib=semihost``.

Both are deterministic by default: time comes from the retired-instruction count and random bytes
from a seeded generator, so two runs of a program behave identically.
"""
from __future__ import annotations

import errno
import io
import os
import random
import stat as stat_module
import struct
import sys
import time
from pathlib import Path

PAGE = 4096
MASK64 = (1 << 64) - 1
MASK32 = (1 << 32) - 1
NANOSECONDS_PER_INSTRUCTION = 1    # deterministic clock: a nominal 1 GHz core at one instruction/cycle
DETERMINISTIC_EPOCH_NS = 1_700_000_000 * 10**9   # deterministic wall clock starts at 2023-11-14

# RISC-V Linux system call numbers (the asm-generic table)
SYSCALL_NAMES = {
    17: "getcwd", 23: "dup", 24: "dup3", 25: "fcntl", 29: "ioctl", 48: "faccessat", 56: "openat",
    57: "close", 61: "getdents64", 62: "lseek", 63: "read", 64: "write", 65: "readv", 66: "writev",
    67: "pread64", 68: "pwrite64", 78: "readlinkat", 79: "newfstatat", 80: "fstat", 93: "exit",
    94: "exit_group", 96: "set_tid_address", 98: "futex", 99: "set_robust_list", 101: "nanosleep",
    113: "clock_gettime", 114: "clock_getres", 123: "sched_getaffinity", 124: "sched_yield",
    129: "kill", 130: "tkill", 131: "tgkill",
    134: "rt_sigaction", 135: "rt_sigprocmask", 153: "times", 160: "uname", 163: "getrlimit",
    165: "getrusage", 169: "gettimeofday", 172: "getpid", 173: "getppid", 174: "getuid",
    175: "geteuid", 176: "getgid", 177: "getegid", 178: "gettid", 179: "sysinfo", 214: "brk",
    215: "munmap", 216: "mremap", 222: "mmap", 226: "mprotect", 233: "madvise", 261: "prlimit64",
    278: "getrandom", 291: "statx", 293: "rseq",
}

# rv32 Linux (the ilp32 ABI): the asm-generic table without the calls that take a 32-bit time_t (rv32 has
# only the time64 ones) and without fstat/newfstatat (arch/riscv/include/uapi/asm/unistd.h defines
# __ARCH_WANT_NEW_STAT for __LP64__ only: statx is rv32's stat); 62 is _llseek, 222 mmap2 (offset in
# pages) and 25 fcntl64 there.
_RV32_ABSENT = {79, 80, 98, 101, 113, 114, 115, 163, 169, 73, 72}
SYSCALL_NAMES_RV32 = {n: name for n, name in SYSCALL_NAMES.items() if n not in _RV32_ABSENT} | {
    62: "llseek", 222: "mmap2", 403: "clock_gettime64", 406: "clock_getres_time64",
    407: "clock_nanosleep_time64", 414: "ppoll_time64", 422: "futex_time64",
}
SYSCALL_NAMES.update({73: "ppoll", 115: "clock_nanosleep"})

MAP_ANONYMOUS = 0x20
MAP_FIXED = 0x10
PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4
O_CREAT, O_APPEND = 0o100, 0o2000
AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH = 0x100, 0x1000
F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC = 0, 1, 2, 3, 4, 1030
MAX_FDS = 1024                       # RLIMIT_NOFILE as prlimit64 reports it
SIGNAL_NAMES = {1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS",
                8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM"}


def host_path_under(allow_dir: Path | None, guest_path: str) -> Path | None:
    """The host path for a guest path, or None when no directory is allowed or the path leads outside it.

    The allowed directory is both the program's root and its working directory (like a chroot):
    ``data/x`` and ``/data/x`` both name ``ALLOW_DIR/data/x``.
    """
    if allow_dir is None:
        return None
    path = (allow_dir / guest_path.lstrip("/")).resolve()
    if allow_dir not in path.parents and path != allow_dir:
        return None
    return path


class _TextAsBinary:
    """The byte-stream face of a text stream that has no ``.buffer`` (Jupyter's and doctest's
    sys.stdout): the guest's bytes are decoded as UTF-8 on the way out, input encoded on the way in."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, data) -> int:
        self.stream.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()

    def read(self, n: int = -1) -> bytes:
        return self.stream.read(n).encode()

    def readline(self, n: int = -1) -> bytes:
        return self.stream.readline(n).encode()


def binary_stream(stream):
    """``stream.buffer`` (the bytes under a text stream), or an adapter when there is none."""
    buffer = getattr(stream, "buffer", None)
    return buffer if buffer is not None else _TextAsBinary(stream)


def machine_xlen(machine) -> int:
    """32 or 64: the XLEN of ``machine`` (``machine.xlen``; 64 for a machine that has no such attribute)."""
    return getattr(machine, "xlen", 64)


def _neg(err: int) -> int:
    return (-err) & (2**64 - 1)


class HostEnvironment:
    """Base class: a host environment services ``ecall``, ``ebreak`` and HTIF stops of :meth:`Machine.run`.

    ``max_output`` (bytes, None = unlimited) bounds everything the guest writes through the environment,
    console and files together (``rvsim run --max-output``): the write that crosses it is cut at the
    limit and the run ends with a :class:`SimulationError`, so an autograder's log stays bounded.
    """

    max_output: int | None = None
    output_bytes = 0                  # bytes the guest has written so far (console and files)

    def emit(self, machine, stream, data: bytes) -> None:
        """Write guest output to a host stream, charging it to ``max_output``."""
        limit = self.max_output
        if limit is not None and self.output_bytes + len(data) > limit:
            stream.write(data[:max(0, limit - self.output_bytes)])
            stream.flush()
            self.output_bytes = limit
            from .errors import SimulationError
            raise SimulationError(f"output limit reached: the program wrote more than {limit} bytes "
                                  "(--max-output)", pc=machine.pc)
        self.output_bytes += len(data)
        stream.write(data)

    def ecall(self, machine) -> int | None:
        """Service an ecall; return an exit code to end the run, or None to continue."""
        raise NotImplementedError

    def htif(self, machine, value: int) -> int | None:
        raise NotImplementedError

    def ebreak(self, machine) -> int | None | type[NotImplemented]:
        """Service an ebreak: an exit code, None to continue, or NotImplemented to let the guest take
        the breakpoint trap (the default)."""
        return NotImplemented


class LinuxEnvironment(HostEnvironment):
    """Linux user-mode system calls for one process.

    ``stdin``/``stdout``/``stderr`` are binary file objects (default: the host's).  ``allow_dir`` lets
    the program open files under one host directory (nothing else is reachable).  With
    ``deterministic=False`` clocks read the host's time and getrandom the host's entropy.
    """

    # where `ret` from `main` goes in a program without `_start`: exit(a0), i.e. li a7, 93; ecall
    MAIN_RETURN_STUB = bytes.fromhex("9308d005" "73000000")

    def __init__(self, *, stdin=None, stdout=None, stderr=None, allow_dir=None, deterministic=True,
                 seed: int = 0, warn=None, max_output: int | None = None):
        self.max_output = max_output
        self.stdin = stdin if stdin is not None else binary_stream(sys.stdin)
        self.stdout = stdout if stdout is not None else binary_stream(sys.stdout)
        self.stderr = stderr if stderr is not None else binary_stream(sys.stderr)
        self.allow_dir = Path(allow_dir).resolve() if allow_dir else None
        self.deterministic = deterministic
        self._random = random.Random(seed)
        self._warned: set[int] = set()
        self._hinted = False
        self.output_mid_line = False     # the program's console output so far does not end a line
        self._warn = warn or (lambda msg: print(f"rvsim: {msg}", file=sys.stderr))
        self.fds: dict[int, _OpenFile] = {}
        for fd, stream, readable in ((0, self.stdin, True), (1, self.stdout, False), (2, self.stderr, False)):
            self._install(_OpenFile(stream, readable=readable, writable=not readable, owned=False))
        self.exe_path = b""
        self.brk = self.brk_start = self.brk_limit = 0
        self.mmap_top = self.mmap_floor = 0
        self.mappings: dict[int, int] = {}
        self.start_time_ns = time.time_ns()

    # ---------------------------------------------------------------- setup

    def attach(self, machine, prog) -> None:
        """Called by the loader: set up the heap and mmap areas of a freshly loaded program."""
        self.brk = self.brk_start = prog.brk_start
        stack_bottom = prog.stack_top - (8 << 20)
        # the heap grows up from the program's end, mmap allocations down from below the stack
        self.mmap_top = stack_bottom - PAGE
        self.brk_limit = self.brk_start + (self.mmap_top - self.brk_start) // 2
        self.mmap_floor = self.brk_limit
        self.mmap_next = self.mmap_top
        self.exe_path = os.fsencode(os.path.abspath(prog.path)) if os.path.exists(prog.path) else b""

    def random_bytes(self, n: int) -> bytes:
        if self.deterministic:
            return bytes(self._random.getrandbits(8) for _ in range(n))
        return os.urandom(n)

    # ---------------------------------------------------------------- dispatch

    def ecall(self, machine) -> int | None:
        x = machine._hart.x             # the core's registers as Python ints (no numpy needed)
        xlen = machine_xlen(machine)
        if xlen == 32:                  # ilp32: the registers' low 32 bits (the core sign-extends them)
            num = int(x[17]) & MASK32
            args = [int(v) & MASK32 for v in x[10:16]]
            names = SYSCALL_NAMES_RV32
        else:
            num = int(x[17])
            args = [int(v) for v in x[10:16]]
            names = SYSCALL_NAMES
        name = names.get(num, "")
        handler = (getattr(self, f"sys32_{name}", None) if xlen == 32 else None) or \
            getattr(self, f"sys_{name}", None)
        if handler is None:
            if num not in self._warned:
                self._warned.add(num)
                name = names.get(num, "unknown")
                from .teaching_calls import linux_hint    # a RARS or Venus call? name the option, once
                hint = "" if self._hinted else linux_hint(machine, num)
                self._hinted = self._hinted or bool(hint)
                self._warn(f"system call {num} ({name}) is not implemented; returning -ENOSYS" + hint)
            x[10] = _neg(errno.ENOSYS)
            return None
        try:
            result = handler(machine, *args)
        except io.UnsupportedOperation:
            # reading a file opened for writing only, or the reverse
            result = _neg(errno.EBADF)
        except ValueError:
            # a guest pointer outside its memory: the kernel answers EFAULT
            result = _neg(errno.EFAULT)
        except OverflowError:
            # a number too large for the host's call (an offset, a count): invalid
            result = _neg(errno.EINVAL)
        except OSError as exc:
            # what the host's file system answered
            result = _neg(exc.errno or errno.EIO)
        if isinstance(result, _Exit):
            return result.code
        if xlen == 32:                  # a 32-bit result (-errno included), held sign-extended
            result &= MASK32
            result -= (result >> 31) << 32
        x[10] = result & (2**64 - 1)
        return None

    def htif(self, machine, value: int) -> int | None:
        raise NotImplementedError("HTIF in a Linux program")

    # ---------------------------------------------------------------- process

    def sys_exit(self, m, code, *_):
        return _Exit(code & 0xFF)

    sys_exit_group = sys_exit

    def sys_set_tid_address(self, m, *_):
        return 1000

    def sys_getpid(self, m, *_):
        return 1000

    sys_gettid = sys_getpid

    def sys_getppid(self, m, *_):
        return 1

    def sys_getuid(self, m, *_):
        return 1000

    sys_geteuid = sys_getgid = sys_getegid = sys_getuid

    def sys_set_robust_list(self, m, *_):
        return 0

    def sys_rt_sigaction(self, m, *_):
        return 0

    sys_rt_sigprocmask = sys_sched_yield = sys_madvise = sys_rt_sigaction

    def sys_kill(self, m, pid, sig, *_):
        """A signal to this process (the only one there is): the default action of the common ones,
        termination, as exit status 128 + signal like a shell reports it; 0 and ignored signals do
        nothing."""
        sig &= 0xFFFFFFFF
        if sig == 0 or sig in (17, 23, 28):      # SIGCHLD, SIGURG, SIGWINCH are ignored by default
            return 0
        if not 1 <= sig <= 64:
            return _neg(errno.EINVAL)
        self._warn(f"the program was terminated by {SIGNAL_NAMES.get(sig, f'signal {sig}')}")
        return _Exit(128 + sig)

    def sys_tkill(self, m, tid, sig, *_):
        return self.sys_kill(m, tid, sig)

    def sys_tgkill(self, m, tgid, tid, sig, *_):
        return self.sys_kill(m, tid, sig)

    def sys_futex(self, m, addr, op, val, *_):
        # one thread: a wait can only find the value changed or time out, a wake wakes nobody
        cmd = op & 0x7F
        if cmd in (1, 4, 5, 10):                 # WAKE, CMP_REQUEUE-like and WAKE_OP: no waiters
            return 0
        if cmd in (0, 9):                        # WAIT, WAIT_BITSET
            current = int.from_bytes(m.read(addr, 4), "little")
            return _neg(errno.EAGAIN) if current != val & 0xFFFFFFFF else _neg(errno.ETIMEDOUT)
        return _neg(errno.ENOSYS)

    def sys_sched_getaffinity(self, m, pid, size, mask, *_):
        if size < 8:
            return _neg(errno.EINVAL)
        m.write(mask, (1).to_bytes(8, "little"))     # one hart, CPU 0
        return 8

    def sys_sysinfo(self, m, buf, *_):
        uptime = self._now_ns(m, monotonic=True) // 1_000_000_000
        total = m.memory_size
        free = max(0, (self.mmap_next - self.mmap_floor) + (self.brk_limit - self.brk))
        m.write(buf, struct.pack("<q3Q6QHHxxxxQQI4x", uptime, 0, 0, 0, total, free, 0, 0, 0, 0, 1, 0,
                                 0, 0, 1))
        return 0

    def sys_getrusage(self, m, who, buf, *_):
        # user time from the clock the program sees; everything else zero (struct rusage: 144 bytes)
        ns = self._now_ns(m, monotonic=True)
        m.write(buf, struct.pack("<qq", ns // 1_000_000_000, (ns // 1000) % 1_000_000).ljust(144, b"\0"))
        return 0

    def sys_times(self, m, buf, *_):
        ticks = self._now_ns(m, monotonic=True) // 10_000_000        # AT_CLKTCK = 100
        if buf:
            m.write(buf, struct.pack("<4q", ticks, 0, 0, 0))
        return ticks

    def sys_prlimit64(self, m, pid, resource, new, old, *_):
        if old:
            m.write(old, struct.pack("<QQ", 8 << 20, 8 << 20) if resource == 3 else
                    struct.pack("<QQ", 2**64 - 1, 2**64 - 1))
        return 0

    def sys_rseq(self, m, *_):
        # restartable sequences are an optimisation glibc probes for; without them it falls back
        return _neg(errno.ENOSYS)

    def sys_readlinkat(self, m, dirfd, path_addr, buf, size, *_):
        path = m.read_cstring(path_addr)
        if path == b"/proc/self/exe" and self.exe_path:
            data = self.exe_path[:size]
            m.write(buf, data)
            return len(data)
        return _neg(errno.ENOENT)

    def sys_faccessat(self, m, dirfd, path_addr, mode, *_):
        path = self._allowed_path(m.read_cstring(path_addr).decode(errors="replace"))
        if path is None:
            return _neg(errno.EACCES)
        return 0 if path.exists() else _neg(errno.ENOENT)

    def sys_uname(self, m, buf, *_):
        fields = [b"Linux", b"rvsim", b"6.1.0-rvsim", b"#1 rvsim", b"riscv64", b"(none)"]
        m.write(buf, b"".join(f.ljust(65, b"\0") for f in fields))
        return 0

    def sys_getrandom(self, m, buf, length, flags, *_):
        length = min(length, 1 << 20)
        m.write(buf, self.random_bytes(length))
        return length

    # ---------------------------------------------------------------- time

    def _now_ns(self, m, monotonic=False) -> int:
        if self.deterministic:
            ns = m.instret * NANOSECONDS_PER_INSTRUCTION
            return ns if monotonic else DETERMINISTIC_EPOCH_NS + ns
        return time.monotonic_ns() if monotonic else time.time_ns()

    def sys_clock_gettime(self, m, clock, ts, *_):
        ns = self._now_ns(m, monotonic=clock in (1, 2, 3, 4, 7))   # monotonic and CPU-time clocks
        m.write(ts, struct.pack("<qq", ns // 1_000_000_000, ns % 1_000_000_000))
        return 0

    def sys_clock_getres(self, m, clock, ts, *_):
        if ts:
            m.write(ts, struct.pack("<qq", 0, 1))
        return 0

    def sys_gettimeofday(self, m, tv, tz, *_):
        ns = self._now_ns(m)
        if tv:
            m.write(tv, struct.pack("<qq", ns // 1_000_000_000, (ns // 1000) % 1_000_000))
        return 0

    def sys_nanosleep(self, m, *_):
        return 0

    # ---------------------------------------------------------------- memory

    def sys_brk(self, m, addr, *_):
        if addr <= self.brk_start or addr > self.brk_limit:
            return self.brk
        old_page_end = (self.brk + PAGE - 1) & ~(PAGE - 1)
        new_page_end = (addr + PAGE - 1) & ~(PAGE - 1)
        if new_page_end > old_page_end:
            m.map(old_page_end, new_page_end - old_page_end, "rw")
        self.brk = addr
        return addr

    def sys_mmap(self, m, addr, length, prot, flags, fd, offset, *_):
        if not flags & MAP_ANONYMOUS:
            return _neg(errno.ENODEV)
        if length == 0:
            return _neg(errno.EINVAL)
        size = (length + PAGE - 1) & ~(PAGE - 1)
        if flags & MAP_FIXED:
            if addr % PAGE or addr < self.mmap_floor or addr + size > self.mmap_top:
                return _neg(errno.ENOMEM)
            start = addr
        else:
            start = self.mmap_next - size
            if start < self.mmap_floor:
                return _neg(errno.ENOMEM)
            self.mmap_next = start
        m.write(start, bytes(size))
        m.map(start, size, _perms(prot))
        self.mappings[start] = size
        return start

    def sys_munmap(self, m, addr, length, *_):
        if addr % PAGE:
            return _neg(errno.EINVAL)
        size = (length + PAGE - 1) & ~(PAGE - 1)
        if self.mmap_floor <= addr and addr + size <= self.mmap_top:
            m.map(addr, size, "")
            self.mappings.pop(addr, None)
        return 0

    def sys_mprotect(self, m, addr, length, prot, *_):
        if addr % PAGE:
            return _neg(errno.EINVAL)
        if not (self.mmap_floor <= addr < self.mmap_top or self.brk_start <= addr < self.brk):
            return 0    # program segments keep their ELF permissions
        m.map(addr, length, _perms(prot))
        return 0

    # ---------------------------------------------------------------- files

    def _fd(self, fd: int) -> _OpenFile | None:
        return self.fds.get(fd) if fd < 2**31 else None

    def _install(self, entry: _OpenFile, lowest: int = 0) -> int:
        fd = lowest
        while fd in self.fds:
            fd += 1
        if fd >= MAX_FDS:
            return _neg(errno.EMFILE)
        entry.refs += 1
        self.fds[fd] = entry
        return fd

    def _drop(self, fd: int) -> None:
        entry = self.fds.pop(fd)
        entry.refs -= 1
        if entry.refs == 0 and entry.owned:
            entry.stream.close()

    def sys_write(self, m, fd, buf, count, *_):
        f = self._fd(fd)
        if f is None or not f.writable:
            return _neg(errno.EBADF)
        data = m.read(buf, min(count, 1 << 24))
        try:
            self.emit(m, f.stream, data)
            if not f.owned:             # the host's stdout/stderr: the guest sees its output at once
                f.stream.flush()
                if data:
                    self.output_mid_line = not data.endswith(b"\n")
        except BrokenPipeError:
            return _neg(errno.EPIPE)
        except OSError as exc:
            return _neg(exc.errno or errno.EIO)
        return len(data)

    @staticmethod
    def _iovecs(m, iov, iovcnt):
        """The (base, length) pairs of a guest `struct iovec` array: two longs each (4 bytes on ilp32)."""
        fmt, size = ("<II", 8) if machine_xlen(m) == 32 else ("<QQ", 16)
        for i in range(iovcnt):
            yield struct.unpack(fmt, m.read(iov + size * i, size))

    def sys_writev(self, m, fd, iov, iovcnt, *_):
        total = 0
        for base, length in self._iovecs(m, iov, iovcnt):
            r = self.sys_write(m, fd, base, length)
            if r >= 2**63:
                return r
            total += r
        return total

    def sys_read(self, m, fd, buf, count, *_):
        f = self._fd(fd)
        if f is None or not f.readable:
            return _neg(errno.EBADF)
        reader = getattr(f.stream, "read1", f.stream.read)
        data = reader(min(count, 1 << 20))
        m.write(buf, data)
        return len(data)

    def sys_readv(self, m, fd, iov, iovcnt, *_):
        total = 0
        for base, length in self._iovecs(m, iov, iovcnt):
            r = self.sys_read(m, fd, base, length)
            if r >= 2**63:
                return r
            total += r
            if r < length:
                break
        return total

    def _positioned(self, fd, offset, io):
        f = self._fd(fd)
        if f is None:
            return _neg(errno.EBADF)
        if not f.owned:
            return _neg(errno.ESPIPE)
        if offset >= 1 << 63:
            return _neg(errno.EINVAL)
        where = f.stream.tell()
        try:
            f.stream.seek(offset)
            return io(f)
        finally:
            f.stream.seek(where)

    def sys_pread64(self, m, fd, buf, count, offset, *_):
        return self._positioned(fd, offset, lambda f: self.sys_read(m, fd, buf, count))

    def sys_pwrite64(self, m, fd, buf, count, offset, *_):
        return self._positioned(fd, offset, lambda f: self.sys_write(m, fd, buf, count))

    def sys_close(self, m, fd, *_):
        if self._fd(fd) is None:
            return _neg(errno.EBADF)
        self._drop(fd)
        return 0

    def sys_dup(self, m, fd, *_):
        f = self._fd(fd)
        return _neg(errno.EBADF) if f is None else self._install(f)

    def sys_dup3(self, m, old, new, flags, *_):
        f = self._fd(old)
        if f is None or new >= MAX_FDS:
            return _neg(errno.EBADF)
        if old == new:
            return _neg(errno.EINVAL)
        if new in self.fds:
            self._drop(new)
        f.refs += 1
        self.fds[new] = f
        return new

    def sys_fcntl(self, m, fd, cmd, arg, *_):
        f = self._fd(fd)
        if f is None:
            return _neg(errno.EBADF)
        if cmd in (F_DUPFD, F_DUPFD_CLOEXEC):
            return self._install(f, lowest=arg)
        if cmd == F_GETFD or cmd == F_SETFD:
            return 0                    # close-on-exec means nothing without exec
        if cmd == F_GETFL:
            return (2 if f.readable and f.writable else 1 if f.writable else 0) | f.append
        if cmd == F_SETFL:
            return 0
        return _neg(errno.EINVAL)

    def sys_ioctl(self, m, fd, request, *_):
        return _neg(errno.ENOTTY) if self._fd(fd) is not None else _neg(errno.EBADF)

    def _allowed_path(self, guest_path: str) -> Path | None:
        return host_path_under(self.allow_dir, guest_path)

    def sys_openat(self, m, dirfd, path_addr, flags, mode, *_):
        path = self._allowed_path(m.read_cstring(path_addr).decode(errors="replace"))
        if path is None:
            return _neg(errno.EACCES)
        accmode = flags & 3
        pymode = {0: "rb", 1: "wb", 2: "r+b"}[accmode] if accmode in (0, 1, 2) else "rb"
        if accmode and not flags & O_CREAT and not path.exists():
            return _neg(errno.ENOENT)
        if flags & O_APPEND:
            pymode = "ab" if accmode == 1 else "a+b"
        try:
            stream = open(path, pymode)
        except OSError as exc:
            return _neg(exc.errno or errno.EIO)
        entry = _OpenFile(stream, readable=accmode in (0, 2), writable=accmode in (1, 2), owned=True,
                          append=flags & O_APPEND)
        fd = self._install(entry)
        if fd >= 2**63:
            stream.close()
        return fd

    def sys_lseek(self, m, fd, offset, whence, *_):
        f = self._fd(fd)
        if f is None:
            return _neg(errno.EBADF)
        if not f.owned:
            return _neg(errno.ESPIPE)
        offset -= (1 << 64) if offset >= 1 << 63 else 0
        if whence not in (os.SEEK_SET, os.SEEK_CUR, os.SEEK_END):
            return _neg(errno.EINVAL)
        try:
            return f.stream.seek(offset, whence)
        except OSError as exc:
            return _neg(exc.errno or errno.EINVAL)

    def _stat_of_fd(self, fd: int) -> bytes | int:
        f = self._fd(fd)
        if f is None:
            return _neg(errno.EBADF)
        if not f.owned:
            return _linux_stat(stat_module.S_IFCHR | 0o620, 0)
        return _linux_stat_of(os.fstat(f.stream.fileno()), self.deterministic)

    def sys_fstat(self, m, fd, buf, *_):
        st = self._stat_of_fd(fd)
        if isinstance(st, int):
            return st
        m.write(buf, st)
        return 0

    def sys_newfstatat(self, m, dirfd, path_addr, buf, flags, *_):
        guest_path = m.read_cstring(path_addr).decode(errors="replace")
        if not guest_path:
            if not flags & AT_EMPTY_PATH:
                return _neg(errno.ENOENT)
            st = self._stat_of_fd(dirfd)
        else:
            path = self._allowed_path(guest_path)
            if path is None:
                return _neg(errno.EACCES)
            try:
                st = _linux_stat_of(os.stat(path, follow_symlinks=not flags & AT_SYMLINK_NOFOLLOW),
                                    self.deterministic)
            except OSError as exc:
                return _neg(exc.errno or errno.EIO)
        if isinstance(st, int):
            return st
        m.write(buf, st)
        return 0

    def sys_getcwd(self, m, buf, size, *_):
        # the allowed directory is the guest's root and working directory; without one, "/"
        if size < 2:
            return _neg(errno.ERANGE)
        m.write(buf, b"/\0")
        return 2


    # ---------------------------------------------------------------- calls of both XLENs

    def _statx_of(self, m, dirfd, guest_path: str, flags) -> bytes | int:
        if not guest_path:
            if not flags & AT_EMPTY_PATH:
                return _neg(errno.ENOENT)
            f = self._fd(dirfd)
            if f is None:
                return _neg(errno.EBADF)
            if not f.owned:
                return _linux_statx(stat_module.S_IFCHR | 0o620, 0)
            st = os.fstat(f.stream.fileno())
        else:
            path = self._allowed_path(guest_path)
            if path is None:
                return _neg(errno.EACCES)
            st = os.stat(path, follow_symlinks=not flags & AT_SYMLINK_NOFOLLOW)
        return _linux_statx(st.st_mode, st.st_size, ino=st.st_ino & MASK64, nlink=st.st_nlink,
                            **_file_times(st, self.deterministic))

    def sys_statx(self, m, dirfd, path_addr, flags, mask, buf, *_):
        """statx (291), the only stat of rv32 Linux (glibc's fstat, stat and fstatat call it)."""
        dirfd &= 0xFFFFFFFF
        dirfd -= (dirfd >> 31) << 32
        st = self._statx_of(m, dirfd, m.read_cstring(path_addr).decode(errors="replace"), flags)
        if isinstance(st, int):
            return st
        m.write(buf, st)
        return 0

    def sys_ppoll(self, m, fds, nfds, timeout, sigmask, *_):
        """One process, no waiting: the descriptors open for reading are readable, those for writing
        writable; the rest get POLLNVAL.  Returns how many have an event."""
        if nfds > MAX_FDS:
            return _neg(errno.EINVAL)
        ready = 0
        for i in range(nfds):
            fd, events = struct.unpack("<iH", m.read(fds + 8 * i, 6))
            if fd < 0:
                revents = 0
            else:
                f = self._fd(fd)
                revents = 0x20 if f is None else \
                    (events & 1 if f.readable else 0) | (events & 4 if f.writable else 0)   # POLLIN, POLLOUT
            m.write(fds + 8 * i + 6, struct.pack("<H", revents))
            ready += revents != 0
        return ready

    sys_ppoll_time64 = sys_ppoll           # struct __kernel_timespec is 64-bit on both

    def sys_clock_nanosleep(self, m, clock, flags, request, remain, *_):
        return 0

    sys_clock_nanosleep_time64 = sys_clock_nanosleep
    sys_clock_gettime64 = sys_clock_gettime    # struct __kernel_timespec: two 64-bit fields, as on rv64
    sys_clock_getres_time64 = sys_clock_getres
    sys_futex_time64 = sys_futex

    # ---------------------------------------------------------------- rv32 (ilp32) layouts

    def sys32_sysinfo(self, m, buf, *_):
        # struct sysinfo with 32-bit longs: 64 bytes, mem_unit at 52
        uptime = self._now_ns(m, monotonic=True) // 1_000_000_000
        total = min(m.memory_size, MASK32)
        free = min(max(0, (self.mmap_next - self.mmap_floor) + (self.brk_limit - self.brk)), MASK32)
        m.write(buf, struct.pack("<i3I6IHHIII8x", uptime, 0, 0, 0, total, free, 0, 0, 0, 0, 1, 0, 0, 0, 1))
        return 0

    def sys32_getrusage(self, m, who, buf, *_):
        # struct rusage with 32-bit longs (two struct timeval of 32-bit fields, 14 longs): 72 bytes
        ns = self._now_ns(m, monotonic=True)
        m.write(buf, struct.pack("<ii", (ns // 1_000_000_000) & 0x7FFFFFFF, (ns // 1000) % 1_000_000)
                .ljust(72, b"\0"))
        return 0

    def sys32_times(self, m, buf, *_):
        ticks = (self._now_ns(m, monotonic=True) // 10_000_000) & 0x7FFFFFFF     # clock_t is a long
        if buf:
            m.write(buf, struct.pack("<4i", ticks, 0, 0, 0))
        return ticks

    def sys32_uname(self, m, buf, *_):
        fields = [b"Linux", b"rvsim", b"6.1.0-rvsim", b"#1 rvsim", b"riscv32", b"(none)"]
        m.write(buf, b"".join(f.ljust(65, b"\0") for f in fields))
        return 0

    def sys32_sched_getaffinity(self, m, pid, size, mask, *_):
        if size < 4:
            return _neg(errno.EINVAL)
        m.write(mask, (1).to_bytes(4, "little"))     # one hart; the mask is in 32-bit longs
        return 4

    def sys32_pread64(self, m, fd, buf, count, off_lo, off_hi, *_):
        # a 64-bit argument takes two registers, low word first (no even-pair alignment on RISC-V)
        return self.sys_pread64(m, fd, buf, count, off_lo | off_hi << 32)

    def sys32_pwrite64(self, m, fd, buf, count, off_lo, off_hi, *_):
        return self.sys_pwrite64(m, fd, buf, count, off_lo | off_hi << 32)

    def sys32_llseek(self, m, fd, off_hi, off_lo, result, whence, *_):
        """_llseek(fd, offset_high, offset_low, loff_t *result, whence): rv32's lseek (62)."""
        offset = off_hi << 32 | off_lo
        pos = self.sys_lseek(m, fd, offset, whence)
        if pos >= 2**63:
            return pos
        m.write(result, pos.to_bytes(8, "little"))
        return 0

    def sys32_mmap2(self, m, addr, length, prot, flags, fd, pgoffset, *_):
        # mmap2: the offset counts 4096-byte pages (anonymous mappings only, as for mmap)
        return self.sys_mmap(m, addr, length, prot, flags, fd, pgoffset * PAGE)


def _linux_statx(mode: int, size: int, *, ino: int = 1, nlink: int = 1, mtime_ns: int = 0,
                 atime_ns: int = 0, ctime_ns: int = 0) -> bytes:
    """struct statx (include/uapi/linux/stat.h, the same on every architecture): 256 bytes; every basic
    field filled (stx_mask = STATX_BASIC_STATS)."""
    def ts(ns):
        return ns // 1_000_000_000, ns % 1_000_000_000, 0
    return struct.pack("<IIQIIIHHQQQQqIiqIiqIiqIiIIIIQII96x", 0x7FF, 4096, 0, nlink, 1000, 1000, mode & 0xFFFF,
                       0, ino, size, (size + 511) // 512, 0, *ts(atime_ns), *ts(0), *ts(ctime_ns),
                       *ts(mtime_ns), 0, 0, 0, 0, 0, 0, 0)


class _OpenFile:
    """An open file description: several descriptors share one after dup."""

    def __init__(self, stream, *, readable: bool, writable: bool, owned: bool, append: int = 0):
        self.stream = stream
        self.readable = readable
        self.writable = writable
        self.owned = owned          # rvsim opened it (the host's stdio streams are only borrowed)
        self.append = append
        self.refs = 0


def _linux_stat(mode: int, size: int, *, ino: int = 1, nlink: int = 1, mtime_ns: int = 0,
                atime_ns: int = 0, ctime_ns: int = 0) -> bytes:
    """struct stat of the riscv64 (asm-generic) ABI: 128 bytes."""
    def ts(ns):
        return ns // 1_000_000_000, ns % 1_000_000_000
    return struct.pack("<QQIIIIQQqiiqqqqqqqII", 0, ino, mode, nlink, 1000, 1000, 0, 0, size, 4096, 0,
                       (size + 511) // 512, *ts(atime_ns), *ts(mtime_ns), *ts(ctime_ns), 0, 0)


def _file_times(st: os.stat_result, deterministic: bool) -> dict[str, int]:
    """A host file's times as the guest sees them.  Deterministic runs see the modification time as all
    three: the access time changes as soon as anything reads the file (this run included), and the
    status-change time with any metadata change, so the same program on the same files would
    otherwise see different bytes from run to run."""
    if deterministic:
        return {"mtime_ns": st.st_mtime_ns, "atime_ns": st.st_mtime_ns, "ctime_ns": st.st_mtime_ns}
    return {"mtime_ns": st.st_mtime_ns, "atime_ns": st.st_atime_ns, "ctime_ns": st.st_ctime_ns}


def _linux_stat_of(st: os.stat_result, deterministic: bool) -> bytes:
    """The guest's view of a host file's stat: type, permissions, size, times (owner: the guest user)."""
    return _linux_stat(st.st_mode, st.st_size, ino=st.st_ino & (2**64 - 1), nlink=st.st_nlink,
                       **_file_times(st, deterministic))


def _perms(prot: int) -> str:
    return ("r" if prot & PROT_READ else "") + ("w" if prot & PROT_WRITE else "") + \
           ("x" if prot & PROT_EXEC else "")


class _Exit:
    def __init__(self, code: int):
        self.code = code


class HtifEnvironment(HostEnvironment):
    """HTIF: ``tohost`` writes from bare-metal programs (riscv-tests, the Spike/pk convention)."""

    def __init__(self, tohost: int, fromhost: int | None, stdout=None, max_output: int | None = None):
        self.max_output = max_output
        self.tohost = tohost
        self.fromhost = fromhost
        self.stdout = stdout if stdout is not None else binary_stream(sys.stdout)

    def htif(self, machine, value: int) -> int | None:
        try:
            return self._request(machine, value)
        except ValueError as exc:         # tohost, its block or a buffer outside guest memory
            from .errors import SimulationError
            raise SimulationError(f"HTIF request {value:#x}: {exc}", pc=machine.pc) from None

    def _request(self, machine, value: int) -> int | None:
        machine.write(self.tohost, bytes(8))
        device, command = value >> 56, (value >> 48) & 0xFF
        payload = value & ((1 << 48) - 1)
        if device == 0 and command == 0:
            if payload & 1:
                return payload >> 1
            # a pointer to a system-call block: [number, arg0, arg1, arg2, ...]
            which, a0, a1, a2 = struct.unpack("<4Q", machine.read(payload, 32))
            result = 0
            if which == 64 and a0 in (1, 2):                 # write(fd, buf, len)
                self.emit(machine, self.stdout, machine.read(a1, min(a2, 1 << 24)))
                self.stdout.flush()
                result = a2
            elif which == 93:                                 # exit(code)
                return a0 & 0xFF
            else:
                result = _neg(errno.ENOSYS)
            machine.write(payload, result.to_bytes(8, "little"))
        elif device == 1 and command == 1:                    # console putchar
            self.emit(machine, self.stdout, bytes([payload & 0xFF]))
            self.stdout.flush()
        if self.fromhost is not None:
            machine.write(self.fromhost, (1).to_bytes(8, "little"))
        return None

    def ecall(self, machine) -> int | None:
        return None


# ---------------------------------------------------------------------------------- semihosting

SEMIHOSTING_SEQUENCE = bytes.fromhex("1310f001" "73001000" "13507040")  # slli x0,x0,31; ebreak; srai x0,x0,7
SH_OPEN, SH_CLOSE, SH_WRITEC, SH_WRITE0, SH_WRITE, SH_READ, SH_READC = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
SH_ISERROR, SH_ISTTY, SH_SEEK, SH_FLEN, SH_TMPNAM, SH_REMOVE, SH_RENAME = 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x0E, 0x0F
SH_CLOCK, SH_TIME, SH_SYSTEM, SH_ERRNO, SH_GET_CMDLINE, SH_HEAPINFO = 0x10, 0x11, 0x12, 0x13, 0x15, 0x16
SH_EXIT, SH_EXIT_EXTENDED, SH_ELAPSED, SH_TICKFREQ = 0x18, 0x20, 0x30, 0x31
ADP_STOPPED_APPLICATION_EXIT = 0x20026
SH_FEATURES = b"SHFB\x03"     # magic, then SH_EXT_EXIT_EXTENDED | SH_EXT_STDOUT_STDERR
SH_FOPEN_MODES = ("rb", "rb", "r+b", "r+b", "wb", "wb", "w+b", "w+b", "ab", "ab", "a+b", "a+b")
SEMIHOSTING_TICK_HZ = 1_000_000_000   # SYS_ELAPSED ticks: nanoseconds of the (deterministic) clock


class SemihostEnvironment(HostEnvironment):
    """RISC-V semihosting for bare-metal programs (the RISC-V semihosting spec, which adopts the ARM
    semihosting calls): console I/O on the host's stdin/stdout/stderr (":tt"), files under
    ``allow_dir`` only, the command line, clocks (deterministic unless ``deterministic=False``) and exit.
    A semihosting call is the three-instruction sequence ``slli x0,x0,0x1f; ebreak; srai x0,x0,7``:
    a0 holds the operation, a1 its argument (usually a block of 64-bit words), and the result goes to
    a0.  Any other ebreak is a breakpoint trap for the guest."""

    ebreak_traps = True     # ebreaks it does not service are the guest's breakpoint traps

    def __init__(self, *, stdin=None, stdout=None, stderr=None, allow_dir=None, deterministic=True,
                 warn=None, max_output: int | None = None):
        self.max_output = max_output
        self.argv: list[str] = []                 # the command line: set by the loader (attach)
        self.stdin = stdin if stdin is not None else binary_stream(sys.stdin)
        self.stdout = stdout if stdout is not None else binary_stream(sys.stdout)
        self.stderr = stderr if stderr is not None else binary_stream(sys.stderr)
        self.allow_dir = Path(allow_dir).resolve() if allow_dir else None
        self.deterministic = deterministic
        self._warn = warn or (lambda msg: print(f"rvsim: {msg}", file=sys.stderr))
        self._warned: set[int] = set()
        self.errno = 0
        # handle -> a host stream (or the features blob); 0, 1 and 2 are the console from the start, as
        # in QEMU, so a file's handle never looks like a standard descriptor to the guest's libc
        self.handles: dict[int, object] = {0: self.stdin, 1: self.stdout, 2: self.stderr}
        self.start_time_ns = time.time_ns()

    def ecall(self, machine) -> int | None:
        return None

    def attach(self, machine, prog) -> None:
        """Called by the loader: the program's command line, for SYS_GET_CMDLINE."""
        self.argv = [os.fsdecode(a) for a in prog.argv]

    # ---------------------------------------------------------------- dispatch

    def ebreak(self, machine):
        pc = machine.pc
        try:
            around = machine.read(pc - 4, 12)
        except ValueError:
            return NotImplemented
        if around != SEMIHOSTING_SEQUENCE:
            return NotImplemented
        x = machine._hart.x
        # RV32 follows AArch32's conventions: parameter blocks of 4-byte fields, a 32-bit result
        self.xlen = machine_xlen(machine)
        mask = MASK32 if self.xlen == 32 else MASK64
        op, arg = int(x[10]) & mask, int(x[11]) & mask
        handler = self._HANDLERS.get(op)
        machine.pc = pc + 4               # resume at the srai that closes the sequence
        if handler is None:
            if op not in self._warned:
                self._warned.add(op)
                self._warn(f"semihosting call {op:#x} is not implemented; returning -1")
            x[10] = MASK64             # -1, whatever the XLEN (RV32 registers are held sign-extended)
            return None
        try:
            result = handler(self, machine, arg)
        except ValueError:                # a pointer outside guest memory
            self.errno = errno.EFAULT
            result = -1
        except OverflowError:             # a number too large for the host's call
            self.errno = errno.EINVAL
            result = -1
        except OSError as exc:            # what the host's file system answered
            self.errno = exc.errno or errno.EIO
            result = -1
        if isinstance(result, _Exit):
            return result.code
        if self.xlen == 32:
            result &= MASK32
            result -= (result >> 31) << 32
        x[10] = result & MASK64
        return None

    xlen = 64                 # of the machine making the current call (set by ebreak)

    @property
    def _field(self) -> int:
        return self.xlen // 8

    def _words(self, m, addr: int, n: int) -> tuple[int, ...]:
        """The first ``n`` fields of a parameter block: XLEN-wide words."""
        return struct.unpack(f"<{n}{'I' if self.xlen == 32 else 'Q'}", m.read(addr, self._field * n))

    def _fail(self, err: int) -> int:
        self.errno = err
        return -1

    def _new_handle(self, stream) -> int:
        h = 0
        while h in self.handles:
            h += 1
        self.handles[h] = stream
        return h

    # ---------------------------------------------------------------- files and console

    def sh_open(self, m, arg):
        name_addr, mode, length = self._words(m, arg, 3)
        name = m.read(name_addr, length).decode(errors="replace")
        if mode >= len(SH_FOPEN_MODES):
            return self._fail(errno.EINVAL)
        if name == ":tt":
            stream = self.stdin if mode < 4 else self.stdout if mode < 8 else self.stderr
            return self._new_handle(stream)
        if name == ":semihosting-features":
            return self._new_handle(io.BytesIO(SH_FEATURES)) if mode < 4 else self._fail(errno.EACCES)
        path = self._host_path(name)
        if path is None:
            return self._fail(errno.EACCES)
        try:
            return self._new_handle(open(path, SH_FOPEN_MODES[mode]))
        except OSError as exc:
            return self._fail(exc.errno or errno.EIO)

    def _host_path(self, guest_path: str) -> Path | None:
        return host_path_under(self.allow_dir, guest_path)

    def _is_console(self, stream) -> bool:
        return stream is self.stdin or stream is self.stdout or stream is self.stderr

    def sh_close(self, m, arg):
        (handle,) = self._words(m, arg, 1)
        stream = self.handles.pop(handle, None)
        if stream is None:
            return self._fail(errno.EBADF)
        if not self._is_console(stream):
            stream.close()
        return 0

    def sh_writec(self, m, arg):
        self.emit(m, self.stdout, m.read(arg, 1))
        self.stdout.flush()
        return 0

    def sh_write0(self, m, arg):
        self.emit(m, self.stdout, m.read_cstring(arg, limit=1 << 20))
        self.stdout.flush()
        return 0

    def sh_write(self, m, arg):
        handle, buf, length = self._words(m, arg, 3)
        stream = self.handles.get(handle)
        if stream is None:
            self.errno = errno.EBADF
            return length                   # the bytes not written
        try:
            self.emit(m, stream, m.read(buf, min(length, 1 << 24)))
            if self._is_console(stream):
                stream.flush()
        except (OSError, io.UnsupportedOperation):
            self.errno = errno.EIO
            return length
        return 0

    def sh_read(self, m, arg):
        handle, buf, length = self._words(m, arg, 3)
        stream = self.handles.get(handle)
        if stream is None:
            self.errno = errno.EBADF
            return -1
        reader = getattr(stream, "read1", stream.read) if self._is_console(stream) else stream.read
        try:
            data = reader(min(length, 1 << 20))
        except (OSError, io.UnsupportedOperation):
            return self._fail(errno.EIO)
        m.write(buf, data)
        return length - len(data)           # the bytes not read (all of them at end of file)

    def sh_readc(self, m, arg):
        data = self.stdin.read(1)
        return data[0] if data else -1

    def sh_iserror(self, m, arg):
        (status,) = self._words(m, arg, 1)
        return int(status >> (self.xlen - 1) != 0)

    def sh_istty(self, m, arg):
        (handle,) = self._words(m, arg, 1)
        stream = self.handles.get(handle)
        if stream is None:
            return self._fail(errno.EBADF)
        return int(self._is_console(stream))

    def sh_seek(self, m, arg):
        handle, pos = self._words(m, arg, 2)
        stream = self.handles.get(handle)
        if stream is None or self._is_console(stream):
            return self._fail(errno.EBADF if stream is None else errno.ESPIPE)
        stream.seek(pos)
        return 0

    def sh_flen(self, m, arg):
        (handle,) = self._words(m, arg, 1)
        stream = self.handles.get(handle)
        if stream is None or self._is_console(stream):
            return self._fail(errno.EBADF)
        if isinstance(stream, io.BytesIO):
            return len(stream.getvalue())
        return os.fstat(stream.fileno()).st_size

    def sh_remove(self, m, arg):
        name_addr, length = self._words(m, arg, 2)
        path = self._host_path(m.read(name_addr, length).decode(errors="replace"))
        if path is None:
            return self._fail(errno.EACCES)
        try:
            path.unlink()
        except OSError as exc:
            return self._fail(exc.errno or errno.EIO)
        return 0

    def sh_rename(self, m, arg):
        old_addr, old_len, new_addr, new_len = self._words(m, arg, 4)
        old = self._host_path(m.read(old_addr, old_len).decode(errors="replace"))
        new = self._host_path(m.read(new_addr, new_len).decode(errors="replace"))
        if old is None or new is None:
            return self._fail(errno.EACCES)
        try:
            old.rename(new)
        except OSError as exc:
            return self._fail(exc.errno or errno.EIO)
        return 0

    # ---------------------------------------------------------------- process and time

    def _elapsed_ns(self, m) -> int:
        return m.instret * NANOSECONDS_PER_INSTRUCTION if self.deterministic else \
            time.time_ns() - self.start_time_ns

    def sh_clock(self, m, arg):
        return self._elapsed_ns(m) // 10_000_000          # centiseconds since the start

    def sh_time(self, m, arg):
        ns = DETERMINISTIC_EPOCH_NS + self._elapsed_ns(m) if self.deterministic else time.time_ns()
        return ns // 1_000_000_000

    def sh_elapsed(self, m, arg):
        m.write(arg, struct.pack("<Q", self._elapsed_ns(m)))
        return 0

    def sh_tickfreq(self, m, arg):
        return SEMIHOSTING_TICK_HZ

    def sh_system(self, m, arg):
        return self._fail(errno.EPERM)                     # no host commands from a guest

    def sh_errno(self, m, arg):
        return self.errno

    def sh_get_cmdline(self, m, arg):
        buf, size = self._words(m, arg, 2)
        line = " ".join(self.argv).encode()
        if len(line) + 1 > size:
            return self._fail(errno.E2BIG)
        m.write(buf, line + b"\0")
        m.write(arg + self._field, len(line).to_bytes(self._field, "little"))
        return 0

    def sh_heapinfo(self, m, arg):
        (block,) = self._words(m, arg, 1)
        m.write(block, bytes(4 * self._field))     # "unknown": the program uses its linker symbols
        return 0

    def sh_exit(self, m, arg):
        # RV64: a1 points at (reason, subcode); an application exit carries the exit code.  RV32 (as
        # AArch32): a1 is the reason itself and an application exit is status 0 (SYS_EXIT_EXTENDED is
        # the call that carries a code there)
        if self.xlen == 32:
            return _Exit(0 if arg == ADP_STOPPED_APPLICATION_EXIT else 1)
        return self.sh_exit_extended(m, arg)

    def sh_exit_extended(self, m, arg):
        # a1 points at (reason, subcode) on either XLEN
        reason, subcode = self._words(m, arg, 2)
        return _Exit(subcode & 0xFF if reason == ADP_STOPPED_APPLICATION_EXIT else 1)

    _HANDLERS = {SH_OPEN: sh_open, SH_CLOSE: sh_close, SH_WRITEC: sh_writec, SH_WRITE0: sh_write0,
                 SH_WRITE: sh_write, SH_READ: sh_read, SH_READC: sh_readc, SH_ISERROR: sh_iserror,
                 SH_ISTTY: sh_istty, SH_SEEK: sh_seek, SH_FLEN: sh_flen, SH_REMOVE: sh_remove,
                 SH_RENAME: sh_rename, SH_CLOCK: sh_clock, SH_TIME: sh_time, SH_SYSTEM: sh_system,
                 SH_ERRNO: sh_errno, SH_GET_CMDLINE: sh_get_cmdline, SH_HEAPINFO: sh_heapinfo,
                 SH_EXIT: sh_exit, SH_EXIT_EXTENDED: sh_exit_extended, SH_ELAPSED: sh_elapsed,
                 SH_TICKFREQ: sh_tickfreq}
