"""The one way this app reaches out to the internet: `fetch(url)`.

Each hop resolves the host once, checks every address (core.fetch.addresses), and
connects to a checked address itself; http.client then speaks HTTP over that socket
with the URL's host as Host header and, for https, as SNI name and certificate name.
"""

import contextlib
import functools
import http.client
import logging
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from core.fetch.addresses import Address, Target, parse_target, resolve
from core.fetch.errors import FetchError, FetchFailed, FetchRefused
from core.fetch.response import FetchResponse, Headers

logger = logging.getLogger(__name__)

USER_AGENT = "LearnerPortfolio-BadgeVerifier/1.0"
DEFAULT_ACCEPT = "application/json, application/ld+json;q=0.9, */*;q=0.1"
# The whole fetch, every redirect included, ends after this many OUTBOUND_FETCH_TIMEOUTs
# even when the server keeps trickling bytes that each arrive in time.
DEADLINE_FACTOR = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


def fetch(url: str, *, accept: str = DEFAULT_ACCEPT, max_bytes: int | None = None) -> FetchResponse:
    """GET `url`, following up to settings.OUTBOUND_FETCH_MAX_REDIRECTS redirects.

    Returns the final answer whatever its status (a 404 or 410 is information, not an
    error). Raises FetchRefused when policy forbids the fetch and FetchFailed when it
    could not be done now; both say what happened in plain words.
    """
    timeout = float(settings.OUTBOUND_FETCH_TIMEOUT)
    limits = _Limits(
        timeout=timeout,
        max_bytes=settings.OUTBOUND_FETCH_MAX_BYTES if max_bytes is None else max_bytes,
        deadline=time.monotonic() + timeout * DEADLINE_FACTOR,
    )
    current = url
    try:
        for _hop in range(settings.OUTBOUND_FETCH_MAX_REDIRECTS + 1):
            target = parse_target(current)
            answer = _get(target, accept=accept, limits=limits)
            if isinstance(answer, FetchResponse):
                return answer
            current = urldefrag(urljoin(target.url, answer)).url
            if target.scheme == "https" and urlsplit(current).scheme.lower() == "http":
                # What came over https must not be swapped, on the way, for something
                # anyone between us and the server could have written.
                raise FetchRefused(
                    _(
                        "The issuer's server redirected a secure (https) address to an "
                        "insecure one, so it was not followed."
                    ),
                    url=url,
                    detail=f"redirect from {target.url} to {current}",
                )
        raise FetchRefused(
            _("The issuer's server sent us round too many redirects."),
            url=url,
            detail=f"more than {settings.OUTBOUND_FETCH_MAX_REDIRECTS} redirects",
        )
    except FetchRefused as exc:
        logger.warning("Refused to fetch %s: %s", exc.url or url, exc.detail)
        raise
    except FetchFailed as exc:
        logger.info("Could not fetch %s: %s", exc.url or url, exc.detail)
        raise


@dataclass(frozen=True)
class _Limits:
    timeout: float
    max_bytes: int
    deadline: float

    def remaining(self) -> float:
        return self.deadline - time.monotonic()


def _get(target: Target, *, accept: str, limits: _Limits) -> FetchResponse | str:
    """One hop: the response, or the Location to go to next."""
    if limits.remaining() <= 0:
        raise _timed_out(target, "overall deadline passed before this hop")
    addresses = resolve(target, timeout=min(limits.timeout, limits.remaining()))
    conn = _connection(target, addresses, limits)
    with contextlib.closing(conn), _Watchdog(conn, limits.remaining()) as watchdog:
        try:
            conn.request("GET", target.path, headers=_request_headers(target, accept))
            response = conn.getresponse()
            location = response.getheader("Location")
            if response.status in REDIRECT_STATUSES and location:
                return location.strip()
            body, headers = _read_body(response, target, limits.max_bytes)
        except FetchError:
            raise
        except (OSError, ValueError, http.client.HTTPException, zlib.error) as exc:
            raise _failure(target, exc, timed_out=watchdog.fired) from exc
        if watchdog.fired:
            raise _timed_out(target, "overall deadline passed while reading")
    return FetchResponse(url=target.url, status=response.status, headers=headers, body=body)


def _request_headers(target: Target, accept: str) -> dict[str, str]:
    return {
        "Host": target.host_header,
        "User-Agent": USER_AGENT,
        "Accept": accept,
        # Compressed bodies would make the size cap meaningless; see _read_body.
        "Accept-Encoding": "identity",
        "Connection": "close",
    }


def _read_body(
    response: http.client.HTTPResponse, target: Target, limit: int
) -> tuple[bytes, Headers]:
    """Read at most `limit` bytes (after gunzipping, for a server that ignores our
    Accept-Encoding); refuse as soon as there would be more."""
    headers = Headers(response.getheaders())
    encoding = headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in {"identity", "gzip", "x-gzip"}:
        raise _unreadable(target, f"content encoding {encoding!r}")
    if response.length is not None and response.length > limit:
        raise _too_large(target, f"Content-Length {response.length} > {limit}")
    decoder = None if encoding == "identity" else zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    raw = size = 0
    while chunk := response.read(min(_CHUNK, limit + 1 - raw)):
        raw += len(chunk)
        if raw > limit:
            raise _too_large(target, f"body over {limit} bytes")
        for part in _decoded(decoder, chunk, limit - size):
            size += len(part)
            if size > limit:
                raise _too_large(target, f"decoded body over {limit} bytes")
            parts.append(part)
    if decoder is not None:
        if not decoder.eof:
            raise _unreadable(target, "truncated gzip body")
        headers = Headers((k, v) for k, v in headers.items() if k.lower() not in _CODING)
    return b"".join(parts), headers


_CODING = {"content-encoding", "content-length"}


def _decoded(decoder: "zlib._Decompress | None", chunk: bytes, room: int) -> Iterator[bytes]:
    """The decoded bytes of `chunk`, never more than room + 1 at a time. (Output left
    inside the decoder means more than `room` came out, which the caller refuses.)"""
    if decoder is None:
        yield chunk
        return
    data = chunk
    while data and not decoder.eof:
        yield decoder.decompress(data, room + 1)
        data = decoder.unconsumed_tail


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to addresses already checked; the URL's host only names the site."""

    def __init__(self, target: Target, addresses: list[Address], limits: _Limits) -> None:
        super().__init__(target.host, target.port, timeout=limits.timeout)
        self._addresses = addresses
        self._limits = limits
        self.raw_socket: socket.socket | None = None

    def connect(self) -> None:
        self.sock = self.raw_socket = _open_socket(self._addresses, self._limits)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to addresses already checked, verifying the certificate for the URL's host
    (sent as SNI)."""

    def __init__(
        self, target: Target, addresses: list[Address], limits: _Limits, tls: ssl.SSLContext
    ) -> None:
        super().__init__(target.host, target.port, timeout=limits.timeout, context=tls)
        self._addresses = addresses
        self._limits = limits
        self.raw_socket: socket.socket | None = None
        self._tls = tls

    def connect(self) -> None:
        sock = self.raw_socket = _open_socket(self._addresses, self._limits)
        try:
            # wrap_socket takes over the file descriptor, so the watchdog needs the new
            # object.
            self.sock = self.raw_socket = self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


_Connection = _PinnedHTTPConnection | _PinnedHTTPSConnection


def _connection(target: Target, addresses: list[Address], limits: _Limits) -> _Connection:
    if target.scheme == "https":
        tls = _tls_context(settings.OUTBOUND_FETCH_TEST_CA_FILE or "")
        return _PinnedHTTPSConnection(target, addresses, limits, tls)
    return _PinnedHTTPConnection(target, addresses, limits)


@functools.lru_cache(maxsize=4)
def _tls_context(extra_ca_file: str) -> ssl.SSLContext:
    """The system's trusted CAs (plus a test CA in tests), hostname checking on."""
    context = ssl.create_default_context()
    if extra_ca_file:
        context.load_verify_locations(cafile=extra_ca_file)
    return context


def _open_socket(addresses: list[Address], limits: _Limits) -> socket.socket:
    """Connect to the first checked address that answers; never resolve again (the
    addresses are numeric, so create_connection does no lookup)."""
    last: OSError = ConnectionError("no address to connect to")
    for _family, ip, port in addresses:
        remaining = limits.remaining()
        if remaining <= 0:
            raise TimeoutError("overall deadline passed while connecting")
        try:
            return socket.create_connection((ip, port), timeout=min(limits.timeout, remaining))
        except OSError as exc:
            last = exc
    raise last


class _Watchdog:
    """Enforces the overall deadline on a hop by shutting its socket down when time is
    up; http.client's own timeouts only limit each single read."""

    def __init__(self, conn: _Connection, seconds: float) -> None:
        self.fired = False
        self._conn = conn
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        # The TCP socket, not conn.sock: http.client lets go of that once the response
        # owns the connection. And socket.socket's shutdown, not SSLSocket's, which would
        # also drop the TLS object under the reading thread's feet.
        sock = self._conn.raw_socket
        if sock is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _failure(target: Target, exc: BaseException, *, timed_out: bool) -> FetchFailed:
    detail = f"{exc.__class__.__name__}: {exc}"
    if timed_out or isinstance(exc, TimeoutError):
        return _timed_out(target, detail)
    if isinstance(exc, ssl.SSLCertVerificationError):
        message = _("The issuer's server did not show a valid security certificate.")
    elif isinstance(exc, ssl.SSLError):
        message = _("A secure connection to the issuer's server could not be made.")
    elif isinstance(exc, http.client.HTTPException | ValueError | zlib.error):
        return _unreadable(target, detail)
    else:
        message = _("The issuer's server could not be reached.")
    return FetchFailed(message, url=target.url, detail=detail)


def _timed_out(target: Target, detail: str) -> FetchFailed:
    return FetchFailed(
        _("The issuer's server did not answer in time."), url=target.url, detail=detail
    )


def _unreadable(target: Target, detail: str) -> FetchFailed:
    return FetchFailed(
        _("The issuer's server sent an answer that could not be read."),
        url=target.url,
        detail=detail,
    )


def _too_large(target: Target, detail: str) -> FetchRefused:
    return FetchRefused(
        _("The issuer's server sent far more data than a badge needs, so it was not read."),
        url=target.url,
        detail=detail,
    )
