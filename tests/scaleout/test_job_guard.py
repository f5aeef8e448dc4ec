"""A worker runs crawl jobs and nothing else: a job that names another function, a callback
or a webhook fails unrun, with its reason, and leaves no trace (a real redis-server, a real
``policywire worker``, jobs enqueued as anyone who can write to that Redis could)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from rq import Callback, Queue
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from rq.webhook import Webhook

from tests.sitesrv import FixtureSite

pytestmark = pytest.mark.slow

#: Imported, it leaves a file behind: proof that the worker imported a module a job named.
_TRAP = """\
from pathlib import Path
Path({marker!r}).write_text("imported")
def run(*args, **kwargs):
    Path({marker!r}).write_text("called")
"""


def test_a_worker_refuses_every_job_but_a_crawl(redis_url: str, fresh_site: FixtureSite,
                                                tmp_path: Path) -> None:
    namespace = f"t{secrets.token_hex(4)}"
    markers = {name: tmp_path / f"{name}.touched" for name in ("system", "call", "trap", "back")}
    traps = tmp_path / "traps"
    traps.mkdir()
    for name in ("trap", "back"):
        (traps / f"{name}_module.py").write_text(_TRAP.format(marker=str(markers[name])))
    client = redis.Redis.from_url(redis_url)
    queue = Queue(namespace, connection=client, serializer=JSONSerializer)
    jobs = {
        "system": queue.enqueue("os.system", f"touch {markers['system']}"),
        "call": queue.enqueue("subprocess.check_call", ["touch", str(markers["call"])]),
        "trap": queue.enqueue("trap_module.run"),
        # The crawl task itself, carrying a callback to import or a webhook to call.
        "back": queue.enqueue("crawler.scaleout.tasks.crawl_source", {},
                              on_failure=Callback("back_module.run")),
        "hook": queue.enqueue("crawler.scaleout.tasks.crawl_source", {}, webhooks=[
            Webhook(fresh_site.url("/hook"), "failed")]),
    }
    env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1",
           "PYTHONPATH": os.pathsep.join([str(traps), os.environ.get("PYTHONPATH", "")])}
    worker = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "worker", "--redis", redis_url, "--namespace",
         namespace, "--burst", "--output-dir", str(tmp_path / "out"), "--state-dir",
         str(tmp_path / "state")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert worker.returncode == 0, worker.stderr[-3000:]

    assert [p.name for p in markers.values() if p.exists()] == []
    assert fresh_site.hits == {}, "a webhook was sent"
    for name, enqueued in jobs.items():
        job = Job.fetch(enqueued.id, connection=client, serializer=JSONSerializer)
        assert job.get_status() == JobStatus.FAILED, name
        result = job.latest_result()
        assert result is not None and "JobRefused: policywire workers" in (
            result.exc_string or ""), (name, result and result.exc_string)
    refused = Job.fetch(jobs["system"].id, connection=client, serializer=JSONSerializer)
    assert "run only crawler.scaleout.tasks.crawl_source, not 'os.system'" in (
        refused.latest_result().exc_string or "")  # type: ignore[union-attr]
