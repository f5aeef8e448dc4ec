"""What a crawl job carries (set by ``enqueue``) and what a worker brings (its own flags).

Jobs travel as JSON (RQ's JSONSerializer): nothing from the shared Redis is ever unpickled.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.dedup.params import WINDOW_RECORDS
from crawler.pageretry import DEFAULT_RETRIES
from crawler.sources import Source
from crawler.stories import StoryParams

_ENV = "POLICYWIRE_WORKER"


@dataclass(frozen=True)
class RoundOptions:
    """Options of a round, chosen once by ``enqueue`` for all of its jobs."""

    since: str | None = None
    until: str | None = None
    window_days: int = 30
    window_records: int = WINDOW_RECORDS  # the round's merge's cap (DedupParams)
    title_thresholds: tuple[str, ...] = ()  # see DedupParams.configured
    topics_file: str | None = None
    lock_ttl: float = 300.0  # a dead worker's source lock frees itself after this long
    job_timeout: int = 3600
    # The round's merge makes stories with these; the shared state must have been made with
    # them too (enqueue refuses it otherwise, exit 78), as --window-days for signatures.
    story_params: StoryParams = field(default_factory=StoryParams)
    # Rounds that fetch a page again after it failed to download (crawler.pageretry); a job
    # an older enqueue queued has none: the default.
    page_retries: int = DEFAULT_RETRIES


@dataclass(frozen=True)
class CrawlJob:
    redis_url: str
    namespace: str
    round_id: str
    source: Source
    options: RoundOptions

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CrawlJob:
        source = data["source"]
        fields = {**source, "tags": tuple(source["tags"]),
                  "allowed_domains": tuple(source["allowed_domains"])}
        options = data["options"]
        return cls(data["redis_url"], data["namespace"], data["round_id"], Source(**fields),
                   RoundOptions(**{
                       **options,
                       "title_thresholds": tuple(options.get("title_thresholds", ())),
                       # a job an older enqueue queued has none: the defaults it merged with
                       "story_params": StoryParams.overridden(options.get("story_params", {})),
                   }))


@dataclass(frozen=True)
class WorkerOptions:
    """The worker's own flags: where its merges write, and what its crawls may reach."""

    output_dir: Path = Path("output")
    state_dir: Path = Path("state")  # local: quarantined output of interrupted merges
    allow_private_addresses: bool = False
    log_level: str = "WARNING"
    # Ceilings on the window caps of the merges this worker performs (its memory): the
    # round's hold where lower. None: the round's.
    window_records: int | None = None
    window_stories: int | None = None

    def capped(self, options: RoundOptions) -> tuple[int, StoryParams]:
        """The round's near-duplicate window cap and story parameters under these ceilings."""
        stories = options.story_params
        if self.window_stories is not None:
            stories = dataclasses.replace(
                stories, window_stories=min(stories.window_stories, self.window_stories))
        return min(options.window_records, self.window_records or options.window_records), \
            stories

    @property
    def writer(self) -> str:
        """Who owns a delivery journal in the shared state: this host's output directory."""
        return f"{socket.gethostname()}:{self.output_dir.resolve()}"

    def export(self) -> None:
        """Hand the options to the work horses RQ forks (they inherit the environment)."""
        os.environ[_ENV] = json.dumps({**dataclasses.asdict(self),
                                       "output_dir": str(self.output_dir),
                                       "state_dir": str(self.state_dir)})

    @classmethod
    def current(cls) -> WorkerOptions:
        data = json.loads(os.environ.get(_ENV, "{}"))
        if "output_dir" in data:
            data["output_dir"] = Path(data["output_dir"])
        if "state_dir" in data:
            data["state_dir"] = Path(data["state_dir"])
        return cls(**data)
