"""What a crawl's last line tells its operator: the run's totals, the sources that yielded
nothing but rejects, those that have for ``dead_after`` runs in a row (dead), and, when every
source failed alike, that one cause ("no source reachable: DNS lookup failed for all 29
sources") instead of a count of ``download_error`` rejects.

Read from what the run wrote (its summary, its rejects file, ``runs.jsonl``), so that cron's
one line and ``policywire stats`` count failures the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.report.health import DEAD_AFTER, failing_streak
from crawler.report.load import read_runs
from crawler.sinks import read_json_lines, run_paths
from crawler.tally import pages_failed, yielded_nothing

# A long list of names helps no one on one line: the first few, then how many more.
NAMES_SHOWN = 8

# Reject details (Twisted's exception names and messages, our own codes) to the cause an
# operator acts on; the first pattern that matches wins.
_CAUSES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), cause) for pattern, cause in (
        (r"DNSLookupError|CannotResolveHost|DNS lookup failed", "DNS lookup failed"),
        (r"ConnectionRefused|Connection was refused", "connection refused"),
        (r"TimeoutError|TCPTimedOut|took longer than", "timed out"),
        (r"NoRouteError|No route to host|Network is unreachable", "network unreachable"),
        (r"^private_address", "private address refused"),
        (r"TLSError|SSL", "TLS handshake failed"),
    )
)
# The causes that mean the network, not the sources: said as "no source reachable".
_UNREACHABLE = frozenset({"DNS lookup failed", "connection refused", "timed out",
                          "network unreachable"})


def cause(reason: str, detail: str) -> str:
    """The cause of one reject: a network failure named, an HTTP status, else its reason."""
    status = re.match(r"http_(\d{3})", detail)
    if status:
        return f"HTTP {status.group(1)}"
    if reason == "unsupported_content":  # its detail says what came: "... page: text/plain"
        return detail
    return next((said for pattern, said in _CAUSES if pattern.search(detail)), reason)


@dataclass(frozen=True)
class Outcome:
    """A finished crawl as its last line tells it."""

    exit_code: int
    runs_path: Path
    totals: Mapping[str, int] = field(default_factory=dict)
    reasons: Mapping[str, int] = field(default_factory=dict)
    failed: tuple[str, ...] = ()  # sources with nothing but rejects in this run
    causes: Mapping[str, str] = field(default_factory=dict)  # failed source -> its one cause
    dead: tuple[tuple[str, int], ...] = ()  # (source, failed runs in a row) >= dead_after
    pages_failing: tuple[str, ...] = ()  # sources whose every page of this run failed
    page_causes: Mapping[str, str] = field(default_factory=dict)  # such a source -> its cause
    cause: str = ""  # the one cause every source failed for, when all did
    given_up: Mapping[str, int] = field(default_factory=dict)  # host -> pages not tried
    error: str = ""
    interrupted: bool = False
    written: bool = True  # its runs.jsonl line (none from a crawl stopped before its merge)

    def line(self) -> str:
        """One line, without the program's name: the problems first, totals last."""
        said = [self.error] if self.error else []
        if self.interrupted:
            said.append("interrupted before it was done (the next run reads every feed again)")
        if self.cause:
            said.append(self._everyone())
        elif self.failed:
            said.append("nothing but rejects from " + _names(
                [f"{name} ({self.causes[name]})" if name in self.causes else name
                 for name in self.failed]))
        if self.pages_failing:
            said.append("no page fetched from " + _names(
                [f"{name} ({self.page_causes[name]})" if name in self.page_causes else name
                 for name in self.pages_failing]))
        if self.given_up:
            said.append("gave up on " + _names(
                [f"host {host} after it failed to connect ({pages} not fetched)"
                 for host, pages in sorted(self.given_up.items())]))
        if "private_address" in self.reasons:
            # Loopback and intranet sources fail on a first try with the guard on: the way
            # on belongs on the line, not only in the README.
            said.append("the SSRF guard refused private addresses: --allow-private-addresses"
                        " (or POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1) crawls them if meant")
        if self.dead:
            said.append("dead (failed runs in a row): "
                        + _names([f"{name} ({runs})" for name, runs in self.dead]))
        if self.reasons:
            said.append("rejects " + ", ".join(f"{why} {count}"
                                               for why, count in sorted(self.reasons.items())))
        if self.totals:  # none when the crawl ended before its merge stage
            said.append("totals " + ", ".join(f"{name} {count}" for name, count in
                                              self.totals.items() if count or name == "records"))
        if self.written:
            said.append(f"see {self.runs_path}")
        # "no source reachable: ..." says it all when it comes first; anything else needs
        # the head (an error or a stop before it would read as the reachability's cause).
        reachable = said[0].startswith("no source reachable")
        return ("" if reachable else "run ended with problems: ") + "; ".join(said)

    def _everyone(self) -> str:
        count = len(self.failed)
        every = f"{self.cause} for all {count} sources" if count > 1 else \
            f"{self.cause} for its one source"
        return f"no source reachable: {every}" if self.cause in _UNREACHABLE else \
            f"every source failed: {every}"

    def as_dict(self) -> dict[str, Any]:
        return {"exit_code": self.exit_code, "totals": dict(self.totals),
                "reject_reasons": dict(self.reasons), "failed_sources": list(self.failed),
                "failed_causes": dict(self.causes),
                "pages_failing_sources": list(self.pages_failing),
                "pages_failing_causes": dict(self.page_causes),
                "dead_sources": dict(self.dead), "cause": self.cause or None,
                "given_up_hosts": dict(self.given_up),
                # As the text line: no path to a file the run never wrote.
                "runs": str(self.runs_path) if self.written else None}


def outcome(summary: Mapping[str, Any], output_dir: Path,
            dead_after: int = DEAD_AFTER) -> Outcome:
    """The outcome of a run from its ``summary`` (its ``runs.jsonl`` line) and what it wrote
    under ``output_dir``."""
    sources = summary.get("sources")
    failed = tuple(sorted(name for name, counts in sources.items()
                          if isinstance(counts, dict) and yielded_nothing(counts))
                   ) if isinstance(sources, dict) else ()
    # Sources whose feed answered but none of whose pages did (their records carry the feed's
    # words only): named, or the run's exit 1 would have no cause on its line.
    pages_failing = tuple(sorted(name for name, counts in sources.items()
                                 if isinstance(counts, dict) and pages_failed(counts))
                          ) if isinstance(sources, dict) else ()
    runs_path = output_dir / "runs.jsonl"
    runs = list(read_runs(runs_path)) if failed else []
    streaks = ((name, failing_streak(name, runs)) for name in failed)
    raw_code = summary.get("exit_code", 1)
    causes = _causes(summary, output_dir, failed) if failed else {}
    interrupted = bool(summary.get("interrupted"))
    return Outcome(
        exit_code=raw_code if isinstance(raw_code, int) else 1, runs_path=runs_path,
        totals=summary.get("totals") or {}, reasons=summary.get("reject_reasons") or {},
        failed=failed, causes=causes,
        dead=tuple((n, s) for n, s in streaks if s >= dead_after), pages_failing=pages_failing,
        page_causes=_page_causes(summary, pages_failing) if pages_failing else {},
        cause=_common_cause(summary, failed, causes, interrupted=interrupted),
        error=str(summary.get("error") or ""), interrupted=interrupted,
        given_up=summary.get("given_up_hosts") or {},
        written="run_id" in summary,
    )


def _causes(summary: Mapping[str, Any], output_dir: Path,
            failed: tuple[str, ...]) -> dict[str, str]:
    """Each failed source's cause, read from the run's rejects file, where its rejects agree
    on one (a source whose pages failed some with 404, some with 500, has none)."""
    run_id, started = str(summary.get("run_id") or ""), str(summary.get("started") or "")
    rejects = run_paths(output_dir, run_id, started[:10])[1]
    if not run_id:
        return {}
    return _agreed_causes([rejects], failed, lambda obj: cause(
        str(obj.get("reason") or ""), str(obj.get("detail") or "")))


def _page_causes(summary: Mapping[str, Any], failing: tuple[str, ...]) -> dict[str, str]:
    """Each pages-failing source's cause, read from the ``page_error`` of its records in the
    files the run wrote (``scrape -o FILE``'s too), where they agree on one: "no page fetched
    from nato" alone left the operator to open the records to learn it was a 403 or DNS."""
    paths = [Path(str(f.get("path") or "")) for f in summary.get("files") or ()
             if isinstance(f, dict)]
    # A line with no page_error (a reject, a page fetched) names no cause; one cause() cannot
    # name is "", and a source with it keeps its name bare.
    return _agreed_causes(paths, failing, lambda obj: cause("", str(obj["page_error"]))
                          if obj.get("page_error") else None)


def _agreed_causes(paths: Sequence[Path], names: tuple[str, ...],
                   cause_of: Callable[[dict[str, Any]], str | None]) -> dict[str, str]:
    """The one cause ``cause_of`` gives every line of ``paths`` naming each of ``names`` as
    its source, for the names whose lines agree (None: the line says nothing)."""
    found: dict[str, set[str]] = {name: set() for name in names}
    for path in paths:
        if not path.is_file():  # no rejects this run; -o - wrote the records to stdout
            continue
        for _, obj, _ in read_json_lines(path):
            # A line that names no source as a string (a list, edited in by hand or another
            # tool) names none: a list was no dict key, and the run's last line died of it.
            source = obj.get("source") if obj is not None else None
            said = cause_of(obj) if obj is not None and isinstance(source, str) \
                and source in found else None
            if said is not None:
                found[str(source)].add(said)
    return {name: causes.pop() for name, causes in found.items()
            if len(causes) == 1 and "" not in causes}


def _common_cause(summary: Mapping[str, Any], failed: tuple[str, ...],
                  causes: Mapping[str, str], *, interrupted: bool) -> str:
    """The cause every source of the run failed for, or ``""`` (some source did not fail,
    or they failed for different causes).

    A stopped run's summary holds only the sources it got to: one throttled source of
    nine was "every source failed: HTTP 429". Only the network's causes (DNS, refused
    connections) still speak for the rest there; other causes are each source's own."""
    if not failed or set(failed) != set(summary.get("sources") or {}):
        return ""
    said = {causes.get(name, "") for name in failed}
    common = said.pop() if len(said) == 1 else ""
    return "" if interrupted and common not in _UNREACHABLE else common


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


__all__ = ["Outcome", "cause", "outcome"]
