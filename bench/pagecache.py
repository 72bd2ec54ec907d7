"""The employer's share page against the static-file floor (issue 19): at 10, 100 and
500 items, rendered on every request ("uncached", SHARE_PAGE_CACHE=0) and from the
rendered-page cache ("cached"), under gunicorn with production's configuration
(portfolio/gunicorn_conf.py, DJANGO_DEBUG=0, manifest static files, persistent database
connections) on PostgreSQL and Redis.

Each row is one bounded wrk run (installed by `make bench` if missing; else the Python
generator of bench/load.py): latency on one connection, throughput on LOAD_CONNECTIONS.
The floor is the page's own bytes served as a static file by the same gunicorn in the
same run; each ratio is page / floor for latency and CPU, floor / page for throughput,
so "3.0x" means three times worse either way. CPU is gunicorn's workers' CPU time per
request over the two timed runs (not wrk's, PostgreSQL's or Redis's): on a machine
shared with other work it moves far less than time does. Also: the open count after
folding, against the pages wrk was answered; and the learner dashboard and formative
timeline at 1,000 evidence items, in-process (Django's test client), as the other
in-process tables.

Needs PostgreSQL and Redis: BENCH_DATABASE_URL and BENCH_REDIS_URL, else throwaway
servers on PG_PORT and REDIS_PORT for the run (the measuring runs in a child process,
so Django starts with that Redis as its cache).
"""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from bench import load, postgres
from bench.environment import BASE_DIR, BENCH_DIR, FLOOR_STATIC_PREFIX
from bench.harness import BenchmarkError, format_grid

SIZES = (10, 100, 500)
TIMELINE_ITEMS = 1_000
LATENCY_CONNECTIONS = 1
LOAD_CONNECTIONS = 4
WARM_UP_S = 1.0
RUN_S = 4.0
PG_PORT = 5487
REDIS_PORT = 6387
SETTINGS_MODULE = "bench.pagecache_settings"
STATIC_ROOT = BENCH_DIR / "static"
CHILD_TIMEOUT_S = 1800


@dataclass(frozen=True)
class Side:
    warm_up: load.LoadRun
    latency: load.LoadRun  # one connection
    load: load.LoadRun  # LOAD_CONNECTIONS connections
    cpu_ms: float  # gunicorn's workers' CPU time per request over both runs

    @property
    def requests(self) -> int:
        return sum(run.ok + run.errors for run in (self.latency, self.load))


@dataclass(frozen=True)
class SizeResult:
    items: int
    page_bytes: int
    uncached: Side
    cached: Side
    floor: Side
    opens_counted: int  # the link's open count growth, folded
    pages_answered: int  # 200s that wrk and the checks saw for the cached page


def _production_env(cache_pages: bool) -> dict[str, str]:
    return {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "SHARE_PAGE_CACHE": "1" if cache_pages else "0",
        "OUTBOUND_FETCH_ALLOW_LOOPBACK": "",  # the bench's own badges need it; refused here
    }


def _collectstatic() -> None:
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env={
            **os.environ,
            **_production_env(True),
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise BenchmarkError(f"collectstatic failed:\n{done.stderr or done.stdout}")


def _measure(gunicorn: Any, url: str, expected: bytes) -> Side:
    """Warm up, then time one connection and LOAD_CONNECTIONS; also the workers' CPU time
    per request, which a machine shared with other work disturbs far less than time."""
    port, options = gunicorn.server.port, {"expected": expected}
    warm_up = load.run(port, url, seconds=WARM_UP_S, connections=LOAD_CONNECTIONS, **options)
    cpu_before = sum(gunicorn.workers_cpu_s().values())
    latency = load.run(port, url, seconds=RUN_S, connections=LATENCY_CONNECTIONS, **options)
    under_load = load.run(port, url, seconds=RUN_S, connections=LOAD_CONNECTIONS, **options)
    cpu_s = sum(gunicorn.workers_cpu_s().values()) - cpu_before
    for run in (latency, under_load):
        if not run.ok:  # a few refusals (load shedding on a busy machine) are printed
            raise BenchmarkError(f"GET {url}: no right answer ({run.error_kinds}).")
    side = Side(warm_up=warm_up, latency=latency, load=under_load, cpu_ms=0.0)
    return replace(side, cpu_ms=cpu_s * 1000 / side.requests)


def _size(items: int) -> SizeResult:
    from bench import showcase
    from bench.environment import reset_database
    from bench.server import gunicorn_log_tail, running_gunicorn
    from portfolio.models import ShareLink
    from portfolio.showcases.opens import link_opens_fold

    reset_database()
    shared = showcase.build(items)

    def serve(cache_pages: bool) -> Any:
        return running_gunicorn(
            env=_production_env(cache_pages),
            settings_module=SETTINGS_MODULE,
            production_config=True,
        )

    with serve(False) as gunicorn:
        page = gunicorn.server.request("GET", shared.url)
        if page.status != 200:
            raise BenchmarkError(f"GET {shared.url}: {page.status}\n{gunicorn_log_tail()}")
        showcase.check_page(page.body, shared)
        uncached = _measure(gunicorn, shared.url, page.body)
    floor_name = f"{FLOOR_STATIC_PREFIX}/showcase-{items}.html"
    (STATIC_ROOT / floor_name).parent.mkdir(parents=True, exist_ok=True)
    (STATIC_ROOT / floor_name).write_bytes(page.body)
    link_opens_fold()
    before = ShareLink.objects.get(pk=shared.link_id).open_count
    with serve(True) as gunicorn:
        floor_url = f"/static/{floor_name}"
        if gunicorn.server.request("GET", floor_url).body != page.body:
            raise BenchmarkError(f"GET {floor_url} is not the page's bytes.")
        cached = _measure(gunicorn, shared.url, page.body)
        floor = _measure(gunicorn, floor_url, page.body)
    link_opens_fold()
    counted = ShareLink.objects.get(pk=shared.link_id).open_count - before
    runs = (cached.warm_up, cached.latency, cached.load)
    return SizeResult(
        items=items,
        page_bytes=len(page.body),
        uncached=uncached,
        cached=cached,
        floor=floor,
        opens_counted=counted,
        pages_answered=sum(r.ok for r in runs),
    )


def _timeline() -> list[tuple[str, float, float, int]]:
    """The learner dashboard and formative timeline at TIMELINE_ITEMS items, in-process."""
    from django.test import Client
    from django.urls import reverse

    from bench import datagen
    from bench.environment import reset_database
    from bench.harness import measure

    reset_database()
    learner = datagen.generate(learners=1).sample_learner
    datagen.evidence_generate(owner_ids=[learner.pk], items_each=TIMELINE_ITEMS)
    client = Client()
    client.force_login(learner)
    rows = []
    for name in ("portfolio:learner_dashboard", "portfolio:formative"):
        measured = measure(client, reverse(name), repeat=50)
        rows.append((reverse(name), measured.median_ms, measured.p90_ms, measured.queries))
    return rows


def run_here() -> str:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    _collectstatic()
    try:
        results = [_size(items) for items in SIZES]
    finally:
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    return format_result(results, _timeline())


@contextmanager
def _redis() -> Iterator[str]:
    given = os.environ.get("BENCH_REDIS_URL", "")
    if given:
        yield given
        return
    process = subprocess.Popen(  # noqa: S603 (redis-server from PATH, loopback only)
        [
            *("redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{REDIS_PORT}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def _database() -> Iterator[str]:
    given = os.environ.get("BENCH_DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        yield given
        return
    with postgres.throwaway_cluster(port=PG_PORT) as url:
        yield url


def run() -> str:
    """The printed result, measured in a child process on PostgreSQL and Redis."""
    if shutil.which("redis-server") is None and not os.environ.get("BENCH_REDIS_URL"):
        return "Share page cache: skipped: needs redis-server or BENCH_REDIS_URL."
    if not os.environ.get("BENCH_DATABASE_URL") and postgres.skip_reason():
        return f"Share page cache: skipped: needs PostgreSQL ({postgres.skip_reason()})."
    with _database() as database_url, _redis() as redis_url:
        done = subprocess.run(
            [sys.executable, "-m", "bench", "pagecache"],
            cwd=BASE_DIR,
            env={
                **os.environ,
                "BENCH_DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "CACHE_KEY_PREFIX": f"bench-{os.getpid()}",
            },
            stdout=subprocess.PIPE,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
    if done.returncode != 0:
        raise BenchmarkError(f"The share page cache benchmark exited with {done.returncode}.")
    return done.stdout.strip()


def _ms(run: load.LoadRun) -> str:
    return f"{run.p50_ms:.2f}"


def format_result(results: list[SizeResult], timeline: list[tuple[str, float, float, int]]) -> str:
    cells: list[tuple[str, ...]] = [
        (
            "share page (gunicorn, PostgreSQL, Redis)",
            "items",
            "p50 ms (1 conn)",
            "x floor",
            f"req/s ({LOAD_CONNECTIONS} conn)",
            "x floor",
            f"p99 ms ({LOAD_CONNECTIONS} conn)",
            "CPU ms/req",
            "x floor",
            "errors",
        )
    ]
    for result in results:
        size = f"{result.items}, {result.page_bytes / 1024:.0f} KB"
        for what, side in (
            ("uncached", result.uncached),
            ("cached", result.cached),
            ("floor (static file)", result.floor),
        ):
            cells.append(
                (
                    what,
                    size,
                    _ms(side.latency),
                    f"{side.latency.p50_ms / result.floor.latency.p50_ms:.1f}x",
                    f"{side.load.per_second:,.0f}",
                    f"{result.floor.load.per_second / side.load.per_second:.1f}x",
                    f"{side.load.p99_ms:.2f}",
                    f"{side.cpu_ms:.2f}",
                    f"{side.cpu_ms / result.floor.cpu_ms:.1f}x",
                    str(side.latency.errors + side.load.errors),
                )
            )
    last = results[-1]
    goals = [
        f"goal: cached {last.items}-item latency within 3x the floor: "
        f"{last.cached.latency.p50_ms / last.floor.latency.p50_ms:.1f}x",
        f"goal: cached {last.items}-item throughput at least half the floor's: "
        f"{last.cached.load.per_second / last.floor.load.per_second:.2f} of it",
        f"goal: uncached {last.items}-item page under 40 ms (idle machine): "
        f"{last.uncached.latency.p50_ms:.1f} ms",
    ]
    opens = [
        f"opens: {r.items} items: counted {r.opens_counted:,} (folded from Redis), "
        f"cached pages wrk saw answered {r.pages_answered:,} (wrk stops reading the "
        "answers in flight when its time is up; the server counts them if it delivered them)"
        for r in results
    ]
    timeline_cells: list[tuple[str, ...]] = [
        (f"in-process, {TIMELINE_ITEMS:,} evidence items", "median ms", "p90 ms", "SQL queries")
    ]
    timeline_cells += [(url, f"{m:.2f}", f"{p:.2f}", str(q)) for url, m, p, q in timeline]
    tool = results[0].cached.load.tool
    cpus = os.cpu_count() or 1
    note = (
        f"{tool}; {RUN_S:.0f} s per run after {WARM_UP_S:.0f} s of warm-up; gunicorn with "
        f"portfolio/gunicorn_conf.py on this {cpus}-CPU machine, load generator on the same "
        f"machine, shared with other work: load average at the end {os.getloadavg()[0]:.1f}"
    )
    return "\n".join([format_grid(cells), *goals, *opens, note, "", format_grid(timeline_cells)])
