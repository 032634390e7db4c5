"""CPU time from /proc (Linux): a process tree, a Postgres cluster, the whole machine.

A Postgres cluster's CPU is every process the postmaster started (backends, background
workers, autovacuum, the checkpointer, ...) plus the postmaster itself; the time of a
backend that exits is kept in the postmaster's cumulative children time, so a pool that
closes connections during a window loses nothing. Resolution: one clock tick (10 ms).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces: split after its closing parenthesis
    return raw[raw.rindex(")") + 2 :].split()


def process_cpu(pid: int, *, children: bool = True) -> float:
    """CPU seconds of `pid` (user + system), with its reaped children's when `children`."""
    f = _stat_fields(pid)
    if f is None:
        return 0.0
    # after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    ticks = int(f[11]) + int(f[12])
    if children:
        ticks += int(f[13]) + int(f[14])
    return ticks / TICK


def _all_pids() -> Iterable[int]:
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            yield int(entry.name)


def tree_cpu(root: int) -> float:
    """CPU seconds of `root`, its live descendants and every child it has reaped."""
    parents: dict[int, int] = {}
    for pid in _all_pids():
        f = _stat_fields(pid)
        if f is not None:
            parents[pid] = int(f[1])
    total = process_cpu(root)
    for pid in parents:
        p = parents.get(pid)
        while p is not None and p not in (0, 1, root):
            p = parents.get(p)
        if p == root and pid != root:
            total += process_cpu(pid, children=False)
    return total


def postmaster_pid(datadir: Path) -> int:
    return int((datadir / "postmaster.pid").read_text().split()[0])


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores) since boot."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


def loadavg() -> tuple[float, float, float]:
    one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    return float(one), float(five), float(fifteen)


@dataclass(frozen=True)
class CpuSample:
    """One reading of every counter a window needs."""

    workers: float
    postgres: float
    endpoint: float
    me: float
    machine: float


@dataclass(frozen=True)
class CpuWindow:
    """CPU seconds spent in a window by each party, and the rest of the machine."""

    seconds: float
    workers: float
    postgres: float
    endpoint: float
    others: float  # every other process of the machine (the lead, other helpers, ...)
    machine: float

    def cores(self, cpu_s: float) -> float:
        return cpu_s / self.seconds if self.seconds > 0 else 0.0


def sample(worker_pids: Iterable[int], postmaster: int, endpoint: int) -> CpuSample:
    return CpuSample(
        workers=sum(tree_cpu(p) for p in worker_pids),
        postgres=tree_cpu(postmaster),
        endpoint=process_cpu(endpoint),
        me=process_cpu(os.getpid(), children=False),
        machine=machine_busy(),
    )


def window(before: CpuSample, after: CpuSample, seconds: float) -> CpuWindow:
    workers = after.workers - before.workers
    postgres = after.postgres - before.postgres
    endpoint = after.endpoint - before.endpoint
    me = after.me - before.me
    machine = after.machine - before.machine
    others = max(0.0, machine - workers - postgres - endpoint - me)
    return CpuWindow(seconds, workers, postgres, endpoint, others, machine)
