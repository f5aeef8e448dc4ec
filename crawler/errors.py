"""The one exception tree of policywire.

::

    PolicywireError
    ├── ConfigError            a sources or topics file, or a setting, is invalid (exit 78)
    │   └── UsageError         a command-line argument is invalid (exit 2)
    ├── StateError             the state directory cannot be used
    │   ├── LockHeld           another run holds the state lock (exit 75)
    │   ├── IncompatibleState  stored signatures were made with other parameters (exit 78)
    │   ├── CorruptState       the state database is damaged, truncated or empty (exit 65)
    │   ├── StateNotWritable   the state database cannot be written (exit 74)
    │   └── StateUnavailable   the shared state's Redis server does not answer (exit 69)
    ├── OutputError            an output file is corrupt in its middle (exit 65)
    ├── InputError             an input file cannot be read as what it is (exit 65)
    │   └── NoInput            an input file or directory is missing or unreadable (exit 66)
    ├── JobRefused             a scale-out worker refused a queued job (not a crawl job)
    ├── WorkerFailed           a process of the run's own (dedup's story process) failed (exit 70)
    ├── ExtractionTimeout      a feed, sitemap or page took longer than its CPU time limit
    └── ExtractionCrashed      a feed, sitemap or page killed its extraction worker, twice

Reject reason codes (stable strings written into rejects files) live in :data:`REJECT_REASONS`.
"""

from __future__ import annotations


class PolicywireError(Exception):
    """Base of every error policywire raises on purpose."""


class ConfigError(PolicywireError):
    """A sources file, a topics file, a setting or a command-line option is invalid."""


class UsageError(ConfigError):
    """A command-line argument is invalid: a malformed value, or two that contradict.

    A ConfigError too, since the library checks are the same (a title threshold is checked
    alike from ``--title-threshold`` and from a setting); the command tells them apart, as
    a user fixes a command line differently from a file.
    """


class StateError(PolicywireError):
    """The state directory or its database cannot be used."""


class LockHeld(StateError):
    """Another run holds the lock of this state directory."""


class IncompatibleState(StateError):
    """Stored signatures were computed with other parameters than this version uses."""


class CorruptState(StateError):
    """The state database is not a readable SQLite database: garbage in its header, a
    truncated file, a damaged page, or an empty file (which SQLite would take as new)."""


class StateNotWritable(StateError):
    """The state database can be read but not written (a read-only file or file system)."""


class StateUnavailable(StateError):
    """The Redis server of a shared state refuses connections or does not answer in time:
    a service down, not a state to repair (sysexits' EX_UNAVAILABLE)."""


class OutputError(PolicywireError):
    """An output file is corrupt somewhere other than a torn last line."""


class InputError(PolicywireError):
    """An input file cannot be read as what it is (a truncated or corrupt gzip)."""


class NoInput(InputError):
    """An input file or directory is missing or cannot be read at all."""


class ExtractionTimeout(PolicywireError):
    """Parsing a feed or sitemap, or extracting a page, took longer than
    ``POLICYWIRE_EXTRACT_TIMEOUT`` seconds of CPU time (:mod:`crawler.spiders.deadline`): an
    ``extract_timeout`` reject (or an article's ``page_error``), the worker free for the next."""


class ExtractionCrashed(PolicywireError):
    """Parsing a feed or sitemap, or extracting a page, killed its pool worker (the OOM
    killer's pick, a crash in a C library) in the shared pool, then again when taken alone
    (:mod:`crawler.spiders.pool`): an ``extraction_failed`` reject (or an article's
    ``page_error``) for that piece only; a feed's or sitemap's detail names its URL
    (:func:`crawler.spiders.responses.unparsed`), and its source fails the run."""


class JobRefused(PolicywireError):
    """A job on the scale-out queue names a function, callback or webhook other than the
    crawl task: the worker fails it unrun (see :mod:`crawler.scaleout.guard`)."""


class WorkerFailed(PolicywireError):
    """A process the command started for its own work (``policywire dedup``'s story
    process) raised or died: the message names its exception or its exit status."""


def unsupported_content(content_type: str) -> str:
    """The detail of an ``unsupported_content`` reject: the content type that came, said as
    what it is (a text/plain file, an image), not as a feed that failed to parse. One wording
    for the crawl and ``sources check --live``, so that the two agree."""
    media_type = content_type.split(";", maxsplit=1)[0].strip() or "no content type"
    return f"not a feed, sitemap or HTML page: {media_type}"


#: Stable reason codes for reject records, with what each means.
REJECT_REASONS: dict[str, str] = {
    "feed_unparseable": "the response could not be parsed as a feed and yielded no entries",
    "feed_empty": "the feed parsed but held no entries",
    "unsupported_content": "the source's response is none of a feed, a sitemap or an HTML page"
                           " (detail: its content type)",
    "sitemap_unparseable": "the response was not a valid sitemap, or was refused (entities)",
    "sitemap_ill_formed": "the sitemap is ill-formed XML; what parsed was used, the rest lost",
    "sitemap_too_deep": "a sitemap listed by indexes nested deeper than MAX_SITEMAP_DEPTH (3)",
    "http_error": "the server answered with an HTTP error status",
    "download_error": "the download failed (DNS, connection, timeout, size limit)",
    "missing_link": "the entry has no usable link",
    "invalid_link": "the link cannot be requested: unreadable (a port out of range, a space"
                    " in the host), not http(s), or longer than URLLENGTH_LIMIT",
    "request_budget": "the source's request budget of the run was spent; a later run fetches it",
    "missing_title": "neither the entry nor its page carry a title",
    "not_html": "the page is not HTML and the entry carries no title",
    "extraction_failed": "extracting the page, or parsing the feed or sitemap, raised or"
                         " killed its worker twice (detail: the exception's class and"
                         " message; a feed's or sitemap's names its URL)",
    "record_failed": "building the entry's record raised (detail: the exception's class and"
                     " message; a full disk, a file-size limit): a later run tries it again",
    "extract_timeout": "parsing the feed or sitemap, or extracting the page, took longer than"
                       " POLICYWIRE_EXTRACT_TIMEOUT (60 s) of CPU time",
    "offsite": "the link points outside the source's allowed domains",
    "robots_disallowed": "robots.txt forbids the URL (a 5xx robots.txt forbids the whole site)",
    "private_address": "the SSRF guard refused a private, loopback or link-local address "
                       "(or a name it cannot check that a proxy would resolve)",
    "worker_failed": "a scale-out worker's crawl of the source failed (detail: the error)",
    "state_unavailable": "the page or feed was not asked for: the scale-out pacer's Redis"
                         " could not book its turn; not marked seen, the next run fetches it",
    "invalid_line": "`dedup`: an input line that is not JSON, lacks a url or a title (or"
                    " holds one that is blank or no text: \"url is a number (5), not"
                    " text\"), or is over the length limit",
    "duplicate_id": "`dedup`: an input line whose id (given, or made from its url) an"
                    " earlier line had; the earlier one is the record",
}
