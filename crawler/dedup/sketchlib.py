"""datasketch imported without scipy.integrate, which it loads for one call we make late.

datasketch 2.0's ``lsh`` and ``lsh_bloom`` modules import ``scipy.integrate.quad`` at their
top, and its package imports both: ~0.42 CPU s of a ~0.53 s ``import datasketch``. We need
``quad`` only where ``MinHashLSH(threshold, num_perm)`` chooses its bands, i.e. when an
index is built, which ``policywire dedup`` does after its input worker forked (the worker
never builds one); before it, every process start ran the import on one core.
:func:`import_datasketch` lets datasketch bind a stand-in ``quad`` that imports the real
one on its first call: the bands, and so every output, stay what they were.
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
