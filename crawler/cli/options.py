"""The option groups commands share (argparse parents): each command takes the groups of the
options it uses, and no other."""

from __future__ import annotations

import argparse
import math

from crawler.cli.checks import date_value
from crawler.dedup.params import WINDOW_RECORDS, DedupParams
from crawler.foreign import KNOWN_KEYS
from crawler.pageretry import DEFAULT_RETRIES
from crawler.stories import StoryParams

#: How --since and --until read, in every command's help.
DATES = "an ISO date or time, or 7d, 24h, yesterday, today (UTC)"


def crawling(state_dir: str | None = "state") -> argparse.ArgumentParser:
    """The options of the commands that crawl and keep a state: paths, fetching, selection,
    matching, logging. ``state_dir`` None: no state unless one is given (a one-off scrape)."""
    return argparse.ArgumentParser(add_help=False, parents=[
        matching(), stories(), logging(), paths(state_dir), network(), selection(),
        retries()])


def selection() -> argparse.ArgumentParser:
    """What a crawl keeps: a time window of entries, the topic lexicon it tags with."""
    chosen = argparse.ArgumentParser(add_help=False)
    chosen.add_argument("--since", type=date_value,
                        help="skip entries dated before this, by their feed's or sitemap's"
                             f" date, else their page's: {DATES}")
    chosen.add_argument("--until", type=date_value,
                        help="skip entries dated at or after this (as --since)")
    chosen.add_argument("--topics", help="topic lexicon TOML (default: the bundled one; "
                        "a file starting with extends = \"bundled\" adds to it)")
    return chosen


def published() -> argparse.ArgumentParser:
    """The time window of what ``export``, ``stories`` and ``report`` read."""
    group = argparse.ArgumentParser(add_help=False)
    # An undated record counts by when it was fetched (export.filters.record_time).
    group.add_argument("--since", type=date_value,
                       help=f"published (or, undated, fetched) at or after: {DATES}")
    group.add_argument("--until", type=date_value, help="published (or fetched) before")
    return group


def network() -> argparse.ArgumentParser:
    group = argparse.ArgumentParser(add_help=False)
    group.add_argument("--allow-private-addresses", action="store_true",
                       help="let the crawler reach loopback/private hosts "
                            "(env POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1)")
    return group


def retries() -> argparse.ArgumentParser:
    """How many later runs fetch a page again that failed to download (crawler.pageretry)."""
    group = argparse.ArgumentParser(add_help=False)
    group.add_argument("--page-retries", type=_retries, default=DEFAULT_RETRIES, metavar="N",
                       help="fetch an article page that failed to download (an HTTP error,"
                            " a timeout, DNS) again on the next N runs, until it answers;"
                            f" 0: never (default {DEFAULT_RETRIES})")
    return group


def paths(state_dir: str | None = "state", output_dir: str | None = "output"
          ) -> argparse.ArgumentParser:
    group = argparse.ArgumentParser(add_help=False)
    group.add_argument("--output-dir", default=output_dir,
                       help="where results, rejects and runs.jsonl go (output/)")
    group.add_argument("--state-dir", default=state_dir, help=(
        "embedded state (state/)" if state_dir else
        "embedded state, to scrape incrementally and merge stories with earlier runs"
        " (default: none: every scrape writes every record of the URL)"))
    return group


def read_paths() -> argparse.ArgumentParser:
    """The paths of a command that reads what crawls wrote (``stats``): nothing by default
    but the output directory, and a state only when given."""
    group = argparse.ArgumentParser(add_help=False)
    group.add_argument("--output-dir", help="the output directory a crawl wrote, as DIR"
                       " (output/)")
    group.add_argument("--state-dir", help="the crawl's state, for each feed's own error"
                       " streak where it is longer than its source's (default: none)")
    return group


def window() -> argparse.ArgumentParser:
    group = argparse.ArgumentParser(add_help=False)
    group.add_argument("--window-days", type=_days, default=30,
                       help="how far back a record is matched as a copy of an earlier one"
                            " (near-duplicates: duplicate_of; default 30; stories:"
                            " --story-window-days)")
    group.add_argument("--window-records", type=_count, default=WINDOW_RECORDS, metavar="N",
                       help="at most this many records in that window, the oldest leave"
                            f" first: a bound on memory (default {WINDOW_RECORDS:,})")
    return group


def matching() -> argparse.ArgumentParser:
    group = argparse.ArgumentParser(add_help=False, parents=[window()])
    group.add_argument("--title-threshold", action="append", metavar="[LANG=]J",
                       help="title similarity at which a record is a copy of another"
                            " (near-duplicates: duplicate_of, and so one story), for one"
                            " language (de=0.3) or every other (0.4); repeatable. Defaults: "
                            + ", ".join(f"{lang} {value}"
                                        for lang, value in DedupParams.title_thresholds)
                            + f", others {DedupParams.default_title_threshold}")
    return group


def stories() -> argparse.ArgumentParser:
    """Story clustering's window, threshold and scene rule
    (:class:`crawler.stories.StoryParams`). A state keeps the parameters its stories were
    made with: a crawl with others is refused (exit 78) until ``policywire reindex`` has
    remade them with the same options."""
    group = argparse.ArgumentParser(add_help=False)
    group.add_argument("--story-window-days", type=_positive_days, metavar="DAYS",
                       help="a story takes new members while its latest is at most this"
                            f" old (default {StoryParams.window_days:g})")
    group.add_argument("--story-threshold", type=_unit, metavar="J",
                       help="score (0-1) at which a record with a body joins a story"
                            f" (default {StoryParams.content_threshold:g})")
    group.add_argument("--story-scene-bonus", type=_unit, metavar="B",
                       help="score (0-1) a report gains that names a story's town, kind of act"
                            " and a particular of it within a day (German; default"
                            f" {StoryParams.scene_bonus:g}; 0 turns the rule off)")
    group.add_argument("--story-window-stories", type=_count, metavar="N",
                       help="at most this many stories held, the oldest leave first: a bound"
                            f" on memory (default {StoryParams.window_stories:,})")
    return group


def ceilings() -> argparse.ArgumentParser:
    """``worker``'s caps: the round's (``enqueue``'s) hold where lower; these bound the
    memory of the merges this machine performs."""
    group = argparse.ArgumentParser(add_help=False)
    group.add_argument("--window-records", type=_count, metavar="N",
                       help="at most this many records in the near-duplicate window of a"
                            " merge here (default: the round's, from enqueue)")
    group.add_argument("--story-window-stories", type=_count, metavar="N",
                       help="at most this many stories held by a merge here (default: the"
                            " round's, from enqueue)")
    return group


def _positive_days(value: str) -> float:
    """Days, fractions allowed, more than 0 and finite."""
    days = _float(value, "a number of days")
    if not 0.0 < days < math.inf:  # NaN fails too
        raise argparse.ArgumentTypeError(f"must be more than 0 days, got {value}")
    return days


def _unit(value: str) -> float:
    """A number from 0 to 1."""
    number = _float(value, "a number")
    if not 0.0 <= number <= 1.0:  # NaN fails too
        raise argparse.ArgumentTypeError(f"must be within [0, 1], got {value}")
    return number


def _float(value: str, what: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {value!r}") from None


def _retries(value: str) -> int:
    """A whole number, 0 or more (0: a failed page is not fetched again)."""
    return _count(value, least=0)


def _count(value: str, what: str = "a whole number", least: int = 1) -> int:
    """A whole number, ``least`` or more (a cap)."""
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {value!r}") from None
    if count < least:
        raise argparse.ArgumentTypeError(f"must be {least} or more, got {count}")
    return count


def _days(value: str) -> int:
    """A whole number of days, 1 or more: 0 would be refused later as configuration."""
    return _count(value, "a whole number of days")


def fields() -> argparse.ArgumentParser:
    group = argparse.ArgumentParser(add_help=False)
    group.add_argument("--field", action="append", metavar="FIELD=KEY",
                       # Named from the table FieldMap checks --field against: "summary"
                       # was accepted but went unlisted.
                       help=f"read FIELD ({', '.join(KNOWN_KEYS)}) from the input's KEY,"
                            " e.g. text=maintext; repeatable. Without"
                            " it the names news-please, trafilatura, newspaper4k and Fundus"
                            " use are recognised")
    return group


def logging() -> argparse.ArgumentParser:
    group = argparse.ArgumentParser(add_help=False)
    group.add_argument("--log-level", default="WARNING",
                       choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    group.add_argument("--log-format", choices=["text", "json"], default="text",
                       help="log lines as text or as JSON objects (for log shippers)")
    group.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return group
