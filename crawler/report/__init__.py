"""The analysts' report: one self-contained, offline HTML file built from an output directory.

Modules, in the order the data flows::

    load      records (latest revision), rejects and runs.jsonl, within a --since/--until window
    stories   stories with canonical and variants; counts per day, topics, duplicate shares
    health    per-source run figures, field completeness, drift warnings
    markup    escaping: everything is text unless built here as Markup; only http(s) links
    svg       inline charts drawn in Python
    cards     story cards and the filter bar; page: the whole document; assets: CSS and script
    build     build_report(), the one entry point
"""

from __future__ import annotations

from crawler.report.build import ReportStats, build_report

__all__ = ["ReportStats", "build_report"]
