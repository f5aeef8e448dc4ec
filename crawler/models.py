"""The record types: defined once here; the JSON Schema in ``schema/`` is generated from them.

Every record and reject that policywire writes is one of these frozen structs. The crawl,
the dedup stage and the sinks all exchange them, so there is a single vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import msgspec
from msgspec.structs import force_setattr

from crawler.redact import redact

#: 2: ``story_id`` names the story (one event across outlets, :mod:`crawler.stories`), no
#: longer the near-duplicate group; ``story_match`` says why a record is in its story.
#: Records of schema 1 carry the duplicate group as ``story_id``; ``policywire reindex``
#: rewrites them (see :mod:`crawler.dedup.rebuild`).
SCHEMA_VERSION = 2

Origin = Literal["feed", "sitemap", "page"]


def _doc(text: str) -> msgspec.Meta:
    """A field's description in the generated JSON Schema (what a reader of the JSONL sees)."""
    return msgspec.Meta(description=text)


@dataclass(frozen=True)
class Entry:
    """One feed or sitemap entry, before its page is fetched. Dates are UTC ISO 8601."""

    link: str | None
    guid: str | None = None
    title: str | None = None
    summary: str | None = None
    content: str | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published: str | None = None
    published_raw: str | None = None
    updated: str | None = None
    language: str | None = None
    origin: Origin = "feed"
    # ``published`` is the entry's update stamp: an Atom entry with only ``<updated>``, a JSON
    # Feed item with only ``date_modified`` (a page's own publication date beats it), a
    # sitemap's ``<lastmod>`` without ``news:publication_date`` (never the publication).
    published_is_update: bool = False


@dataclass(frozen=True)
class Page:
    """What an HTML page says about itself, as extracted."""

    title: str | None = None
    text: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    published_raw: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    description: str | None = None
    site_name: str | None = None
    feeds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fetched:
    """An entry with the outcome of fetching its page: what the spider hands the pipeline."""

    source: str
    entry: Entry
    feed_url: str | None
    page: Page | None = None
    page_url: str | None = None
    page_error: str | None = None
    id_key: str | None = None
    source_language: str | None = None
    source_tags: tuple[str, ...] = ()
    require_topic: bool = False
    # The run's --since/--until (ISO 8601 UTC): an entry the feed did not date is checked
    # against it once its page dated it.
    window: tuple[str | None, str | None] = (None, None)


@dataclass(frozen=True)
class Problem:
    """A fetch or parse failure that no entry can stand for (a dead feed, a broken sitemap)."""

    source: str
    url: str | None
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class FeedState:
    """What the state remembers of a feed between runs."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    polls: int = 0
    validators_disabled: bool = False
    next_check: float | None = None
    error_streak: int = 0
    skip_hours: frozenset[int] = frozenset()  # RSS <skipHours>: UTC hours not to poll in
    skip_days: frozenset[int] = frozenset()  # RSS <skipDays>: UTC weekdays (Monday 0)
    last_poll: float | None = None  # when it was last asked for (epoch seconds)
    last_status: int | None = None  # its last answer's HTTP status (0: none came)


@dataclass(frozen=True)
class FeedPoll:
    """The outcome of polling a feed or sitemap: what the state remembers about it."""

    source: str
    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    lying: bool = False
    next_check: float | None = None
    error: str | None = None
    skip_hours: frozenset[int] = frozenset()
    skip_days: frozenset[int] = frozenset()
    polled_at: float | None = None  # when it was asked for (epoch seconds)
    # Where permanent redirects (301/308 from the polled URL on) sent it: the URL its source
    # should name now. Said once by a crawl, shown by ``sources list``; not stored.
    moved_to: str | None = None

    @property
    def deferred(self) -> bool:
        """A 429 the crawl defers to its Retry-After: the server's wish for a rest, neither a
        failure nor an answer, so the feed's error streak stays as it was."""
        return self.error is None and self.status == 429


@dataclass(frozen=True)
class Skipped:
    """An entry not written: seen before with the same feed metadata ("unchanged"), dated
    outside the ``--since``/``--until`` window ("out_of_window"), about no topic of the
    lexicon from a source that requires one ("off_topic"), or older than the newest
    ``max_entries`` of its feed or sitemap ("capped": one Skipped for a fetch's, ``id`` the
    feed's URL, ``count`` how many). Each is counted in the run log."""

    source: str
    id: str
    why: Literal["unchanged", "out_of_window", "off_topic", "capped"] = "unchanged"
    count: int = 1


@dataclass(frozen=True)
class Deferred:
    """A source not read this run because it asked us to wait: ``why`` "retry-after" (it
    answered 429 with a Retry-After, this run when ``polled``, else an earlier one), "ttl"
    (its feed's ``<ttl>``) or "skip-hours" (its ``skipHours``/``skipDays``); ``until`` when
    it is due again (epoch seconds; ``None``: the next hour its hints allow)."""

    source: str
    url: str
    why: Literal["retry-after", "ttl", "skip-hours"]
    until: float | None = None
    polled: bool = False


@dataclass(frozen=True)
class StoredSignature:
    """One record's signatures and story, as stored.

    ``ts`` is the record's published time (epoch seconds; the time it was indexed when it has
    no date); ``title_tokens`` are its match tokens, sorted, for exact verification;
    ``title_sig`` and ``body_sig`` are serialised LeanMinHash signatures (see
    :mod:`crawler.dedup.signatures`); ``source`` is who published it ("" unknown: stored
    before sources were kept, or a record without one), which tells a site's boilerplate body
    from wire copy across runs (:mod:`crawler.dedup.window`).
    """

    id: str
    story_id: str
    canonical_id: str
    ts: float
    language: str | None
    title_tokens: tuple[str, ...]
    title_sig: bytes
    body_sig: bytes | None
    source: str = ""
    # The words its text opens with (crawler.dedup.gist; None: no text, or stored before).
    gist: bytes | None = None
    # When it entered the near-duplicate window (epoch seconds: the clock of the run that
    # first stored it; None: stored before it was kept, ``ts`` stands in). The window keeps a
    # record window_days from then, whatever its published date, so a backfill of last
    # year's articles split over two runs meets itself as one run does (crawler.dedup.index).
    seen: float | None = None

    @property
    def kept_from(self) -> float:
        """The time the window counts this signature's ``window_days`` from."""
        return self.ts if self.seen is None else self.seen


@dataclass(frozen=True)
class StoredStory:
    """One story (an event across outlets) as stored: ``last_seen`` is its latest member's
    time (epoch seconds), which keeps it in the active window and decides its eviction;
    ``payload`` is the story clusterer's own versioned encoding (centroid, names, member ids;
    :mod:`crawler.stories.payload`), opaque to the state."""

    story_id: str
    last_seen: float
    payload: bytes
    # When a run last kept it in the window (epoch seconds: the clock of the last run that
    # added a member; None: stored before it was kept, ``last_seen`` stands in). A crawl's
    # state keeps a story window_days from then, whatever its members' dates, as the
    # near-duplicate window keeps a signature (StoredSignature.seen; crawler.stories.held).
    seen: float | None = None

    @property
    def kept_from(self) -> float:
        """The time the state counts this story's ``window_days`` from."""
        return self.last_seen if self.seen is None else self.seen


class MatchEvidence(msgspec.Struct, frozen=True, kw_only=True):
    """Why a record was judged a near-duplicate (a copy or variant) of the record named by
    ``duplicate_of``: the near-duplicate layer's evidence (``matched_id``: the record it
    matched best, which may be another copy of the same original)."""

    rule: Annotated[str, _doc(
        "Which evidence decided: 'title' (the titles), 'body' (the bodies), 'title+body'"
        " (the titles, the bodies confirming), 'known' (matched in an earlier run: the"
        " similarities are measured again against its original).")]
    title_similarity: Annotated[float, _doc("How alike the two titles are, 0-1.")]
    body_similarity: Annotated[float | None, _doc(
        "How alike the two bodies are, 0-1; null where either has no text.")] = None
    matched_id: Annotated[str, _doc(
        "The record it matched best: duplicate_of or another copy of the same original"
        " (JSONL only: Parquet and CSV have no column for it).")] = ""


class StoryMatch(msgspec.Struct, frozen=True, kw_only=True):
    """Why a record is in its story (one event across outlets): the member, or the
    original, it matched best (``record_id``), the score that decided it (``similarity``;
    1.0 for ``rule`` "duplicate"), the names, places and numbers both share, and the rule:
    "duplicate" (a copy joins its original's story), "content" (title and body evidence) or
    "title" (title and names: a record without a body)."""

    record_id: Annotated[str, _doc(
        "The id of the story's member (or original) this record matched best.")]
    similarity: Annotated[float, _doc(
        "The score that decided it: 1.0 for rule 'duplicate'; for 'title' the titles'"
        " Jaccard similarity, 0-1; for 'content' the cosine of the record and the story, 0-1,"
        " plus 0.2 (the story parameter title_bonus) of the titles' similarity, so up to 1.2"
        " where the two say the same, and a feed summary's bonuses for rare names, event"
        " words and a German scene on top.")]
    shared_names: Annotated[list[str], _doc(
        "At most 10 of the names, places and numbers both records carry, the story's key"
        " names first, then the fewest stories holding them, then alphabetical; stop words"
        " and, in German (every noun capitalised), common words that are no place or key"
        " name are left out, and a country code no word of the record names (display only:"
        " the score counts them all). In the matcher's"
        " normalised form, as no surface form is kept: lower-case word stems without"
        " accents ('ukrain', 'brussel'), country codes ('UA'), numbers.")] = []
    rule: Annotated[str, _doc(
        "'duplicate' (a copy joins its original's story), 'content' (title and body"
        " evidence) or 'title' (title and names: a record without a body).")]


class TopicMatch(msgspec.Struct, frozen=True, kw_only=True):
    """A security-policy topic a record is about, with the lexicon terms that matched."""

    topic: Annotated[str, _doc("A topic id of the lexicon (crawler/data/topics.toml).")]
    terms: Annotated[list[str], _doc("The lexicon's terms that matched the record.")]


class Record(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=False):
    """One article as policywire writes it: one JSON object per line."""

    schema_version: Annotated[int, _doc(
        "The record format's version: 2 (1 wrote the near-duplicate group as story_id).")
        ] = SCHEMA_VERSION
    id: Annotated[str, _doc(
        "sha1 (24 hex characters) of the guid where it is unique in its feed, namespaced by"
        " source, else of the canonical URL as the feed spelt it; stable across runs.")]
    revision: Annotated[int, _doc(
        "1, then +1 each time the article's title or text changed and it was written"
        " again (the highest is the current one).")] = 1
    url: Annotated[str, _doc(
        "The canonical URL: lower-case host, no fragment, no utm_*/fbclid, a bare query key"
        " (?print) bare, percent-encoded as requested.")]
    source: Annotated[str, _doc("The name of the source (sources file) it came from.")]
    feed_url: Annotated[str | None, _doc(
        "The feed or sitemap that listed it; null for a page crawled directly.")] = None
    origin: Annotated[Origin, _doc(
        "How it was found: 'feed', 'sitemap' or 'page'.")] = "feed"
    guid: Annotated[str | None, _doc(
        "The feed entry's guid or Atom id, as given; a relative one ('g1') resolved against"
        " the feed's URL, as feedparser reads it.")] = None
    title: Annotated[str, _doc(
        "The clean display title: site name and media tags such as (VIDEO) taken out.")]
    title_raw: Annotated[str, _doc("The title as the feed or page gave it.")]
    media: Annotated[list[str], _doc(
        "Media tags taken out of the title: VIDEO, LIVE, +++, ...")] = []
    summary: Annotated[str | None, _doc(
        "The feed's teaser or the page's description; null, never '', when none.")] = None
    text: Annotated[str | None, _doc(
        "The article's body, paragraphs one a line, without a repeated headline; null,"
        " never '', when the page failed, was empty or not HTML and the feed gave none.")
        ] = None
    authors: Annotated[list[str], _doc("The authors' names, from the feed or the page.")] = []
    published: Annotated[str | None, _doc(
        "When it was published: UTC, ISO 8601 ('2026-11-07T13:20:00Z'); null when"
        " neither the feed nor the page dates it (never invented).")] = None
    published_raw: Annotated[str | None, _doc(
        "The publication date as found, before it was read.")] = None
    updated: Annotated[str | None, _doc(
        "When it was last modified, as the feed or page declares (UTC, ISO 8601).")] = None
    fetched_at: Annotated[str, _doc("When policywire fetched it (UTC, ISO 8601).")]
    language: Annotated[str | None, _doc(
        "ISO 639-1 code ('de'): detected from the text, the source's language a hint.")
        ] = None
    tags: Annotated[list[str], _doc("The feed's or page's own categories and keywords.")] = []
    source_tags: Annotated[list[str], _doc("The source's tags in the sources file.")] = []
    topics: Annotated[list[TopicMatch], _doc(
        "The security-policy topics of the lexicon it is about, each with its terms.")] = []
    content_hash: Annotated[str, _doc(
        "sha256 of the title and the text (the summary where there is no text): a new"
        " revision is written when it changes.")]
    page_error: Annotated[str | None, _doc(
        "Why the page could not be fetched ('http_404', a DNS failure) when the feed still"
        " gave a record (from the feed's words only); null when it was fetched.")] = None
    run_id: Annotated[str, _doc(
        "The run that wrote it (a line of runs.jsonl names it).")] = ""
    story_id: Annotated[str | None, msgspec.Meta(description=(
        "The story: one event as reported across outlets, rewrites and follow-ups within"
        " days (all its records carry this id; duplicates sit inside their original's"
        " story). Schema 1 wrote the near-duplicate group here."))] = None
    duplicate_of: Annotated[str | None, msgspec.Meta(description=(
        "The near-duplicate level: the id of the record this one is a copy or variant of"
        " (wire copy, a doubled headline, an 'UPDATE 2-' rewrite); null for an original."
        ))] = None
    match: Annotated[MatchEvidence | None, msgspec.Meta(description=(
        "Why this record is a duplicate of duplicate_of; null for an original."))] = None
    story_match: Annotated[StoryMatch | None, msgspec.Meta(description=(
        "Why this record is in its story; null for the story's first record."))] = None


class Reject(msgspec.Struct, frozen=True, kw_only=True):
    """An entry that could not become a record, with a stable reason code."""

    schema_version: Annotated[int, _doc("The format's version, as records'.")] = SCHEMA_VERSION
    reason: Annotated[str, _doc(
        "A stable code (crawler/errors.py REJECT_REASONS; README 'Rejects').")]
    url: Annotated[str | None, _doc("The URL that failed, canonical as a record's.")]
    source: Annotated[str, _doc("The source it came from.")]
    run_id: Annotated[str, _doc("The run that wrote it.")]
    detail: Annotated[str, _doc("What went wrong, in words.")] = ""
    at: Annotated[str, _doc("When (UTC, ISO 8601).")] = ""

    def __post_init__(self) -> None:
        # Whoever made it (a feed's URL from the sources file, an exception quoting one): no
        # credentials in a rejects file, a crawl's last line or the report (crawler.redact).
        if self.url is not None:
            force_setattr(self, "url", redact(self.url))
        force_setattr(self, "detail", redact(self.detail))


def record_schema() -> dict[str, object]:
    """The JSON Schema of :class:`Record` (and :class:`Reject`), as shipped in ``schema/``."""
    schema: dict[str, object] = msgspec.json.schema(Record)
    return schema


def reject_schema() -> dict[str, object]:
    schema: dict[str, object] = msgspec.json.schema(Reject)
    return schema
