from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.sitesrv import SITE, FixtureSite, serve

REPO = Path(__file__).resolve().parents[1]

# The property tests' examples are cheap to run but, on a 2-core machine busy with the rest of
# the suite, Hypothesis can take long enough to *generate* them that its too_slow health check
# fails a test whose property holds. The check guards generation speed, not behaviour: off.
settings.register_profile("policywire", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("policywire")


@pytest.fixture(autouse=True)
def _root_logger_kept() -> Iterator[None]:
    """The root logger's level and handlers as each test found them: a command run in-process
    (``main([..., "-q"])``) configures logging for a process, and its WARNING level left on the
    root logger hid the INFO lines a later test's ``caplog`` reads."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)


@pytest.fixture(scope="session")
def site() -> Iterator[FixtureSite]:
    fixture_site, server = serve(SITE)
    yield fixture_site
    server.shutdown()
    server.server_close()


@pytest.fixture
def fresh_site() -> Iterator[FixtureSite]:
    """A site whose routes a test may change without touching other tests."""
    fixture_site, server = serve(SITE)
    yield fixture_site
    server.shutdown()
    server.server_close()


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Run:
    """Run the real ``policywire`` command in a subprocess (a fresh Twisted reactor each)."""
    full_env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], cwd=cwd, env=full_env,
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def kill_a_lock_holder(state_dir: Path) -> int:
    """The pid of a process that took the state lock of ``state_dir`` and was killed
    (``kill -9``) holding it."""
    code = (f"from crawler.state import StateLock; from pathlib import Path; import os; "
            f"StateLock(Path({str(state_dir)!r})).acquire(); os.kill(os.getpid(), 9)")
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=REPO)
    assert holder.wait(timeout=60) == -9
    return holder.pid


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def records_under(folder: Path) -> list[dict[str, Any]]:
    return [r for p in sorted(folder.rglob("records-*.jsonl")) for r in read_jsonl(p)]


def rejects_under(folder: Path) -> list[dict[str, Any]]:
    return [r for p in sorted(folder.rglob("rejects-*.jsonl")) for r in read_jsonl(p)]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server for the session (tests keep apart by namespace, not FLUSHALL).

    Fails, never skips, where redis-server is missing: the Redis state must be tested.
    """
    from tests.redisrv import INSTALL_HINT, start

    if shutil.which("redis-server") is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    server = start(tmp_path_factory.mktemp("redis"))
    yield server.url
    server.stop()
