"""How many CPUs this process may use: those its affinity mask allows (a container's cpuset
or ``taskset`` limits them), not the machine's count."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """The CPUs this process may run on (the machine's count where there is no mask)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
