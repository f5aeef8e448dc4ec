"""Story cards and the filter bar above them.

Each card carries its sources, languages and topics as JSON lists in ``data-*`` attributes and
a lower-cased search text; the inline script filters on those and nothing else.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from crawler.models import MatchEvidence, Record, StoryMatch
from crawler.report.markup import Markup, html, isolated, join, link
from crawler.report.stories import Story

SUMMARY_CHARS = 320  # about three lines of a card: enough to recognise the story
SEARCH_CHARS = 600  # per record: titles and the summary's start, not whole bodies
#: A BCP 47 tag as records carry one (ISO 639-1 "de", or with a region "pt-BR").
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def filter_bar(stories: Sequence[Story]) -> Markup:
    return html(
        '<div class="filters" role="search">'
        '<label>Source <select id="f-source">{sources}</select></label>'
        '<label>Language <select id="f-language">{languages}</select></label>'
        '<label>Topic <select id="f-topic">{topics}</select></label>'
        '<input id="f-search" type="search" placeholder="Search titles and summaries" '
        'aria-label="Search titles and summaries">'
        '<button id="f-reset" type="button">Reset</button>'
        '<span class="count">Showing <b id="shown">{n}</b> of {n} stories</span></div>',
        sources=_options(s for story in stories for s in story.sources),
        languages=_options(lang for story in stories for lang in story.languages),
        topics=_options(t for story in stories for t in story.topics), n=len(stories),
    )


def _options(values: Iterable[str]) -> Markup:
    counts = Counter(values)
    # An option holds text only (no <bdi>): dir="auto" sets its direction by its value.
    options = [html('<option value="{v}" dir="auto">{v} ({n})</option>', v=v, n=counts[v])
               for v in sorted(counts)]
    return join([html('<option value="">all</option>'), *options])


def story_card(story: Story) -> Markup:
    head = story.canonical
    return html(
        '<article class="story" id="{anchor}" data-sources="{sources}" '
        'data-languages="{languages}" data-topics="{topics}" data-text="{text}">'
        '<h3 class="title"{lang}>{title}{media}</h3>'
        '<p class="meta">{day} · {size} · {topic_chips}</p>'
        '{summary}{table}</article>',
        anchor=f"story-{story.story_id}", sources=_json(story.sources),
        languages=_json(story.languages), topics=_json(story.topics), text=_search_text(story),
        title=isolated(head.title), media=_badges(head.media), day=story.day,
        size=_size(story), topic_chips=_topic_chips(story.members), lang=_lang(head),
        summary=_summary(head), table=_members_table(story),
    )


def _json(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)


def _search_text(story: Story) -> str:
    parts = [f"{r.title} {r.title_raw} {r.source} {(r.summary or '')[:SEARCH_CHARS]}"
             for r in story.members]
    return " ".join([*parts, *story.topics]).lower()


def _size(story: Story) -> str:
    records, sources = len(story.members), len(story.sources)
    return (f"{records} record{'s' * (records != 1)} from "
            f"{sources} source{'s' * (sources != 1)}")


def _badges(media: Sequence[str]) -> Markup:
    return join(html('<span class="badge" dir="auto">{m}</span>', m=m) for m in media)


def _page_failed(record: Record) -> Markup:
    """A mark on a record whose page could not be fetched: its title and summary are the
    feed's alone, and it has no body to read."""
    if not record.page_error:
        return Markup()
    return html(' <span class="badge page-error" title="page not fetched: {why}">page failed'
                "</span>", why=record.page_error)


def _topic_chips(members: Sequence[Record]) -> Markup:
    terms: dict[str, set[str]] = {}
    for record in members:
        for match in record.topics:
            terms.setdefault(match.topic, set()).update(match.terms)
    if not terms:
        return html('<span class="muted">no topic</span>')
    return join(
        html('<span class="chip" title="terms: {terms}">{topic}</span>',
             topic=topic, terms=", ".join(sorted(terms[topic])))
        for topic in sorted(terms)
    )


def _summary(record: Record) -> Markup:
    text = record.summary
    if not text:
        return Markup()
    short = text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"
    return html('<p class="summary" dir="auto"{lang}>{text}</p>', text=short, lang=_lang(record))


def _lang(record: Record) -> Markup:
    """A ``lang`` attribute for a record's own words: the page says ``lang="en"``, and a
    German title read under it is hyphenated, spell-checked and spoken as English."""
    code = record.language or ""
    if not _LANGUAGE_TAG.fullmatch(code):  # a row from elsewhere may hold anything there
        return Markup()
    return html(' lang="{code}"', code=code)


def _members_table(story: Story) -> Markup:
    """The canonical record, then each other original (another outlet's telling: why it is
    in the story), each followed by its duplicates (why it is a copy)."""
    by_id = {r.id: r for r in story.members}
    rows = []
    for original, copies in story.nested():
        if original.id == story.canonical.id:
            rows.append(_member_row(original, "canonical",
                                    Markup('<span class="muted">—</span>')))
        else:
            rows.append(_member_row(original, "original",
                                    _story_evidence(original.story_match, by_id)))
        rows += [_member_row(r, "duplicate", _evidence(r.match, by_id)) for r in copies]
    return html(
        '<table class="members"><colgroup><col class="role"><col class="source"><col>'
        '<col class="lang"><col class="when"><col class="link"><col class="evidence"></colgroup>'
        '<thead><tr><th>Role</th><th>Source</th><th>Title</th>'
        '<th>Lang</th><th>Published</th><th>Link</th><th>Why in this story</th></tr></thead>'
        '<tbody>{rows}</tbody></table>', rows=join(rows),
    )


def _member_row(record: Record, role: str, evidence: Markup) -> Markup:
    return html(
        '<tr class="{role}" data-record="{id}"><td>{role}</td><td>{source}</td>'
        '<td title="{raw}"{lang_attr}>{title}{media}</td><td>{lang}</td><td>{when}</td>'
        '<td>{link}</td><td class="evidence">{evidence}</td></tr>',
        role=role, id=record.id, source=isolated(record.source), raw=record.title_raw,
        title=isolated(record.title),
        media=join([_badges(record.media), _page_failed(record)]), lang=record.language or "?",
        lang_attr=_lang(record),
        when=_when(record),
        link=link(record.url, isolated(_host(record.url))), evidence=evidence,
    )


def _evidence(match: MatchEvidence | None, by_id: dict[str, Record]) -> Markup:
    if match is None:
        return html('<span class="muted">no evidence recorded</span>')
    body = "—" if match.body_similarity is None else f"{match.body_similarity:.2f}"
    matched = by_id.get(match.matched_id)
    against = html(" · matched {s}", s=isolated(matched.source)) if matched else ""
    return html(
        '<span class="rule">{rule}</span> · title {title:.2f} · body {body}{against}',
        rule=match.rule, title=match.title_similarity, body=body, against=against,
    )


def _story_evidence(link: StoryMatch | None, by_id: dict[str, Record]) -> Markup:
    if link is None:
        return html('<span class="muted">no evidence recorded</span>')
    matched = by_id.get(link.record_id)
    against = html(" · with {s}", s=isolated(matched.source)) if matched else ""
    return html(
        '<span class="rule">{rule}</span> · similarity {similarity:.2f} · shared: {names}'
        '{against}', rule=link.rule, similarity=link.similarity,
        names=join((isolated(name) for name in link.shared_names), ", ") or "—",
        against=against,
    )


def _when(record: Record) -> Markup:
    if record.published:
        return html("{t}", t=_short_time(record.published))
    return html('<span class="muted" title="no publication date; fetched">{t}*</span>',
                t=_short_time(record.fetched_at))


def _short_time(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0] or url


__all__ = ["filter_bar", "story_card"]
