"""The charts as a reader sees them: every label inside its chart, none over another."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import msgspec

from crawler.models import Record
from crawler.report import build_report
from crawler.report.svg import CHAR_W
from tests.report.sample import record, topics

# The bundled lexicon's longest topic ids, as a week of security news tags them.
TOPICS = ("migration-border-security", "sanctions-export-control", "defence-industry-procurement",
          "arms-control-nuclear", "cyber-hybrid", "disinformation", "nato-alliances",
          "ukraine-russia-war")


def _report(tmp_path: Path, *records: Record) -> str:
    folder = tmp_path / "out" / "2026" / "11" / "12"
    folder.mkdir(parents=True)
    (folder / "records-20261112T000000Z-a1.jsonl").write_bytes(
        b"".join(msgspec.json.encode(r) + b"\n" for r in records))
    build_report(tmp_path / "out", tmp_path / "r.html")
    return (tmp_path / "r.html").read_text(encoding="utf-8")


def _charts(page: str) -> list[tuple[float, float, str]]:
    """Per chart: its viewBox width and height, and its markup."""
    return [(float(w), float(h), body) for w, h, body in re.findall(
        r'<svg class="chart" viewBox="0 0 (\d+) (\d+)"[^>]*>(.*?)</svg>', page, re.S)]


def test_every_topic_of_the_legend_is_inside_its_chart(tmp_path: Path) -> None:
    # Before: the legend ran on in one row, and the sixth topic's name lay past the chart's
    # right edge: its line was drawn with no name to it.
    page = _report(tmp_path, *(
        record(f"https://example.org/{i}", "s", f"Story number {i} about {topic}",
               published=f"2026-11-{10 + i % 3:02d}T10:00:00Z", story_id=f"st-{i}",
               topics=topics(**{topic.replace("-", "_"): ["term"]}))
        for i, topic in enumerate(TOPICS)))
    width, height, body = next(c for c in _charts(page) if "migration-border-security" in c[2])
    legend = [(x, y, name.strip("\u2068\u2069")) for x, y, name in re.findall(
        r'<text class="legend" x="([\d.]+)" y="(\d+)">([^<]+)<', body)]  # names bidi-isolated
    assert sorted(name for _, _, name in legend) == sorted(TOPICS)
    for x, y, name in legend:
        assert float(x) + CHAR_W * len(name) <= width, name
        assert int(y) <= height, name


def test_day_labels_of_a_chart_spanning_two_years_do_not_overlap(tmp_path: Path) -> None:
    # Before: "2024-11-12" and "2025-01-12" were printed over each other at the axis's start.
    page = _report(tmp_path, *(
        record(f"https://example.org/{day}", "s", f"Story of {day}", published=f"{day}T10:00:00Z",
               story_id=f"st-{day}")
        for day in ("2024-11-12", "2025-06-01", "2026-11-12")))
    _, _, body = _charts(page)[0]
    ticks = [(float(x), label) for x, label in re.findall(
        r'<text class="tick" x="([\d.]+)" y="\d+" text-anchor="middle">([^<]+)<', body)]
    assert len(ticks) >= 2 and ticks[0][1] == "2024-11-11"  # two years: a bar a week
    for (x1, a), (x2, b) in itertools.pairwise(ticks):
        assert x2 - x1 >= CHAR_W * (len(a) + len(b)) / 2, (a, b)


def test_records_years_apart_are_all_charted_by_month(tmp_path: Path) -> None:
    # The acc5 trial's output held BBC's July 2020 feed and 2026 articles: the charts drew
    # the last 731 days a bar each (bars under 1 px wide) and left 2020 out unsaid.
    page = _report(tmp_path, *(
        record(f"https://example.org/{day}", "s", f"Story of {day}", published=f"{day}T10:00:00Z",
               story_id=f"st-{day}")
        for day in ("2020-07-07", "2020-07-20", "2026-11-12")))
    assert "<h3>Records and stories per month</h3>" in page
    assert "<title>2020-07: 2 \u2068records\u2069</title>" in page
    assert "not charted" not in page


def test_records_twenty_years_apart_are_charted_by_year(tmp_path: Path) -> None:
    # Before: 240 monthly bars, each drawn 0.5 px wide across the plot, labelled by month.
    days = ("2007-03-01", "2016-06-01", "2016-07-01", "2026-11-12")
    page = _report(tmp_path, *(
        record(f"https://example.org/{day}", "s", f"Story of {day}", published=f"{day}T10:00:00Z",
               story_id=f"st-{day}") for day in days))
    assert "<h3>Records and stories per year</h3>" in page
    assert "<title>2016: 2 \u2068records\u2069</title>" in page
    _, _, body = _charts(page)[0]
    widths = [float(w) for w in re.findall(r'width="([\d.]+)"[^>]*><title>', body)]
    assert len(widths) == 6 and min(widths) >= 5  # 3 years with records, 2 bars each
    assert "not charted" not in page


def test_a_year_is_charted_by_week_and_a_month_by_day(tmp_path: Path) -> None:
    days = ("2025-11-12", "2025-11-13", "2026-11-11")  # a Wednesday, Thursday, Wednesday
    page = _report(tmp_path, *(
        record(f"https://example.org/{day}", "s", f"Story of {day}", published=f"{day}T10:00:00Z",
               story_id=f"st-{day}") for day in days))
    assert "<h3>Stories per topic per week</h3>" in page
    assert "<title>week of 2025-11-10: 2 \u2068records\u2069</title>" in page
    short = _report(tmp_path / "short", *(
        record(f"https://example.org/{day}", "s", f"Story of {day}", published=f"{day}T10:00:00Z",
               story_id=f"st-{day}") for day in days[:2]))
    assert "<h3>Records and stories per day</h3>" in short


def test_records_older_than_the_charts_reach_are_counted_under_them(tmp_path: Path) -> None:
    page = _report(tmp_path, *(
        record(f"https://example.org/{day}", "s", f"Story of {day}", published=f"{day}T10:00:00Z",
               story_id=f"st-{day}") for day in ("0001-06-12", "2026-11-12")))
    assert "1 records dated before 2007-01-01 are not charted" in page  # 20 years' bars
    assert "Story of 0001-06-12" in page  # still listed


def test_a_topic_chart_of_more_topics_than_colours_says_which_it_draws(tmp_path: Path) -> None:
    # Eight lines are drawn, one a colour: a ninth and tenth topic were left out unsaid.
    extra = ("space-security", "terrorism")
    page = _report(tmp_path, *(
        record(f"https://example.org/{i}", "s", f"Story number {i} about {topic}",
               published="2026-11-10T10:00:00Z", story_id=f"st-{i}",
               topics=topics(**{topic.replace("-", "_"): ["term"]}))
        for i, topic in enumerate((*TOPICS, *extra))))
    assert "<h3>Stories per topic per day (the 8 largest of 10)</h3>" in page
