"""``enqueue`` takes ``--story-window-days`` and ``--story-threshold`` as ``crawl`` does: the
round's merge makes stories with them, and a shared state made with others is refused before
any job (one line naming the stored values, exit 78). Before, neither command took them: a
namespace could only ever hold stories of the defaults."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict
from pathlib import Path

import pytest
from rq import Queue
from rq.serializers import JSONSerializer

from crawler.scaleout.keys import Keys
from crawler.scaleout.spec import CrawlJob
from crawler.state import RedisStateStore
from crawler.state.redis_client import connect
from crawler.stories import StoryParams
from tests.conftest import run_cli
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import FEEDS, sources_toml

STORY_OPTIONS = ("--story-threshold", "0.3", "--story-window-days", "20")


def _mark(redis_url: str, namespace: str, made: StoryParams) -> None:
    """Mark ``namespace`` as a round's merge with ``made`` marks it."""
    state = RedisStateStore(redis_url, namespace=namespace)
    state.set_story_params_fingerprint(made.fingerprint())
    state.set_story_params_values(json.dumps(asdict(made), sort_keys=True))
    state.close()


def _queued_options(redis_url: str, namespace: str) -> list[dict[str, object]]:
    """The story parameters of every job queued in ``namespace``, as a worker reads them."""
    client = connect(redis_url)
    try:
        jobs = Queue(Keys(namespace).queue, connection=client, serializer=JSONSerializer).jobs
        return [asdict(CrawlJob.from_json(job.args[0]).options.story_params) for job in jobs]
    finally:
        client.close()


def test_enqueue_passes_its_story_options_to_every_job(tmp_path: Path, redis_url: str) -> None:
    namespace = f"t{secrets.token_hex(4)}"
    made = StoryParams(content_threshold=0.3, window_days=20.0)
    _mark(redis_url, namespace, made)
    sources = tmp_path / "s.toml"
    sources.write_text('[[sources]]\nname = "x"\nurl = "https://x.example/feed"\n',
                       encoding="utf-8")
    run = run_cli("enqueue", "--sources", str(sources), "--redis", redis_url, "--namespace",
                  namespace, *STORY_OPTIONS, cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert _queued_options(redis_url, namespace) == [asdict(made)]
    other = run_cli("enqueue", "--sources", str(sources), "--redis", redis_url, "--namespace",
                    namespace, "--story-threshold", "0.25", cwd=tmp_path)
    assert other.code == 78 and other.stderr.count("\n") == 1, other.stderr
    assert "content_threshold=0.3 (this run: 0.25)" in other.stderr, other.stderr
    assert "window_days=20 (this run: 60)" in other.stderr, other.stderr
    out_of_range = run_cli("enqueue", "--sources", str(sources), "--redis", redis_url,
                           "--story-threshold", "1.5", cwd=tmp_path)
    assert out_of_range.code == 2 and "within [0, 1]" in out_of_range.stderr


@pytest.mark.slow
def test_a_rounds_merge_makes_stories_with_enqueues_options(
        site: FixtureSite, tmp_path: Path, redis_url: str) -> None:
    namespace = f"t{secrets.token_hex(4)}"
    sources = sources_toml(site, [FEEDS[1]], tmp_path)
    run = run_cli("enqueue", "--sources", str(sources), "--redis", redis_url, "--namespace",
                  namespace, *STORY_OPTIONS, cwd=tmp_path)
    assert run.code == 0, run.stderr
    worker = run_cli("worker", "--redis", redis_url, "--namespace", namespace, "--burst",
                     "--output-dir", str(tmp_path / "out"), "--state-dir",
                     str(tmp_path / "st"), cwd=tmp_path)
    assert worker.code == 0, worker.stderr
    state = RedisStateStore(redis_url, namespace=namespace)
    made = StoryParams(content_threshold=0.3, window_days=20.0)
    assert state.story_params_fingerprint() == made.fingerprint()
    state.close()
    # The next round with the defaults is refused before any job, naming what was used.
    again = run_cli("enqueue", "--sources", str(sources), "--redis", redis_url,
                    "--namespace", namespace, cwd=tmp_path)
    assert again.code == 78 and again.stderr.count("\n") == 1, again.stderr
    assert "content_threshold=0.3 (this run: 0.12)" in again.stderr, again.stderr
