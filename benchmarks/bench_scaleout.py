"""Race-free story merging across processes: two writers, one shared index in Redis.

N near-duplicate pairs (the same headline words reordered, with a media tag) are split so
that one writer gets the first of each pair and another writer the second; both run at once
as separate processes against one redis-server (started here, on a unix socket):

* ``check_then_insert`` (the baseline): each writer takes its records 100 at a time, queries
  a shared datasketch MinHashLSH (Redis storage) for each, calls it a duplicate if anything is
  found, then inserts the hundred (a crawl run decides its batch, then stores it). Two writers
  interleave: both check before either inserts, and the pair is never joined;
* ``policywire``: each writer hands its records over as a batch of a round of its own (what
  a worker does) and merges its round at once (``crawler.scaleout.tasks.merge_pending``):
  the merge lock lets one merger decide at a time, the second sees the first's stories.

Printed: pairs leaked (left in two stories) by each, out of N, and each one's wall time.

    python benchmarks/bench_scaleout.py [--pairs 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.dedup import DedupParams  # noqa: E402
from crawler.dedup.signatures import title_units  # noqa: E402
from crawler.dedup.tokens import default_tokenizer  # noqa: E402
from crawler.models import Record  # noqa: E402
from crawler.runs import RunBatch, encode_batch  # noqa: E402
from crawler.scaleout.batches import publish, start_round  # noqa: E402
from crawler.scaleout.keys import Keys  # noqa: E402
from crawler.scaleout.spec import CrawlJob, RoundOptions, WorkerOptions  # noqa: E402
from crawler.scaleout.tasks import lsh_storage, merge_pending  # noqa: E402
from crawler.sources import Source  # noqa: E402
from crawler.state.redis_client import connect  # noqa: E402


def pairs(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    syllables = ["ka", "lo", "ver", "min", "sto", "ra", "den", "tu", "pel", "no", "gar", "is"]
    words = sorted({"".join(rng.choice(syllables) for _ in range(3)) for _ in range(6000)})
    found = []
    for n in range(count):
        title = rng.sample(words, 7)
        variant = title[:]
        rng.shuffle(variant)
        found.append((" ".join(title) + f" {n}", " ".join(variant) + f" {n} (VIDEO)"))
    return found


def _record(key: str, title: str, source: str) -> Record:
    return Record(id=key, url=f"https://{source}.example/{key}", source=source, title=title,
                  title_raw=title, fetched_at="2026-11-29T06:00:00Z",
                  published="2026-11-29T05:00:00Z", language="en", content_hash=key)


_BATCH = 100  # records a writer decides before it stores them


def _naive_writer(url: str, basename: bytes, side: int, titles: list[str],
                  barrier: Any) -> None:
    from datasketch import MinHashLSH

    params = DedupParams()
    lsh = MinHashLSH(threshold=params.lsh_threshold, num_perm=params.num_perm,
                     storage_config=lsh_storage(url, Keys("x")) | {"basename": basename},
                     prepickle=False)
    client = connect(url)
    tokenizer, signer = default_tokenizer(), params.title_signer()
    sigs = signer.sign(title_units(tokenizer.title_tokens(t, "en")) for t in titles)
    barrier.wait()
    for start in range(0, len(sigs), _BATCH):
        # A run decides its batch's stories, then stores them (as a crawl run does).
        chosen = {}
        for n in range(start, min(start + _BATCH, len(sigs))):
            found = lsh.query(sigs[n])  # check ...
            story = client.hget(basename + b":story", found[0]) if found else None
            chosen[f"{side}-{n}".encode()] = story or f"{side}-{n}".encode()
        for n in range(start, min(start + _BATCH, len(sigs))):
            lsh.insert(f"{side}-{n}".encode(), sigs[n], check_duplication=False)  # ... insert
        client.hset(basename + b":story", mapping=chosen)


def _both_at_once(target: Any, args: list[tuple[Any, ...]]) -> float:
    """Run ``target`` in two processes released by one barrier; the wall time of both."""
    barrier = multiprocessing.Barrier(len(args))
    started = time.perf_counter()
    procs = [multiprocessing.Process(target=target, args=(*a, barrier)) for a in args]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            sys.exit(f"a writer failed (exit {proc.exitcode})")
    return time.perf_counter() - started


def check_then_insert(url: str, data: list[tuple[str, str]]) -> tuple[int, float]:
    basename = f"naive{secrets.token_hex(3)}".encode()
    took = _both_at_once(_naive_writer, [(url, basename, side, [p[side] for p in data])
                                         for side in (0, 1)])
    stories = connect(url).hgetall(basename + b":story")
    leaked = sum(stories[f"0-{n}".encode()] != stories[f"1-{n}".encode()]
                 for n in range(len(data)))
    return leaked, took


def _merger(job: CrawlJob, folder: str, side: int, barrier: Any) -> None:
    client = connect(job.redis_url)
    barrier.wait()
    merge_pending(job, WorkerOptions(output_dir=Path(folder) / f"out{side}",
                                     state_dir=Path(folder) / f"st{side}"), client)


def single_merger(url: str, data: list[tuple[str, str]], folder: Path) -> tuple[int, float]:
    namespace = f"bench{secrets.token_hex(3)}"
    keys, client = Keys(namespace), connect(url)
    job = CrawlJob(url, namespace, "r", Source("a", "https://a.example/"), RoundOptions())
    for side in (0, 1):
        round_id = f"r{side}"
        start_round(client, keys, round_id, 1)
        batch = RunBatch(records=[_record(f"{side}-{n}", p[side], f"s{side}")
                                  for n, p in enumerate(data)])
        publish(client, keys, round_id, f"s{side}", encode_batch(batch))
    took = _both_at_once(_merger, [(job, str(folder), side) for side in (0, 1)])
    stories = {}
    for path in folder.rglob("records-*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            stories[record["id"]] = record["story_id"]
    assert len(stories) == 2 * len(data), f"{len(stories)} records written"
    return sum(stories[f"0-{n}"] != stories[f"1-{n}"] for n in range(len(data))), took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        sys.exit("redis-server is needed: apt-get install -y redis-server")
    folder = Path(tempfile.mkdtemp(prefix="bench-scaleout-"))
    socket = folder / "redis.sock"
    server = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", str(socket),
                               "--save", "", "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL)
    try:
        while not socket.exists():
            time.sleep(0.05)
        url = f"unix://{socket}"
        data = pairs(args.pairs)
        naive_leaked, naive_s = check_then_insert(url, data)
        ours_leaked, ours_s = single_merger(url, data, folder)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)
    result = {"pairs": args.pairs,
              "check_then_insert": {"leaked": naive_leaked, "seconds": round(naive_s, 2)},
              "policywire": {"leaked": ours_leaked, "seconds": round(ours_s, 2)}}
    if args.json:
        print(json.dumps(result))
        return
    print(f"{args.pairs} near-duplicate pairs, two writers at once, one Redis:")
    print(f"  check then insert (baseline): {naive_leaked:5d} pairs leaked  {naive_s:6.2f} s")
    print(f"  policywire (merge lock):      {ours_leaked:5d} pairs leaked  {ours_s:6.2f} s")


if __name__ == "__main__":
    main()
