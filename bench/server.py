"""A real web server process for benchmarks that need one, on a free loopback port, in
the bench's environment: `manage.py runserver`, with its memory readable from /proc, or
gunicorn, the production server, with its workers' CPU time readable from /proc.

In-process measurements cannot tell how much memory serving a request costs, nor how
many requests a server answers at once; a separate process we read can.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from bench.environment import BASE_DIR, BENCH_DIR
from bench.harness import BenchmarkError

STARTUP_TIMEOUT_S = 60
STOP_TIMEOUT_S = 15
LOG = BENCH_DIR / "server.log"
GUNICORN_LOG = BENCH_DIR / "gunicorn.log"


@dataclass(frozen=True)
class Response:
    status: int
    cookies: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Server:
    pid: int
    port: int

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | Iterable[bytes] | None = None,
        timeout: float = 30,
    ) -> Response:
        """One request on a fresh connection. An iterable body is sent a chunk at a time,
        so give its Content-Length in `headers`."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=dict(headers or {}))
            response = connection.getresponse()
            cookies = SimpleCookie()
            for header in response.msg.get_all("Set-Cookie") or []:
                cookies.load(header)
            return Response(
                status=response.status,
                cookies={name: morsel.value for name, morsel in cookies.items()},
                body=response.read(),
            )
        finally:
            connection.close()

    def peak_rss_bytes(self) -> int:
        """The process's peak resident set size so far (VmHWM), Linux only."""
        return _status_kib(self.pid, "VmHWM") * 1024


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise BenchmarkError(f"/proc/{pid}/status has no {field}.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _log_tail(lines: int = 20, *, log: Path = LOG) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_until_up(server: Server, process: subprocess.Popen[bytes], *, log: Path = LOG) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchmarkError(
                f"The server exited with {process.returncode}:\n{_log_tail(log=log)}"
            )
        try:
            server.request("GET", "/healthz", timeout=2)  # any answer will do: it is up
            return
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchmarkError(
        f"The server did not answer within {STARTUP_TIMEOUT_S} s:\n{_log_tail(log=log)}"
    )


@contextmanager
def running_server(*, env: Mapping[str, str]) -> Iterator[Server]:
    """Start runserver (no autoreload, so the process we read is the one serving) with
    this process's environment plus `env`; stop it on leaving. Its output goes to LOG."""
    if not Path("/proc/self/status").exists():
        raise BenchmarkError("Reading a server's memory needs Linux's /proc.")
    port = _free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with LOG.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            command,
            cwd=BASE_DIR,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        server = Server(pid=process.pid, port=port)
        _wait_until_up(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Gunicorn:
    server: Server  # the master process
    workers: int
    threads: int
    exit_code: int | None = None  # once stopped; None if it had to be killed

    def worker_pids(self) -> list[int]:
        """The master's children: its worker processes (Linux /proc)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue  # it exited meanwhile
            if int(fields[1]) == self.server.pid:  # the parent's pid
                pids.append(int(stat.parent.name))
        return pids

    def workers_cpu_s(self) -> dict[int, float]:
        """Each worker's user plus system CPU seconds so far, by pid (Linux /proc)."""
        used = {}
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue  # it exited meanwhile
            used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return used


@contextmanager
def running_gunicorn(
    *,
    env: Mapping[str, str],
    settings_module: str,
    workers: int | None = None,
    threads: int | None = None,
    production_config: bool = False,
    access_log: Path | None = None,
) -> Iterator[Gunicorn]:
    """Start `gunicorn portfolio.wsgi` (threaded workers) with this process's environment
    plus `env` and DJANGO_SETTINGS_MODULE=`settings_module`; on leaving, stop it with
    SIGTERM (a graceful shutdown: the workers finish their requests) and wait for it.
    With `production_config`, portfolio/gunicorn_conf.py sets everything but the address
    and the logs (and `workers` and `threads`, if given, override it); without it,
    gunicorn's defaults apply and both are needed. No control socket (gunicorn's default
    one lives in the home folder, shared by every instance); its error log goes to
    GUNICORN_LOG, the access log to `access_log` if given."""
    if not Path("/proc/self/stat").exists():
        raise BenchmarkError("Reading gunicorn's workers needs Linux's /proc.")
    if production_config:
        from portfolio import gunicorn_conf

        workers = workers or gunicorn_conf.workers
        threads = threads or gunicorn_conf.threads
    if workers is None or threads is None:
        raise ValueError("Without the production configuration, give workers and threads.")
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        *(["--config", "python:portfolio.gunicorn_conf"] if production_config else []),
        *(["--access-logfile", str(access_log)] if access_log else []),
        "portfolio.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--error-logfile",
        "-",
        "--graceful-timeout",
        str(STOP_TIMEOUT_S - 5),
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    with GUNICORN_LOG.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and gunicorn)
            command,
            cwd=BASE_DIR,
            env={
                **os.environ,
                **env,
                "DJANGO_SETTINGS_MODULE": settings_module,
                "PYTHONUNBUFFERED": "1",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    gunicorn = Gunicorn(server=Server(pid=process.pid, port=port), workers=workers, threads=threads)
    try:
        _wait_until_up(gunicorn.server, process, log=GUNICORN_LOG)
        yield gunicorn
    finally:
        process.terminate()
        try:
            gunicorn.exit_code = process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def gunicorn_log_tail(lines: int = 20) -> str:
    return _log_tail(lines, log=GUNICORN_LOG)
