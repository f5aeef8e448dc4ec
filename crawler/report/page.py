"""The page: header and figures, charts, the story list, the sources table, in one document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crawler.report.assets import CSS, SCRIPT, content_security_policy
from crawler.report.cards import filter_bar, story_card
from crawler.report.health import SourceHealth
from crawler.report.markup import Markup, html, isolated, join
from crawler.report.stories import DuplicateShare, Series, Story
from crawler.report.svg import PALETTE, ShareRow, bar_chart, line_chart, share_chart

LOW_SHARE = 0.5  # a completeness share under this is shown in red in the sources table


@dataclass(frozen=True)
class PageData:
    """Everything the page shows, already aggregated."""

    title: str
    window: str
    generated: str
    stories: Sequence[Story]
    records: int
    runs: int
    daily: Series
    topics: Series
    duplicates: Sequence[DuplicateShare]
    health: Sequence[SourceHealth]


def render_page(data: PageData) -> str:
    return html(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title}</title><style>{css}</style></head><body>"
        '<header class="top"><h1>{title}</h1><p>{window} · generated {generated}</p>'
        '<nav><a href="#charts">Charts</a><a href="#stories">Stories</a>'
        '<a href="#sources">Sources</a></nav></header>'
        "<main>{figures}{drift}{charts}{stories}{sources}"
        "<footer>Built by policywire from JSONL output; works offline.</footer></main>"
        "<script>{script}</script></body></html>",
        csp=content_security_policy(), title=data.title, window=data.window,
        generated=data.generated, css=Markup(CSS), figures=_figures(data),
        drift=_drift_alert(data.health), charts=_charts(data), stories=_stories(data.stories),
        sources=_sources_table(data.health), script=Markup(SCRIPT),
    )


def _figures(data: PageData) -> Markup:
    duplicates = sum(d.duplicates for d in data.duplicates)
    share = duplicates / data.records if data.records else 0.0
    figures = [(len(data.stories), "stories"), (data.records, "records"),
               (f"{share:.0%}", "duplicates"), (len(data.health), "sources"),
               (data.runs, "runs")]
    return html('<section class="figures">{items}</section>', items=join(
        html('<div class="figure"><b>{value}</b><span>{label}</span></div>', value=v, label=k)
        for v, k in figures
    ))


def _drift_alert(health: Sequence[SourceHealth]) -> Markup:
    drifting = [h for h in health if h.drift]
    if not drifting:
        return Markup()
    items = join(html("<li><b>{s}</b>: {why}</li>", s=isolated(h.source), why=h.drift)
                 for h in drifting)
    return html('<div class="alert" role="alert"><b>Possible extraction drift</b>'
                "<ul>{items}</ul></div>", items=items)


def _charts(data: PageData) -> Markup:
    rows = [ShareRow(d.source, d.share, f"{d.duplicates} of {d.records}")
            for d in data.duplicates]
    per = f"per {data.daily.unit}"
    panels = [
        (f"Records and stories {per}", bar_chart(data.daily, f"Records and stories {per}")),
        ("Share of duplicates per source", share_chart(rows, "Share of duplicates per source")),
        (_topics_title(data.topics, per), line_chart(data.topics, f"Stories per topic {per}")),
    ]
    return html('<h2 id="charts">Charts</h2>{note}<section class="charts">{panels}</section>',
                note=_left_out(data.daily),
                panels=join(html('<div class="panel"><h3>{t}</h3>{svg}</div>', t=t, svg=svg)
                            for t, svg in panels))


def _topics_title(topics: Series, per: str) -> str:
    """The topic chart draws the largest :data:`PALETTE`'s worth of topics: its title says
    so when there are more (a ninth topic's line was left out without a word)."""
    more = len(topics.values) > len(PALETTE)
    return f"Stories per topic {per}" + (
        f" (the {len(PALETTE)} largest of {len(topics.values)})" if more else "")


def _left_out(daily: Series) -> Markup:
    """Records older than the charts reach are still listed: the charts say how many."""
    if not daily.left_out:
        return html("")
    return html('<p class="empty">{n} records dated before {first} are not charted (they are'
                " listed below).</p>", n=daily.left_out, first=daily.days[0])


def _stories(stories: Sequence[Story]) -> Markup:
    cards = join(story_card(s) for s in stories) if stories else html(
        '<p class="empty">No records in this window.</p>')
    return html('<h2 id="stories">Stories, newest first</h2>{bar}<section id="story-list">'
                "{cards}</section>", bar=filter_bar(stories), cards=cards)


def _sources_table(health: Sequence[SourceHealth]) -> Markup:
    header = join(html('<th class="{c}">{h}</th>', h=h, c=c) for h, c in (
        ("Source", ""), ("Runs", "num"), ("Records", "num"), ("Rejects", "num"),
        ("Unchanged", "num"), ("Title", "num"), ("Date", "num"), ("Author", "num"),
        ("Body", "num"), ("Latest error", ""), ("Status", "")))
    return html(
        '<h2 id="sources">Sources</h2><p class="muted">Runs, records, rejects and unchanged: '
        "summed over the runs in runs.jsonl. Field shares: over the records in this report."
        '</p><div class="panel"><table class="sources"><thead><tr>{header}</tr></thead>'
        "<tbody>{rows}</tbody></table></div>",
        header=header, rows=join(_source_row(h) for h in health),
    )


def _source_row(row: SourceHealth) -> Markup:
    shares = join(
        html('<td class="num{low}">{v:.0%}</td>', v=v, low=" low" if v < LOW_SHARE else "")
        if row.completeness.records else html('<td class="num muted">–</td>')
        for v in (row.completeness.title, row.completeness.date, row.completeness.author,
                  row.completeness.body)
    )
    return html(
        '<tr class="{cls}" data-source="{name}"><td>{label}</td><td class="num">{runs}</td>'
        '<td class="num">{records}</td><td class="num">{rejects}</td>'
        '<td class="num">{unchanged}</td>{shares}<td>{error}</td><td>{status}</td></tr>',
        # A source that only fails is flagged like a drifting one: it is no "ok" source.
        cls="drift" if row.status != "ok" else "", name=row.source, runs=row.runs,
        label=isolated(row.source), records=row.records, rejects=row.rejects,
        unchanged=row.unchanged, shares=shares,
        error=isolated(row.latest_error) if row.latest_error else "—",
        status=row.status if row.status == "ok" else "⚠ " + row.status,
    )


__all__ = ["PageData", "render_page"]
