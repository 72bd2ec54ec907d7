"""Time pages in-process with Django's test client and print the results as a table.

The client goes through the full request handler (every middleware, the session,
the template) but no network or WSGI server, so the numbers are the application's
own cost. The floor is a static file served by WhiteNoise through the same client in
the same run: a page's ratio to it says how much work the page adds over serving
bytes, which travels between machines better than raw milliseconds.
"""

import os
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

FLOOR_URL = "/static/css/site.css"
WARM_UP = 5


class BenchmarkError(RuntimeError):
    """A benchmarked URL did not answer as expected, so its timing would mean nothing."""


def scale() -> float:
    """BENCH_SCALE (a float, default 1): multiplies every benchmark's data sizes."""
    raw = os.environ.get("BENCH_SCALE", "1")
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"BENCH_SCALE must be a number, not {raw!r}.") from None
    if value <= 0:
        raise SystemExit(f"BENCH_SCALE must be above 0, not {raw!r}.")
    return value


def scaled(sizes: tuple[int, ...]) -> list[int]:
    """`sizes` multiplied by BENCH_SCALE, at least 1 each, without duplicates, ascending."""
    return sorted({max(1, round(base * scale())) for base in sizes})


@dataclass(frozen=True)
class Measurement:
    median_ms: float
    p90_ms: float
    queries: int


@dataclass(frozen=True)
class Row:
    page: str
    data_size: str
    measurement: Measurement
    floor: Measurement
    floor_url: str = FLOOR_URL  # what `floor` measured

    @property
    def ratio(self) -> float:
        return self.measurement.median_ms / self.floor.median_ms


def _fetch(client: Client, url: str) -> None:
    response = client.get(url)
    try:
        if response.status_code != 200:
            raise BenchmarkError(
                f"GET {url} answered {response.status_code}, not 200; "
                "check the benchmark's login and data."
            )
        # Read the whole body: a streamed static file costs nothing until it is read.
        if isinstance(response, StreamingHttpResponse):
            b"".join(response.streaming_content)
        else:
            _ = response.content
    finally:
        response.close()


def measure(client: Client, url: str, *, repeat: int) -> Measurement:
    """Warm up, time `repeat` GETs of `url`, then count the SQL queries of one more."""
    if repeat < 2:
        raise ValueError("repeat must be at least 2 to give a p90.")
    for _ in range(WARM_UP):
        _fetch(client, url)
    timings_ms = []
    for _ in range(repeat):
        start = time.perf_counter()
        _fetch(client, url)
        timings_ms.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        _fetch(client, url)
    return Measurement(
        median_ms=statistics.median(timings_ms),
        p90_ms=statistics.quantiles(timings_ms, n=10, method="inclusive")[8],
        queries=len(captured.captured_queries),
    )


def measure_floor(client: Client, *, repeat: int) -> Measurement:
    return measure(client, FLOOR_URL, repeat=repeat)


HEADERS = ("page", "data size", "median ms", "p90 ms", "SQL queries", "ratio to floor")


def format_table(rows: list[Row]) -> str:
    """One line per page, each followed by the floor measured beside it."""
    cells: list[tuple[str, ...]] = [HEADERS]
    for row in rows:
        for page, measured in ((row.page, row.measurement), (f"floor {row.floor_url}", row.floor)):
            cells.append(
                (
                    page,
                    row.data_size,
                    f"{measured.median_ms:.2f}",
                    f"{measured.p90_ms:.2f}",
                    str(measured.queries),
                    f"{measured.median_ms / row.floor.median_ms:.1f}x",
                )
            )
    return format_grid(cells)


def format_grid(cells: list[tuple[str, ...]]) -> str:
    """Aligned columns: the first line is the header, the first column is left-aligned."""
    widths = [max(len(line[column]) for line in cells) for column in range(len(cells[0]))]
    lines = [
        "  ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def queries_flat(rows: list[Row]) -> dict[str, bool]:
    """For each page, whether it ran the same number of SQL queries at every data size."""
    counts: dict[str, set[int]] = {}
    for row in rows:
        counts.setdefault(row.page, set()).add(row.measurement.queries)
    return {page: len(seen) == 1 for page, seen in counts.items()}
