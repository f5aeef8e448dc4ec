"""usable_cpus: the affinity mask counts, not the machine."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crawler.cpus import usable_cpus


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="affinity is Linux's")
def test_a_process_held_to_one_cpu_counts_one_and_extracts_inline() -> None:
    assert usable_cpus() == len(os.sched_getaffinity(0))
    first = min(os.sched_getaffinity(0))
    script = (f"import os; os.sched_setaffinity(0, {{{first}}}); "
              "from crawler.cpus import usable_cpus; from crawler.spiders.pool import "
              "default_workers; print(usable_cpus(), default_workers())")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True).stdout.split()
    assert out == ["1", "0"]  # one CPU: no extraction pool beside the reactor
