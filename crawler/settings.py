"""Scrapy settings for policywire: a conservative, polite and locked-down baseline.

``policywire`` commands override a few of these per run (output and state paths, log level,
run id); ``scrapy crawl`` uses them as they are.
"""

from __future__ import annotations

import os

BOT_NAME = "policywire"
SPIDER_MODULES = ["crawler.spiders"]
# `scrapy crawl` checks the spider and its arguments first (a refusal: one line, exit 2).
COMMANDS_MODULE = "crawler.commands"
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "policywire/0.1 (security-policy news monitor; +https://pypi.org/project/policywire/)"
ROBOTSTXT_OBEY = True

# Attack surface: no telnet console, no remote-control HTTP server (on by default since
# Scrapy 2.19: it runs code sent to it), and only http(s) downloads.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
DOWNLOAD_HANDLERS = {"ftp": None, "s3": None, "file": None, "data": None}

# SSRF guard: no connections to private, loopback, link-local or metadata addresses, checked
# on IP literals before scheduling and on every DNS answer (redirects included).
TWISTED_DNS_RESOLVER = "crawler.middlewares.GuardedResolver"
DOWNLOADER_MIDDLEWARES = {
    # Credentials in a URL become an Authorization header, before anything reads the URL.
    "crawler.credentials.UrlCredentialsMiddleware": 40,
    "crawler.middlewares.PrivateAddressMiddleware": 50,
    # A source's download_delay as a floor for its hosts; before robots.txt, whose request
    # for a host then shares that host's slot.
    "crawler.politeness.HostDelayMiddleware": 60,
    # robots.txt with RFC 9309 semantics (5xx = disallow all, 4xx = allow all).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.politeness.RobotsTxtRFC9309Middleware": 100,
    # A charset no browser would believe is ignored, after decompression (590), before the
    # meta refresh reads the page's text (tests/test_security_charsets.py).
    "crawler.middlewares.DeclaredCharsetMiddleware": 585,
    # Meta refresh without a crash on a javascript: target (at Scrapy's own place).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.HttpMetaRefreshMiddleware": 580,
    # Below Scrapy's RetryMiddleware (550): a host that failed to connect after a request's
    # retries is given up for the run (crawler.giveup).
    "crawler.giveup.HostGiveUpMiddleware": 540,
    # Above Scrapy's RetryMiddleware (550), so it sees 429/503 first.
    "crawler.middlewares.RetryAfterMiddleware": 560,
    # Scale-out workers only (POLICYWIRE_PACER_URL): one pace per host across all workers.
    "crawler.politeness.SharedPacerMiddleware": 600,
}
POLICYWIRE_RETRY_AFTER_MAX_WAIT = 10.0
# A host that failed to connect after a request's retries is given up for the run.
POLICYWIRE_HOST_GIVE_UP = True


def private_addresses_allowed() -> bool:
    """The environment's ``POLICYWIRE_ALLOW_PRIVATE_ADDRESSES``: on for ``1``, ``true`` or
    ``yes`` in any case, blanks around ignored; off for anything else (``0``, empty, unset),
    so a misspelling keeps the SSRF guard up. The one reader, for ``scrapy crawl`` (below)
    and the policywire commands alike: the two once spelt it differently."""
    value = os.environ.get("POLICYWIRE_ALLOW_PRIVATE_ADDRESSES", "")
    return value.strip().lower() in ("1", "true", "yes")


# Off unless asked for: `policywire --allow-private-addresses`, `-s ...=1`, or the environment
# (read here so that `scrapy crawl` honours it as the policywire commands do).
POLICYWIRE_ALLOW_PRIVATE_ADDRESSES = private_addresses_allowed()

# Size and time caps: a news page or feed above 16 MiB is not news.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
REDIRECT_MAX_TIMES = 5
# A 5xx storm of three answers is common during deploys; a fourth try usually succeeds.
RETRY_TIMES = 3

# Politeness: a few parallel requests per site, AutoThrottle adapts to slow servers.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Record building is CPU-bound; many items in flight only add scheduling overhead.
CONCURRENT_ITEMS = 8
# Processes extracting article pages beside the reactor (crawler.spiders.pool); None: one per
# core but one (at most 4), 0: inline.
POLICYWIRE_EXTRACT_WORKERS = None
# CPU seconds one feed's or sitemap's parse, or one page's extraction, may take
# (crawler.spiders.deadline); 0: no limit. Real pages take 3-17 ms, a 16 MiB feed (~100,000
# entries) ~30 s; hostile inputs built to be slow minutes: past it, an extract_timeout.
POLICYWIRE_EXTRACT_TIMEOUT = 60.0

ITEM_PIPELINES = {"crawler.pipelines.RecordPipeline": 300}
EXTENSIONS = {
    "crawler.extensions.Progress": 500,
    # Scrapy's own log lines name URLs: their credentials left out (crawler.redact).
    "crawler.extensions.RedactedLogs": 0,
    # AutoThrottle that keeps a source's download_delay as a floor (HostDelayMiddleware).
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.extensions.FlooredAutoThrottle": 0,
}
POLICYWIRE_PROGRESS = False
POLICYWIRE_PROGRESS_INTERVAL = 1.0
# A warning line when a listing's pages will take their hosts' delays a while to fetch
# (crawler.spiders.estimate): `policywire scrape` turns it on.
POLICYWIRE_FETCH_ESTIMATE = False

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# policywire's own settings (read by crawler.pipelines.RecordPipeline.from_crawler).
POLICYWIRE_OUTPUT_DIR = "output"
POLICYWIRE_STATE_DIR = "state"
POLICYWIRE_OUTPUT_FILE = None  # a path, or "-" for stdout; None: dated files in OUTPUT_DIR
POLICYWIRE_RUN_ID = None  # None: generated at start
POLICYWIRE_LOCK_HELD = False  # True when the caller already holds the state lock
POLICYWIRE_WINDOW_DAYS = 30
# At most this many records in the near-duplicate window (DedupParams.window_records;
# `policywire --window-records`): a bound on memory, the oldest leave first.
POLICYWIRE_WINDOW_RECORDS = 500_000
# Later runs that fetch an article page again after it failed to download
# (crawler.pageretry.DEFAULT_RETRIES; `policywire crawl --page-retries`); 0: never again.
POLICYWIRE_PAGE_RETRIES = 3
# Title thresholds of story merging: "de=0.3" for one language, "0.4" for every other
# (``-s POLICYWIRE_TITLE_THRESHOLDS=de=0.3,en=0.5`` with scrapy crawl); empty: the defaults.
POLICYWIRE_TITLE_THRESHOLDS: list[str] = []
# Story clustering's parameters a run changes (crawler.stories.StoryParams field -> value:
# `policywire --story-window-days/--story-threshold`, or with scrapy crawl
# -s 'POLICYWIRE_STORY_PARAMS={"window_days": 30}'); empty: the defaults. The state keeps the
# stories' parameters: a run with others is refused until `policywire reindex` with them.
POLICYWIRE_STORY_PARAMS: dict[str, float] = {}
POLICYWIRE_TOPICS_FILE = None  # None: the bundled lexicon
# Scale-out workers (crawler.scaleout): collect into a batch file instead of merging, read the
# shared state (POLICYWIRE_STATE_DIR is then a redis:// URL) and pace hosts across workers.
POLICYWIRE_BATCH_FILE = None
POLICYWIRE_STATE_NAMESPACE = "policywire"
POLICYWIRE_PACER_URL = None
POLICYWIRE_PACER_INTERVAL = 0.25
# Requests a source may make in one run (its feeds, sitemaps and pages); a source's own
# max_requests overrides it. What is over it is rejected (request_budget) and comes later.
POLICYWIRE_MAX_REQUESTS_PER_SOURCE = 5000
# A feed's newest entries taken per fetch; a source's own max_entries overrides it. The older
# ones are counted as `capped` in the run's manifest (crawler.spiders.gate.DEFAULT_ENTRY_CAP).
POLICYWIRE_MAX_ENTRIES_PER_FEED = 1000
