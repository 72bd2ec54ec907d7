"""A load generator that behaves like people, for overload benchmarks: each simulated
person gives up on an answer after a time limit (closing the connection, as a browser
does when its user leaves) and asks again; after a 503 they wait for Retry-After.

Unlike bench/load.py's generators, which count anything but the right page as an error,
it sorts answers into served, refused (503, with how fast), other 5xx, timed out and
other, because under overload each of those means something different.
"""

import http.client
import threading
import time
from dataclasses import dataclass, field

from bench.harness import BenchmarkError
from bench.load import MAX_REQUESTS, REQUEST_TIMEOUT_S, percentile


@dataclass(frozen=True)
class UserRun:
    """What `run_users` saw: answers by kind, and the latency of those served."""

    connections: int
    seconds: float
    served_ms: list[float]  # sorted
    refused_ms: list[float]  # 503s, sorted
    other_5xx: int
    timeouts: int
    other: dict[str, int]  # wrong answers and socket errors, by kind

    @property
    def attempts(self) -> int:
        return (
            len(self.served_ms)
            + len(self.refused_ms)
            + self.other_5xx
            + self.timeouts
            + sum(self.other.values())
        )

    @property
    def per_second(self) -> float:
        return len(self.served_ms) / self.seconds

    def served_percentile(self, fraction: float) -> float:
        return percentile(self.served_ms, fraction)

    def refused_within(self, ms: float) -> int:
        return sum(1 for latency in self.refused_ms if latency < ms)


@dataclass
class _UserTally:
    served_ms: list[float] = field(default_factory=list)
    refused_ms: list[float] = field(default_factory=list)
    other_5xx: int = 0
    timeouts: int = 0
    other: dict[str, int] = field(default_factory=dict)


def _retry_after_s(value: str | None) -> float:
    try:
        return max(0.0, float(value or 1))
    except ValueError:
        return 1.0


def _user(
    port: int,
    path: str,
    headers: dict[str, str],
    marker: bytes,
    deadline: float,
    budget: int,
    timeout_s: float,
    tally: _UserTally,
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        for _ in range(budget):
            if time.perf_counter() >= deadline:
                break
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except TimeoutError:
                tally.timeouts += 1  # gives up, as a person would, and asks again
                connection.close()
                continue
            except (OSError, http.client.HTTPException) as error:
                tally.other[type(error).__name__] = tally.other.get(type(error).__name__, 0) + 1
                connection.close()
                continue
            elapsed_ms = (time.perf_counter() - start) * 1000
            if response.status == 200 and marker in body:
                tally.served_ms.append(elapsed_ms)
            elif response.status == 503:
                tally.refused_ms.append(elapsed_ms)
                pause = _retry_after_s(response.getheader("Retry-After"))
                time.sleep(max(0.0, min(pause, deadline - time.perf_counter())))
            elif response.status >= 500:
                tally.other_5xx += 1
            else:
                kind = f"HTTP {response.status}" if response.status != 200 else "wrong body"
                tally.other[kind] = tally.other.get(kind, 0) + 1
    finally:
        connection.close()


def run_users(
    port: int,
    path: str,
    *,
    marker: bytes,
    connections: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    timeout_s: float = REQUEST_TIMEOUT_S,
) -> UserRun:
    """`connections` threads GETting `path` for `seconds` like people: each gives up on an
    answer after `timeout_s` (closing its connection, which the server only learns when
    it writes) and asks again; after a 503 it waits for Retry-After before asking again.
    Served means status 200 with `marker` in the body. Returns once every thread is done."""
    tallies = [_UserTally() for _ in range(connections)]
    deadline = time.perf_counter() + seconds
    start = time.perf_counter()
    threads = [
        threading.Thread(
            target=_user,
            args=(
                port,
                path,
                dict(headers or {}),
                marker,
                deadline,
                MAX_REQUESTS // connections,
                timeout_s,
                tally,
            ),
            name=f"bench-user-{number}",
            daemon=True,
        )
        for number, tally in enumerate(tallies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + timeout_s + 5)
        if thread.is_alive():
            raise BenchmarkError(f"A load generator thread is still running after {seconds} s.")
    other: dict[str, int] = {}
    for tally in tallies:
        for kind, count in tally.other.items():
            other[kind] = other.get(kind, 0) + count
    return UserRun(
        connections=connections,
        seconds=time.perf_counter() - start,
        served_ms=sorted(ms for tally in tallies for ms in tally.served_ms),
        refused_ms=sorted(ms for tally in tallies for ms in tally.refused_ms),
        other_5xx=sum(tally.other_5xx for tally in tallies),
        timeouts=sum(tally.timeouts for tally in tallies),
        other=other,
    )
