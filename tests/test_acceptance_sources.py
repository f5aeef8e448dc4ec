"""A sources file's values that would stall a crawl are refused before it starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("delay", ["inf", "nan", "+inf"])
def test_a_download_delay_that_is_no_number_of_seconds_is_a_config_error(delay: str,
                                                                         tmp_path: Path) -> None:
    # Before: accepted; a crawl with inf waited for ever, through SIGTERM, holding the lock.
    (tmp_path / "s.toml").write_text(
        '[[sources]]\nname = "a"\nurl = "https://example.org/feed.xml"\n'
        f"download_delay = {delay}\n", encoding="utf-8")
    run = run_cli("sources", "check", "--sources", "s.toml", cwd=tmp_path)
    assert (run.code, run.stderr) == (
        78, "policywire: s.toml:line 4: key 'download_delay' must be a number >= 0 (seconds;"
            " not inf or nan)\n")
