"""What a policywire worker agrees to run: :func:`crawler.scaleout.tasks.crawl_source`, and
nothing else.

An RQ job names the function it runs (``"os.system"``), its callbacks and webhooks, and RQ's
own job class imports and calls whatever is named: with the JSON serializer as much as with
pickle. Anyone who can write to the queue's Redis would run code as every worker's user. The
worker's job class below checks the names a job carries against the one task *before*
anything is imported, and refuses the job otherwise: it fails with :class:`JobRefused`, whose
message names what was asked, and no callback runs and no webhook is sent for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rq.job import Job

from crawler.errors import JobRefused

TASK = "crawler.scaleout.tasks.crawl_source"


def refusal(job: Job) -> str | None:
    """Why a worker refuses ``job``, or ``None`` when it is a crawl job and nothing more.

    Reads only the names stored in Redis (``func_name`` and the like), never imports them.
    """
    # The private names are RQ 2's own fields (rq>=2,<3): the public properties import.
    callbacks = [name for name in (job._success_callback_name, job._failure_callback_name,
                                   job._stopped_callback_name) if name]
    if job.func_name != TASK or job.instance is not None:
        return f"policywire workers run only {TASK}, not {job.func_name!r}"
    if callbacks:
        return f"policywire workers run no job callbacks ({', '.join(map(repr, callbacks))})"
    if job.webhooks:
        return f"policywire workers send no job webhooks ({job.webhooks[0].url!r})"
    return None


class GuardedJob(Job):
    """RQ's job, limited to :data:`TASK`: any other function, callback or webhook is refused
    when the worker comes to run it (the job fails with :class:`JobRefused`)."""

    @property
    def func(self) -> Callable[..., Any]:
        reason = refusal(self)
        if reason is not None:
            raise JobRefused(reason)
        from crawler.scaleout.tasks import crawl_source  # noqa: PLC0415 - the crawl stack

        return crawl_source

    # A refused job still passes through RQ's failure handling, which would import and call
    # its callbacks and send its webhooks: a crawl job has none, so none are ever read.
    @property
    def success_callback(self) -> None:
        return None

    @property
    def failure_callback(self) -> None:
        return None

    @property
    def stopped_callback(self) -> None:
        return None

    def send_webhooks(self, status: Any, *, exc_string: str | None = None) -> None:
        return None
