"""Dependency floors that keep known advisories out of a fresh install."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

import pytest

from tests.conftest import REPO

REQUIRES = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
    "project"]["dependencies"]


def _floor(name: str) -> tuple[int, ...]:
    [found] = [re.search(r">=\s*([0-9.]+)", r) for r in REQUIRES
               if re.match(rf"{name}\s*[<>=!~]", r, re.IGNORECASE)]
    assert found is not None, name
    return tuple(int(part) for part in found.group(1).split("."))


@pytest.mark.parametrize(("name", "least", "why"), [
    # lxml < 6.1: iterparse() and ETCompatXMLParser() read local files named by external
    # entities (CVE-2026-41066) unless told not to (every caller today tells them).
    ("lxml", (6, 1), "CVE-2026-41066"),
    # Scrapy < 2.13.4 inflated brotli without an output cap (CVE-2025-6176); 2.19 is the
    # line whose private hooks crawler.middlewares and crawler.politeness override.
    ("scrapy", (2, 19), "CVE-2025-6176"),
    # datasketch 2.0 changed its hashing scheme: signatures of 1.x do not match.
    ("datasketch", (2, 0), "hashing scheme"),
])
def test_a_fresh_install_gets_no_version_with_a_known_advisory(name: str, least: tuple[int, ...],
                                                              why: str) -> None:
    assert _floor(name) >= least, why
    installed = tuple(int(p) for p in re.findall(r"\d+", version(name))[:len(least)])
    assert installed >= least, f"{name} {version(name)} installed: {why}"
