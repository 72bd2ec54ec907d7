"""A bounded HTTP load generator for a server on loopback: requests per second and latency
percentiles over a fixed duration, on a fixed number of keep-alive connections.

It uses `wrk` when it is installed (Debian package wrk; the bench never installs it),
else CONNECTIONS Python threads in this process, each with one http.client connection,
GETting the same path back to back. Both stop after `seconds` (and the Python one after
MAX_REQUESTS, too). The Python generator checks every answer (status 200 and the exact
expected body) and counts anything else as an error; wrk counts non-2xx answers and
socket errors, and has its body checked once before the run by the caller.

A Python client costs CPU, and shares the machine with the server: the result says how
much CPU this process used meanwhile, so a run limited by its client shows as such.
"""

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field

from bench.harness import BenchmarkError

MAX_REQUESTS = 500_000  # in all, per Python run: a bound however fast the server is
REQUEST_TIMEOUT_S = 10
WRK_TIMEOUT_MARGIN_S = 15


@dataclass(frozen=True)
class LoadRun:
    tool: str  # "wrk" or "python"
    connections: int
    seconds: float  # measured wall time
    ok: int  # answers that were right (status 200, and the expected body for Python)
    errors: int
    p50_ms: float
    p99_ms: float
    client_cpu_s: float | None = None  # this process's CPU time meanwhile (Python only)
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds


def wrk_path() -> str | None:
    return shutil.which("wrk")


@dataclass
class _Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def percentile(sorted_ms: list[float], fraction: float) -> float:
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, int(fraction * len(sorted_ms)))]


def _python_client(
    port: int, path: str, expected: bytes, deadline: float, budget: int, tally: _Tally
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    try:
        for _ in range(budget):
            if time.perf_counter() >= deadline:
                break
            start = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                tally.error(type(error).__name__)
                connection.close()  # the next request opens a fresh connection
                continue
            elapsed_ms = (time.perf_counter() - start) * 1000
            if response.status != 200:
                tally.error(f"HTTP {response.status}")
            elif body != expected:
                tally.error("wrong body")
            else:
                tally.latencies_ms.append(elapsed_ms)
    finally:
        connection.close()


def run_python(
    port: int, path: str, *, expected: bytes, connections: int, seconds: float
) -> LoadRun:
    """`connections` threads GETting `path` for `seconds`, each on its own keep-alive
    connection; only answers with status 200 and exactly `expected` count as ok."""
    tallies = [_Tally() for _ in range(connections)]
    budget = MAX_REQUESTS // connections
    cpu_before = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds
    threads = [
        threading.Thread(
            target=_python_client,
            args=(port, path, expected, deadline, budget, tally),
            name=f"bench-load-{number}",
            daemon=True,
        )
        for number, tally in enumerate(tallies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # A request started just before the deadline may take up to its timeout.
        thread.join(timeout=seconds + REQUEST_TIMEOUT_S + 5)
        if thread.is_alive():
            raise BenchmarkError(f"A load generator thread is still running after {seconds} s.")
    elapsed = time.perf_counter() - start
    client_cpu_s = time.process_time() - cpu_before
    latencies = sorted(ms for tally in tallies for ms in tally.latencies_ms)
    error_kinds: dict[str, int] = {}
    for tally in tallies:
        for kind, count in tally.errors.items():
            error_kinds[kind] = error_kinds.get(kind, 0) + count
    return LoadRun(
        tool="python",
        connections=connections,
        seconds=elapsed,
        ok=len(latencies),
        errors=sum(error_kinds.values()),
        p50_ms=statistics.median(latencies) if latencies else float("nan"),
        p99_ms=percentile(latencies, 0.99),
        client_cpu_s=client_cpu_s,
        error_kinds=error_kinds,
    )


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * _UNITS_MS[match[2]]


def parse_wrk(output: str, *, connections: int) -> LoadRun:
    """wrk's `--latency` report: total requests, their seconds, the 50% and 99% latency,
    non-2xx/3xx answers and socket errors. Raises ValueError if a part is missing."""
    total = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m),", output, re.MULTILINE)
    p50 = re.search(r"^\s*50(?:\.000)?%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s*99(?:\.000)?%\s+(\S+)", output, re.MULTILINE)
    if total is None or p50 is None or p99 is None:
        raise ValueError("wrk's report lacks the request count or the latency distribution")
    requests = int(total[1])
    seconds = _wrk_ms(f"{total[2]}{total[3]}") / 1000
    error_kinds: dict[str, int] = {}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    if non_2xx and int(non_2xx[1]):
        error_kinds["non-2xx/3xx"] = int(non_2xx[1])
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        for name, count in zip(
            ("connect", "read", "write", "timeout"), sockets.groups(), strict=True
        ):
            if int(count):
                error_kinds[f"socket {name}"] = int(count)
    bad = error_kinds.get("non-2xx/3xx", 0)
    return LoadRun(
        tool="wrk",
        connections=connections,
        seconds=seconds,
        ok=requests - bad,
        errors=sum(error_kinds.values()),
        p50_ms=_wrk_ms(p50[1]),
        p99_ms=_wrk_ms(p99[1]),
        error_kinds=error_kinds,
    )


def run_wrk(wrk: str, port: int, path: str, *, connections: int, seconds: float) -> LoadRun:
    """wrk with two threads and `connections` connections for `seconds` (whole seconds)."""
    whole = max(1, round(seconds))
    command = [
        wrk,
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={whole}s",
        f"--timeout={REQUEST_TIMEOUT_S}s",
        "--latency",
        f"http://127.0.0.1:{port}{path}",
    ]
    done = subprocess.run(  # noqa: S603 (wrk, found on PATH, against loopback)
        command, capture_output=True, text=True, timeout=whole + WRK_TIMEOUT_MARGIN_S, check=False
    )
    if done.returncode != 0:
        raise BenchmarkError(f"wrk exited with {done.returncode}:\n{done.stderr or done.stdout}")
    try:
        return parse_wrk(done.stdout, connections=connections)
    except ValueError as error:
        raise BenchmarkError(f"{error}:\n{done.stdout}") from None


def run(port: int, path: str, *, expected: bytes, connections: int, seconds: float) -> LoadRun:
    """wrk if it is installed, else the Python generator."""
    wrk = wrk_path()
    if wrk:
        return run_wrk(wrk, port, path, connections=connections, seconds=seconds)
    return run_python(port, path, expected=expected, connections=connections, seconds=seconds)
