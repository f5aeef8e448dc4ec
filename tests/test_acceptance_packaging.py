"""`pip install .` from a fresh clone: what pyproject.toml asks of the build backend holds."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _lower_bound(requirement: str) -> tuple[int, ...]:
    found = re.search(r">=\s*([0-9.]+)", requirement)
    assert found is not None, requirement
    return tuple(int(part) for part in found.group(1).split("."))


def test_a_license_given_as_an_spdx_string_asks_for_a_setuptools_that_reads_it() -> None:
    # PEP 639's `license = "MIT"` is read from setuptools 77 on; setuptools 68-76 stop the
    # build with "project.license must be valid exactly by one definition" (a build without
    # isolation, or behind an index that pins setuptools, takes the lowest version allowed).
    assert isinstance(PYPROJECT["project"]["license"], str)
    [setuptools] = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    assert _lower_bound(setuptools) >= (77,)
