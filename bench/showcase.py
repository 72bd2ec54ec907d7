"""The employer's shared showcase page (/s/<token>/): what someone with a share link sees.

A learner gets evidence from bench/datagen.py (links, written pieces and reflections,
every fourth one private) and a showcase of four sections holding the first evidence in
date order, until SIZES items are visible; the private ones among them are in the
showcase too, and the page must leave them out. The page is read without signing in,
through a share link made by the app's own service.

Two measurements:

- in-process, like the other pages (Django's test client): time and SQL queries at each
  size; the queries must not grow with the items. The floor is the page's own bytes,
  written to a file and served as a static file by WhiteNoise through the same client,
  so the ratio is what rendering adds over sending those bytes;
- under concurrent load at LOAD_SIZE items: gunicorn (WORKERS workers x THREADS
  threads) on loopback, against the bench database, with a load generator
  (bench/load.py) on CONNECTIONS keep-alive connections for LOAD_SECONDS after
  WARM_UP_S of warm-up: requests per second and latency for the page, and for the
  same bytes as a static file from the same gunicorn in the same run (the floor).

Every GET of the page records an opening of the link (an UPDATE), so the load run also
says how many openings the app counted. BENCH_SCALE multiplies the item counts.
"""

import os
import shutil
from dataclasses import dataclass
from math import ceil
from typing import Any

from django.conf import settings
from django.http import StreamingHttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from artefacts.models import Artefact
from bench import datagen, load
from bench.environment import BENCH_FLOOR, FLOOR_STATIC_PREFIX, reset_database
from bench.harness import BenchmarkError, Row, format_grid, measure, scaled
from bench.server import gunicorn_log_tail, running_gunicorn
from core.models import Visibility
from portfolio.models import ShareLink
from portfolio.showcases import services
from reflections.models import Reflection

PAGE = "shared showcase /s/<token>/"
SIZES = (10, 100, 500)
LOAD_SIZE = 100
REPEAT = 100
SECTIONS = ("Projects", "Written work", "Reflections on practice", "Further evidence")
ITEM = b'<article class="showcase-item '
WORKERS, THREADS = 2, 4
CONNECTIONS = WORKERS * THREADS
WARM_UP_S = 1.0
LOAD_SECONDS = 8.0
SETTINGS_MODULE = "bench.floor_settings"
SUMMARY = (
    "I am finishing a **Level 3** apprenticeship and applying for the junior technician "
    "role. Each section below holds evidence I chose for one part of the job description."
)


@dataclass(frozen=True)
class SharedShowcase:
    url: str
    link_id: int
    shown: list[str]  # titles the page must show, in order
    hidden: list[str]  # titles of private items in the showcase, which it must not show


def _date(evidence: Artefact | Reflection) -> Any:
    return evidence.learned_on if isinstance(evidence, Artefact) else evidence.written_on


def build(items: int) -> SharedShowcase:
    """A learner, their evidence and a shared showcase of `items` visible items (plus the
    private ones in between), in len(SECTIONS) sections. Expects an empty database."""
    learner: User = datagen.generate(learners=1).sample_learner
    # Every fourth item is private: this gives at least `items` visible ones.
    datagen.evidence_generate(owner_ids=[learner.pk], items_each=items + items // 3 + 2)
    evidence: list[Artefact | Reflection] = [
        *Artefact.objects.filter(owner=learner),
        *Reflection.objects.filter(owner=learner),
    ]
    evidence.sort(key=lambda e: (_date(e), type(e).__name__, e.pk))
    chosen: list[Artefact | Reflection] = []
    visible = 0
    for candidate in evidence:
        if visible == items:
            break
        chosen.append(candidate)
        visible += candidate.visibility != Visibility.PRIVATE
    if visible != items:
        raise BenchmarkError(f"The bench data has {visible} visible items, not {items}.")

    showcase = services.showcase_create(
        owner=learner,
        title="Junior technician application",
        audience="Application to Acme Ltd",
        summary=SUMMARY,
    )
    per_section = ceil(len(chosen) / len(SECTIONS))
    for number, heading in enumerate(SECTIONS):
        section = services.section_add(showcase=showcase, heading=heading)
        part = chosen[number * per_section : (number + 1) * per_section]
        if part:
            services.items_add(section=section, targets=part)
    new = services.link_create(showcase=showcase, label="Acme Ltd hiring panel")
    return SharedShowcase(
        url=reverse("share:showcase", args=[new.token]),
        link_id=new.link.pk,
        shown=[e.title for e in chosen if e.visibility != Visibility.PRIVATE],
        hidden=[e.title for e in chosen if e.visibility == Visibility.PRIVATE],
    )


def check_page(body: bytes, shared: SharedShowcase) -> None:
    """The page shows every visible item, once, and no private one."""
    count = body.count(ITEM)
    if count != len(shared.shown):
        raise BenchmarkError(f"{PAGE} shows {count} items, not {len(shared.shown)}.")
    missing = [t for t in shared.shown if f"<h3>{escape(t)}</h3>".encode() not in body]
    leaked = [t for t in shared.hidden if f"<h3>{escape(t)}</h3>".encode() in body]
    if missing or leaked:
        raise BenchmarkError(f"{PAGE} misses items {missing[:3]} or shows private {leaked[:3]}.")


def _get_page(client: Client, shared: SharedShowcase) -> bytes:
    response = client.get(shared.url)
    if response.status_code != 200:
        raise BenchmarkError(f"GET {shared.url} answered {response.status_code}, not 200.")
    check_page(response.content, shared)
    return response.content


def write_floor(name: str, body: bytes) -> str:
    """Write `body` where the floor's static files folder serves it; returns its URL."""
    path = BENCH_FLOOR / FLOOR_STATIC_PREFIX / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return f"{settings.STATIC_URL}{FLOOR_STATIC_PREFIX}/{name}"


def _check_floor(client: Client, url: str, body: bytes) -> None:
    """The static file answers 200 with exactly the page's bytes."""
    response = client.get(url)
    try:
        served = (
            b"".join(response.streaming_content)
            if isinstance(response, StreamingHttpResponse)
            else response.content
        )
    finally:
        response.close()
    if response.status_code != 200 or served != body:
        raise BenchmarkError(
            f"GET {url} answered {response.status_code} with {len(served)} bytes, "
            f"not 200 with the page's {len(body)}: is {BENCH_FLOOR} a static files folder?"
        )


def _kb(size: int) -> str:
    return f"{size / 1024:.0f} KB"


def run() -> list[Row]:
    """Each size from an empty database; the page and its floor, in-process."""
    rows = []
    shutil.rmtree(BENCH_FLOOR, ignore_errors=True)
    try:
        # Clears the static files finders' cache on entering and leaving.
        with override_settings(STATICFILES_DIRS=[*settings.STATICFILES_DIRS, BENCH_FLOOR]):
            for size in scaled(SIZES):
                reset_database()
                shared = build(size)
                client = Client()
                body = _get_page(client, shared)
                floor_url = write_floor(f"showcase-{size}.html", body)
                _check_floor(client, floor_url, body)
                rows.append(
                    Row(
                        page=PAGE,
                        data_size=f"{size} items, {_kb(len(body))}",
                        measurement=measure(client, shared.url, repeat=REPEAT),
                        floor=measure(client, floor_url, repeat=REPEAT),
                        floor_url=floor_url,
                    )
                )
    finally:
        shutil.rmtree(BENCH_FLOOR, ignore_errors=True)
    return rows


# --- Under load -------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadSide:
    url: str
    run: load.LoadRun
    worker_cpu_s: list[float]  # each gunicorn worker's CPU time during the run, most first


@dataclass(frozen=True)
class LoadResult:
    items: int
    page_bytes: int
    page: LoadSide
    floor: LoadSide
    page_answers: int  # 200s with the right page, warm-ups and checks included
    opens_recorded: int  # what the link's open count grew by meanwhile
    exit_code: int | None  # gunicorn's; None if it had to be killed


def _open_count(link_id: int) -> int:
    return ShareLink.objects.values_list("open_count", flat=True).get(pk=link_id)


def run_load() -> LoadResult:
    """From an empty database: one showcase of LOAD_SIZE items, served by gunicorn."""
    size = scaled((LOAD_SIZE,))[0]
    reset_database()
    shared = build(size)
    env = {"DATABASE_URL": os.environ["DATABASE_URL"], "DJANGO_DEBUG": "1"}
    opens_before = _open_count(shared.link_id)
    sides: dict[str, LoadSide] = {}
    page_answers = 0
    shutil.rmtree(BENCH_FLOOR, ignore_errors=True)
    try:
        with running_gunicorn(
            env=env, workers=WORKERS, threads=THREADS, settings_module=SETTINGS_MODULE
        ) as gunicorn:
            server = gunicorn.server
            page = server.request("GET", shared.url)
            if page.status != 200:
                raise BenchmarkError(
                    f"gunicorn answered {page.status} to GET {shared.url}:\n{gunicorn_log_tail()}"
                )
            check_page(page.body, shared)
            page_answers += 1
            floor_url = write_floor(f"showcase-{size}-gunicorn.html", page.body)
            floor = server.request("GET", floor_url)
            if floor.status != 200 or floor.body != page.body:
                raise BenchmarkError(
                    f"gunicorn answered {floor.status} with {len(floor.body)} bytes to GET "
                    f"{floor_url}, not 200 with the page's {len(page.body)}."
                )
            for name, url in (("page", shared.url), ("floor", floor_url)):
                options: dict[str, Any] = {"expected": page.body, "connections": CONNECTIONS}
                warm_up = load.run(server.port, url, seconds=WARM_UP_S, **options)
                before = gunicorn.workers_cpu_s()
                measured = load.run(server.port, url, seconds=LOAD_SECONDS, **options)
                after = gunicorn.workers_cpu_s()
                if not measured.ok:
                    raise BenchmarkError(
                        f"No right answer to GET {url} under load ({measured.errors} errors: "
                        f"{measured.error_kinds}):\n{gunicorn_log_tail()}"
                    )
                cpu = sorted((s - before.get(pid, 0) for pid, s in after.items()), reverse=True)
                sides[name] = LoadSide(url, measured, cpu)
                if name == "page":
                    page_answers += warm_up.ok + measured.ok
        exit_code = gunicorn.exit_code
    finally:
        shutil.rmtree(BENCH_FLOOR, ignore_errors=True)
    return LoadResult(
        items=size,
        page_bytes=len(page.body),
        page=sides["page"],
        floor=sides["floor"],
        page_answers=page_answers,
        opens_recorded=_open_count(shared.link_id) - opens_before,
        exit_code=exit_code,
    )


NOTE = (
    f"shared showcase: {len(SECTIONS)} sections, which also hold the private items among "
    "the first ones (every fourth), left out of the page; floor: the page's own bytes as a "
    "static file (WhiteNoise), same client, same run"
)


def _errors(run: load.LoadRun) -> str:
    if not run.errors:
        return "0"
    return f"{run.errors} ({', '.join(f'{k}: {n}' for k, n in run.error_kinds.items())})"


def format_load(result: LoadResult) -> str:
    page_run, floor_run = result.page.run, result.floor.run
    cells: list[tuple[str, ...]] = [
        (
            "under load (gunicorn)",
            "data size",
            "requests/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "ratio to floor",
        ),
    ]
    for what, side in ((PAGE, result.page), (f"floor {result.floor.url}", result.floor)):
        cells.append(
            (
                what,
                f"{result.items} items, {_kb(result.page_bytes)}",
                f"{side.run.per_second:,.0f}",
                f"{side.run.p50_ms:.2f}",
                f"{side.run.p99_ms:.2f}",
                _errors(side.run),
                f"{floor_run.per_second / side.run.per_second:.1f}x",
            )
        )
    cpus = os.cpu_count() or 1
    if page_run.tool == "wrk":
        generator = f"wrk, {page_run.connections} connections"
    else:
        generator = (
            f"Python load generator (wrk not installed), {page_run.connections} threads "
            "with a keep-alive connection each, in the bench process"
        )

    def cpu(side: LoadSide) -> str:
        seconds = side.run.seconds
        workers = " + ".join(f"{s / seconds:.2f}" for s in side.worker_cpu_s)
        used = f"server {sum(side.worker_cpu_s) / seconds:.2f} (workers {workers})"
        if side.run.client_cpu_s is not None:
            used += f", load generator {side.run.client_cpu_s / side.run.seconds:.2f}"
        return used

    stopped = "yes" if result.exit_code == 0 else "no"
    lines = [
        format_grid(cells),
        "load: ratio = floor requests/s / page requests/s: static-file answers in the time of "
        "one page",
        f"load: gunicorn {WORKERS} workers x {THREADS} threads on 127.0.0.1, bench SQLite "
        "database, DJANGO_DEBUG=1 (WhiteNoise autorefresh: it finds each static file through "
        "the finders on every request, slower than production's prebuilt file list)",
        f"load: {generator}; {LOAD_SECONDS:.0f} s per run after {WARM_UP_S:.0f} s of warm-up",
        f"load: CPUs busy on this {cpus}-CPU machine: page run {cpu(result.page)}; "
        f"floor run {cpu(result.floor)}",
        "load: every page GET also writes to the database (the link's open count): openings "
        f"recorded {result.opens_recorded:,}, page answers {result.page_answers:,}",
        f"load: gunicorn stopped cleanly: {stopped} (exit {result.exit_code})",
    ]
    return "\n".join(lines)
