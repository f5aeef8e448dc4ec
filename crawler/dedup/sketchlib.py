"""datasketch imported without scipy.integrate, which it loads for one call we make late.

datasketch 2.0's ``lsh`` and ``lsh_bloom`` modules import ``scipy.integrate.quad`` at their
top, and its package imports both: ~0.42 CPU s of a ~0.53 s ``import datasketch``. We need
``quad`` only where ``MinHashLSH(threshold, num_perm)`` chooses its bands, i.e. when an
index is built, which ``policywire dedup`` does after its input worker forked (the worker
never builds one); before it, every process start ran the import on one core.
:func:`import_datasketch` lets datasketch bind a stand-in ``quad`` that imports the real
one on its first call: the bands, and so every output, stay what they were.
:func:`band_choice` answers the parameters policywire's indexes use by default from a
table (:data:`KNOWN_BANDS`), with no integration: then scipy.integrate is never imported.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

_SCIPY_INTEGRATE = "scipy.integrate"


def quad(*args: Any, **kwargs: Any) -> Any:
    """``scipy.integrate.quad``, imported on the first call."""
    return import_module(_SCIPY_INTEGRATE).quad(*args, **kwargs)


#: datasketch's band choice, (bands, rows per band), of ``MinHashLSH(threshold, num_perm)``
#: for the indexes ``policywire dedup`` builds with the default parameters: the
#: near-duplicate layer's title and body indexes and the story layer's. Choosing integrates
#: (scipy.integrate.quad): its import alone cost ~0.34 CPU s in each process that builds an
#: index (the main process, and the story clusterer's after the fork; measured in
#: benchmarks/README.md). tests/dedup/test_sketchlib.py checks every entry against
#: datasketch's own choice.
KNOWN_BANDS: dict[tuple[float, int], tuple[int, int]] = {
    (0.05, 24): (24, 1),  # DedupParams: lsh_threshold, num_perm (titles)
    (0.4, 64): (16, 4),  # DedupParams: body_lsh_threshold, body_num_perm
    (0.1, 32): (15, 1),  # StoryParams: lsh_threshold, lsh_num_perm
}


def band_choice(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) datasketch's ``MinHashLSH(threshold, num_perm)`` chooses:
    from :data:`KNOWN_BANDS` when it holds them, else chosen by datasketch."""
    known = KNOWN_BANDS.get((threshold, num_perm))
    if known is not None:
        return known
    # datasketch is loaded already (import_datasketch, crawler.dedup's first import).
    plain = import_module("datasketch").MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(plain.b), int(plain.r)


def import_datasketch() -> None:
    """Import datasketch with :func:`quad` in place of scipy's (once; a no-op when
    datasketch or scipy.integrate is already loaded: the real one is bound then)."""
    if "datasketch" in sys.modules or _SCIPY_INTEGRATE in sys.modules:
        return
    stand_in = types.ModuleType(_SCIPY_INTEGRATE)
    stand_in.quad = quad  # type: ignore[attr-defined]
    sys.modules[_SCIPY_INTEGRATE] = stand_in
    try:
        import_module("datasketch")
    finally:
        # The real module loads on quad's first call, not this stand-in.
        if sys.modules.get(_SCIPY_INTEGRATE) is stand_in:
            del sys.modules[_SCIPY_INTEGRATE]
