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


def test_every_known_band_choice_is_datasketch_s() -> None:
    from datasketch import MinHashLSH

    from crawler.dedup.sketchlib import KNOWN_BANDS

    for (threshold, num_perm), bands in KNOWN_BANDS.items():
        plain = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert (plain.b, plain.r) == bands, (threshold, num_perm)


def test_the_default_parameters_cover_the_known_choices() -> None:
    from crawler.dedup.params import DedupParams
    from crawler.dedup.sketchlib import KNOWN_BANDS
    from crawler.stories import StoryParams

    dedup, stories = DedupParams(), StoryParams()
    assert {(dedup.lsh_threshold, dedup.num_perm), (dedup.body_lsh_threshold,
            dedup.body_num_perm), (stories.lsh_threshold, stories.lsh_num_perm)} == set(
                KNOWN_BANDS)


# The indexes policywire dedup builds with its default parameters: the near-duplicate
# window (titles, bodies) and the story layer's (held stories, a batch's own pairs).
_DEFAULT_INDEXES = """
import json, sys
import numpy as np
from crawler.dedup.params import DedupParams
from crawler.dedup.window import new_window
from crawler.stories import StoryParams
from crawler.stories.bands import StoryBands
from crawler.stories.candidates import batch_pairs
params, stories = DedupParams(), StoryParams()
window = new_window(params, params.title_signer(), params.body_signer(), None)
StoryBands(stories)
batch_pairs(np.zeros((2, stories.lsh_num_perm), dtype=np.uint64), stories, np.arange(2))
print(json.dumps(["scipy.integrate" in sys.modules, window.title.bands, window.body.bands]))
"""


def test_the_default_indexes_choose_their_bands_without_scipy_integrate() -> None:
    # Before KNOWN_BANDS each of them integrated: scipy.integrate imported (~0.34 CPU s).
    imported, titles, bodies = _run(_DEFAULT_INDEXES)
    assert imported is False
    assert [titles, bodies] == [[24, 1], [16, 4]]
