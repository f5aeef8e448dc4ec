"""Parameters: fingerprint, validation, the datasketch start-up check."""

from __future__ import annotations

import json

import datasketch
import pytest

from crawler.dedup import params as params_module
from crawler.dedup.params import DedupParams, check_datasketch
from crawler.errors import ConfigError, IncompatibleState


def test_fingerprint_is_stable_json_of_what_shapes_signatures() -> None:
    fp = DedupParams().fingerprint()
    assert fp == DedupParams().fingerprint()
    assert json.loads(fp)["scheme"] == "affine32"
    assert DedupParams(num_perm=64).fingerprint() != fp
    assert DedupParams(seed=2).fingerprint() != fp


def test_thresholds_and_window_do_not_change_the_fingerprint() -> None:
    fp = DedupParams().fingerprint()
    assert DedupParams(window_days=7, body_threshold=0.7, lsh_threshold=0.3).fingerprint() == fp


def test_title_threshold_falls_back_to_the_default() -> None:
    params = DedupParams()
    assert params.title_threshold("de") == dict(params.title_thresholds)["de"]
    assert params.title_threshold("pl") == params.default_title_threshold
    assert params.title_threshold(None) == params.default_title_threshold


@pytest.mark.parametrize("kwargs", [
    {"scheme": "affine32", "hash_name": "xxh64"}, {"scheme": "legacy"},
    {"lsh_threshold": 1.5}, {"title_thresholds": (("en", -0.1),)}, {"window_days": 0},
])
def test_invalid_parameters_raise_config_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        DedupParams(**kwargs)  # type: ignore[arg-type]


def test_installed_datasketch_hashes_as_expected() -> None:
    check_datasketch()


def test_datasketch_with_other_hashes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(params_module._KNOWN_SIGNATURES, "affine32", (1, 2, 3))
    with pytest.raises(IncompatibleState, match="affine32"):
        check_datasketch()


def test_old_datasketch_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datasketch, "__version__", "1.6.5")
    with pytest.raises(IncompatibleState, match=r">= 2\.0"):
        check_datasketch()
