"""datasketch without scipy.integrate until a band choice needs it."""

from __future__ import annotations

import json
import subprocess
import sys

# A fresh interpreter: this test session has long imported both.
_PROBE = """
import json, sys
import crawler.dedup.params
before = "scipy.integrate" in sys.modules
from crawler.dedup.lsh import BandIndex
index = BandIndex(threshold=0.5, num_perm=128)
print(json.dumps([before, "scipy.integrate" in sys.modules, index.b, index.r]))
"""

# The bands datasketch chooses with scipy imported the ordinary way.
_PLAIN = """
import json
from datasketch import MinHashLSH
plain = MinHashLSH(threshold=0.5, num_perm=128)
print(json.dumps([plain.b, plain.r]))
"""


def _run(code: str) -> list[object]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    result: list[object] = json.loads(done.stdout)
    return result


def test_scipy_integrate_loads_only_when_an_index_chooses_its_bands() -> None:
    before, after, bands, rows = _run(_PROBE)
    assert before is False
    assert after is True
    assert [bands, rows] == _run(_PLAIN)
