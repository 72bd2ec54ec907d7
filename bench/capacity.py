"""Capacity and overload: the shared showcase page and the learner dashboard, served by
gunicorn with the production configuration (portfolio/gunicorn_conf.py) on PostgreSQL.

For each page, on a fresh server:

1. capacity: STEPS simulated people (bench/users.py) for STEP_SECONDS each, more at each
   step, until the 95th percentile of served pages reaches P95_LIMIT_MS or more than
   REFUSED_LIMIT of the requests are refused. Capacity is the rate of served pages at the
   most people served within those limits; the floor is the page's own bytes as a
   static file at the same concurrency, so the ratio is floor/page requests per second;
2. overload: twice the capacity's people for OVERLOAD_SECONDS. Each person gives up
   after GIVE_UP_S (closing the connection) and asks again, and waits for Retry-After
   after a 503. Printed: the share of requests served, refused fast (a 503 within
   FAST_MS), other 5xx (must be 0), and how long the server went on working after the
   last person stopped (when its access log last grew; goal: under TAIL_GOAL_S).

PostgreSQL: BENCH_DATABASE_URL if it is one; otherwise a throwaway cluster on PG_PORT
(bench/postgres.py) and `python -m bench capacity` run in a child process against it.
"""

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench import datagen, load, postgres, showcase, users
from bench.environment import BASE_DIR, BENCH_DIR, BENCH_FLOOR, reset_database
from bench.harness import BenchmarkError, format_grid
from bench.server import Gunicorn, gunicorn_log_tail, running_gunicorn
from bench.users import UserRun

STEPS = (1, 2, 4, 8, 16, 32, 64)
STEP_SECONDS = 5.0
WARM_UP_S = 2.0
P95_LIMIT_MS = 500.0
REFUSED_LIMIT = 0.01
OVERLOAD_SECONDS = 30.0
GIVE_UP_S = 5.0  # how long a simulated person waits for a page
FAST_MS = 100.0
TAIL_GOAL_S = 5.0
QUIET_S = 3.0  # the access log unchanged this long: the server has stopped working
TAIL_LIMIT_S = 120.0
ACCESS_LOG = BENCH_DIR / "capacity-access.log"
DASHBOARD_LEARNERS = 300
CHILD_TIMEOUT_S = 30 * 60


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    marker: bytes  # in every right answer
    headers: dict[str, str]
    link_id: int | None = None  # the share link, whose openings are counted


@dataclass(frozen=True)
class Result:
    target: Target
    steps: list[UserRun]
    capacity: UserRun | None  # the best step within the limits
    floor: UserRun
    overload: UserRun
    tail_s: float  # the server's work after the load stopped
    finished_after: int  # requests it finished meanwhile
    opens: int | None  # openings the link counted during the overload


def _share_target() -> Target:
    shared = showcase.build(showcase.LOAD_SIZE)
    marker = f"<h3>{showcase.escape(shared.shown[-1])}</h3>".encode()
    return Target("shared showcase", shared.url, marker, {}, link_id=shared.link_id)


def _dashboard_target() -> Target:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    learner = datagen.generate(learners=DASHBOARD_LEARNERS).sample_learner
    client = Client()
    client.force_login(learner)  # a session in the database the server reads
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    marker = learner.cohorts.get().name.encode()
    return Target("learner dashboard", reverse("portfolio:learner_dashboard"), marker, cookie)


def _opens(target: Target) -> int | None:
    from portfolio.models import ShareLink

    if target.link_id is None:
        return None
    return ShareLink.objects.values_list("open_count", flat=True).get(pk=target.link_id)


class _LogWatch:
    """When the access log last grew, polled every few milliseconds in a thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size if path.exists() else 0
        self.grew_at = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="bench-log-watch", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.01):
            size = self.path.stat().st_size if self.path.exists() else 0
            if size != self.size:
                self.size, self.grew_at = size, time.monotonic()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _within_limits(run: UserRun) -> bool:
    refused = len(run.refused_ms) / max(1, run.attempts)
    return (
        bool(run.served_ms)
        and run.served_percentile(0.95) < P95_LIMIT_MS
        and (refused <= REFUSED_LIMIT)
    )


def _measure(gunicorn: Gunicorn, target: Target) -> Result:
    port = gunicorn.server.port
    page = gunicorn.server.request("GET", target.path, headers=target.headers)
    if page.status != 200 or target.marker not in page.body:
        raise BenchmarkError(
            f"GET {target.path} answered {page.status} without the expected page:\n"
            f"{gunicorn_log_tail()}"
        )
    name = target.path.strip("/").replace("/", "-")
    floor_url = showcase.write_floor(f"capacity-{name}.html", page.body)

    def ask(people: int, seconds: float, timeout_s: float = load.REQUEST_TIMEOUT_S) -> UserRun:
        return users.run_users(
            port,
            target.path,
            marker=target.marker,
            headers=target.headers,
            connections=people,
            seconds=seconds,
            timeout_s=timeout_s,
        )

    ask(2, WARM_UP_S)
    steps: list[UserRun] = []
    for people in STEPS:
        step = ask(people, STEP_SECONDS)
        steps.append(step)
        if not _within_limits(step):
            break
    # The most people served within the limits; twice as many then overload the server.
    capacity = max(
        (s for s in steps if _within_limits(s)), key=lambda s: s.connections, default=None
    )
    people = capacity.connections if capacity else 1
    floor = users.run_users(
        port, floor_url, marker=target.marker, connections=people, seconds=STEP_SECONDS
    )

    opens_before = _opens(target)
    watch = _LogWatch(ACCESS_LOG)
    overload = ask(2 * people, OVERLOAD_SECONDS, timeout_s=GIVE_UP_S)
    stopped_at, size_at_stop = time.monotonic(), watch.size
    while time.monotonic() - watch.grew_at < QUIET_S:
        if time.monotonic() - stopped_at > TAIL_LIMIT_S:
            break
        time.sleep(0.05)
    watch.stop()
    with ACCESS_LOG.open("rb") as log:
        log.seek(size_at_stop)
        finished_after = log.read().count(b"\n")
    opens_after = _opens(target)
    return Result(
        target=target,
        steps=steps,
        capacity=capacity,
        floor=floor,
        overload=overload,
        tail_s=max(0.0, watch.grew_at - stopped_at),
        finished_after=finished_after,
        opens=None if opens_before is None or opens_after is None else opens_after - opens_before,
    )


def run_here() -> list[Result]:
    """Against the database Django is configured with, which must be PostgreSQL."""
    env = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "DJANGO_DEBUG": "1",
        "DATABASE_CONN_MAX_AGE": "60",  # as README's production section advises
    }
    results = []
    BENCH_FLOOR.mkdir(parents=True, exist_ok=True)
    try:
        for build in (_share_target, _dashboard_target):
            reset_database()
            target = build()
            ACCESS_LOG.unlink(missing_ok=True)
            with running_gunicorn(
                env=env,
                settings_module=showcase.SETTINGS_MODULE,
                production_config=True,
                access_log=ACCESS_LOG,
            ) as gunicorn:
                results.append(_measure(gunicorn, target))
    finally:
        shutil.rmtree(BENCH_FLOOR, ignore_errors=True)
    return results


def run() -> str:
    """The printed result: here if Django uses PostgreSQL, else in a child process
    against a throwaway cluster, or a line saying why it was skipped."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return format_result(run_here())
    skipped = postgres.skip_reason()
    if skipped:
        return f"Capacity: skipped: needs PostgreSQL ({skipped})."
    with postgres.throwaway_cluster() as url:
        done = subprocess.run(
            [sys.executable, "-m", "bench", "capacity"],
            cwd=BASE_DIR,
            env={**os.environ, "BENCH_DATABASE_URL": url},
            stdout=subprocess.PIPE,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
    if done.returncode != 0:
        raise BenchmarkError(f"The capacity benchmark exited with {done.returncode}.")
    return done.stdout.strip()


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def format_result(results: list[Result]) -> str:
    steps: list[tuple[str, ...]] = [
        ("capacity (gunicorn, production config)", "people", "served/s", "p95 ms", "refused")
    ]
    for result in results:
        for step in result.steps:
            mark = " <- capacity" if step is result.capacity else ""
            steps.append(
                (
                    f"{result.target.name}{mark}",
                    str(step.connections),
                    f"{step.per_second:,.0f}",
                    f"{step.served_percentile(0.95):.0f}",
                    _pct(len(step.refused_ms), step.attempts),
                )
            )
    summary: list[tuple[str, ...]] = [
        (
            "page",
            "capacity/s",
            "floor/s",
            "ratio to floor",
            "overload people",
            "served",
            f"refused < {FAST_MS:.0f} ms",
            "refused slower",
            f"gave up ({GIVE_UP_S:.0f} s)",
            "other 5xx",
            "worked on after",
        )
    ]
    notes = []
    for result in results:
        load = result.overload
        capacity = result.capacity.per_second if result.capacity else 0.0
        fast = load.refused_within(FAST_MS)
        summary.append(
            (
                result.target.name,
                f"{capacity:,.0f}",
                f"{result.floor.per_second:,.0f}",
                f"{result.floor.per_second / capacity:.1f}x" if capacity else "-",
                str(load.connections),
                _pct(len(load.served_ms), load.attempts),
                _pct(fast, load.attempts),
                _pct(len(load.refused_ms) - fast, load.attempts),
                _pct(load.timeouts, load.attempts),
                str(load.other_5xx),
                f"{result.tail_s:.1f} s",
            )
        )
        if result.opens is not None:
            notes.append(
                f"overload: {result.target.name}: openings counted {result.opens:,}, "
                f"pages served to a waiting person {len(load.served_ms):,}"
            )
        if load.other:
            notes.append(f"overload: {result.target.name}: other answers {load.other}")
        notes.append(
            f"overload: {result.target.name}: {load.attempts:,} requests in "
            f"{load.seconds:.0f} s; served p95 {load.served_percentile(0.95):.0f} ms; "
            f"{result.finished_after:,} finished after the last person stopped; "
            f"goals: other 5xx 0, worked on after < {TAIL_GOAL_S:.0f} s: "
            + ("met" if load.other_5xx == 0 and result.tail_s < TAIL_GOAL_S else "NOT MET")
        )
    from portfolio import gunicorn_conf

    notes.append(
        f"capacity: served/s at the most people with p95 < {P95_LIMIT_MS:.0f} ms and <= "
        f"{REFUSED_LIMIT:.0%} refused, {STEP_SECONDS:.0f} s per step; floor: the page's "
        "bytes as a static file (WhiteNoise), same server, capacity's people; ratio = "
        "floor/s / capacity/s"
    )
    notes.append(
        f"server: portfolio/gunicorn_conf.py, {gunicorn_conf.workers} workers x "
        f"{gunicorn_conf.threads} threads ({gunicorn_conf.APP_THREADS} running requests "
        f"each), PostgreSQL, DJANGO_DEBUG=1; people: Python threads in the bench process, "
        f"which give up after {GIVE_UP_S:.0f} s and honour Retry-After; "
        f"{os.cpu_count()} CPUs shared with the load generator"
    )
    return "\n".join([format_grid(steps), "", format_grid(summary), *notes])
