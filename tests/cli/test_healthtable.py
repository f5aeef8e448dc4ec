"""The ``stats`` table: one line a source, the rate in the unit that shows it, dashes when no
record of the source is below the directory."""

from __future__ import annotations

import pytest

from crawler.cli.healthtable import health_table
from crawler.health import HealthRow


def _row(source: str = "bundeswehr", records_read: int = 8, per_day: float = 2.5) -> HealthRow:
    return HealthRow(
        source=source, runs=3, records=8, records_read=records_read, per_day=per_day,
        title=1.0, date=0.75, author=0.5, body=0.875, body_chars_latest=2400,
        body_chars_before=2300, not_modified_rate=0.25, error_streak=1, pages_failed=0.125,
        rejects=0, latest_error="", drift="", status="ok",
    )


def test_the_table_has_a_header_and_a_line_a_source() -> None:
    lines = health_table([_row("a"), _row("b")]).splitlines()
    assert lines[0].split()[:3] == ["source", "runs", "recs"]
    assert [line.split()[0] for line in lines[1:]] == ["a", "b"]
    assert lines[1].split() == ["a", "3", "8", "2.5", "75%", "50%", "88%", "2400", "25%",
                                "12%", "1", "ok"]


@pytest.mark.parametrize(("per_day", "shown"), [
    (2.5, "2.5"), (0.0, "0.0"), (0.1, "3/mo"), (0.01, "4/yr"), (0.0005, "<1/yr"),
])
def test_a_slow_source_reads_by_month_or_year_not_as_dead(per_day: float, shown: str) -> None:
    assert health_table([_row(per_day=per_day)]).splitlines()[1].split()[3] == shown


def test_a_source_with_no_record_below_the_directory_shows_dashes_not_zeroes() -> None:
    cells = health_table([_row(records_read=0)]).splitlines()[1].split()
    assert cells[3:8] == ["-"] * 5
    assert cells[9] == "-"  # the failed pages' share is of the records read too
