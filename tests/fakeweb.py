"""A fake internet for tests: real HTTP and HTTPS servers on loopback that answer for any
host name, with the network replaced only at its lowest layer.

The `fake_web` fixture points settings.OUTBOUND_FETCH_TEST_HOSTS at those servers (the
only thing core.fetch does differently in tests is resolve those names to 127.0.0.1),
allows loopback, and trusts a throwaway test CA. Everything else runs as in production:
scheme checks, redirects, size caps, timeouts, TLS with SNI and certificate checks.

    def test_something(fake_web: FakeWeb) -> None:
        fake_web.add("https://example.org/assertion.json", {"id": "..."})
        fake_web.add_redirect("http://example.org/old", "https://example.org/assertion.json")
        fake_web.serve_directory("https://example.org/", FIXTURES / "ob20" / "assets")
        ...
        assert "https://example.org/assertion.json" in fake_web.requests

Host names: any. The HTTPS server issues a certificate for whatever name the client asks
for (SNI), signed by the test CA, so `https://issuer.test/`, `https://example.org/`... all
verify. `use_bad_certificate(host, problem)` makes one host present an untrusted, wrongly
named or expired certificate instead. Hosts become known to core.fetch when a URL on them
is registered (`add*`, `serve_directory`, `add_host`); while the fixture is active, other
host names do not resolve at all (core.fetch answers "could not be found"), so tests never
reach the real internet. Unregistered paths on known hosts answer 404.

Register in tests/conftest.py with `pytest_plugins = [..., "tests.fakeweb"]`, or import
the fixture into a test module: `from tests.fakeweb import fake_web  # noqa: F401`.
"""

import atexit
import contextlib
import ipaddress
import json
import mimetypes
import shutil
import ssl
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pytest_django import Settings

CertificateProblem = Literal["untrusted", "wrong_name", "expired"]
CONTENT_TYPES = {
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".png": "image/png",
    ".html": "text/html",
    ".svg": "image/svg+xml",
    ".jwt": "text/plain",
}
ENDLESS_LIMIT = 1024**3  # an "endless" body stops here, whatever the client does


@dataclass
class Route:
    kind: Literal["static", "redirect", "slow", "endless", "file"]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0
    path: Path | None = None


@dataclass(frozen=True)
class Received:
    """One request as the server saw it. `sni` is the TLS server name (None for http)."""

    url: str
    headers: dict[str, str]
    sni: str | None


class FakeWeb:
    """What a test registers and what the servers saw; see the module docstring."""

    def __init__(self, servers: "_Servers", settings: Settings) -> None:
        self._servers = servers
        self._settings = settings
        self._routes: dict[str, Route] = {}
        self._directories: dict[str, Path] = {}
        self._lock = threading.Condition()
        self._active = 0
        self.bad_certificates: dict[str, CertificateProblem] = {}
        self.received: list[Received] = []
        self.bytes_sent: dict[str, int] = {}
        self.closed = threading.Event()

    @property
    def requests(self) -> list[str]:
        """The URLs (scheme://host/path?query) that reached a server, in order."""
        return [r.url for r in self.received]

    def add(
        self,
        url: str,
        body: bytes | str | dict[str, Any] | list[Any],
        *,
        status: int = 200,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer GET `url` (exact scheme, host, path and query). A dict or list body is
        sent as JSON. `headers` may override Content-Length (to send a false one)."""
        self._routes[self._key(url)] = Route(
            "static",
            status=status,
            headers={"Content-Type": content_type, **(headers or {})},
            body=_as_bytes(body),
        )

    def add_redirect(self, url: str, to: str, *, status: int = 302) -> None:
        """Answer `url` with a redirect to `to` (sent as is: may be relative)."""
        self._routes[self._key(url)] = Route("redirect", status=status, headers={"Location": to})

    def add_file(self, url: str, path: Path) -> None:
        """Answer `url` with the file's bytes, read when requested; type from extension."""
        self._routes[self._key(url)] = Route("file", path=path)

    def add_slow(
        self, url: str, seconds: float, body: bytes | str | dict[str, Any] = b"{}"
    ) -> None:
        """Accept the request, then say nothing for `seconds` before answering."""
        self._routes[self._key(url)] = Route(
            "slow",
            seconds=seconds,
            body=_as_bytes(body),
            headers={"Content-Type": "application/json"},
        )

    def add_endless(self, url: str, *, interval: float = 0.0) -> None:
        """Answer 200 with a body that does not end (no Content-Length; up to 1 GiB), a
        64 KiB chunk every `interval` seconds. Bytes sent so far: `bytes_sent[url]`."""
        self._routes[self._key(url)] = Route("endless", seconds=interval)

    def serve_directory(self, base_url: str, directory: Path) -> None:
        """Answer base_url + name with directory/name, or with the one file whose name
        without extension is `name` (so .../badgeclass1 serves badgeclass1.json)."""
        base = base_url if base_url.endswith("/") else base_url + "/"
        self._directories[self._key(base)] = directory

    def add_host(self, host: str) -> None:
        """Make `host` resolve to the fake servers (every path 404 until registered)."""
        hosts = dict(self._settings.OUTBOUND_FETCH_TEST_HOSTS)
        if host.lower() not in hosts:
            hosts[host.lower()] = {
                "http": self._servers.http_port,
                "https": self._servers.https_port,
            }
            self._settings.OUTBOUND_FETCH_TEST_HOSTS = hosts

    def use_bad_certificate(self, host: str, problem: CertificateProblem) -> None:
        """Make https://host present a certificate from an untrusted CA, for another
        name, or expired."""
        self.add_host(host)
        self.bad_certificates[host.lower()] = problem

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until no request is being answered (e.g. an endless body has stopped)."""
        with self._lock:
            self._lock.wait_for(lambda: self._active == 0, timeout)

    # --- used by the servers ---------------------------------------------------------

    def _key(self, url: str) -> str:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        self.add_host(host)
        query = f"?{parts.query}" if parts.query else ""
        return f"{parts.scheme.lower()}://{host}{parts.path or '/'}{query}"

    def _route(self, url: str) -> Route | None:
        route = self._routes.get(url) or self._routes.get(url.split("?", 1)[0])
        if route is not None:
            return route
        plain = url.split("?", 1)[0]
        for base, directory in self._directories.items():
            name = plain[len(base) :] if plain.startswith(base) else ""
            if name and "/" not in name:
                found = _file_in(directory, name)
                if found is not None:
                    return Route("file", path=found)
        return None

    @contextlib.contextmanager
    def _serving(self, received: Received) -> Iterator[None]:
        with self._lock:
            self._active += 1
            self.received.append(received)
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                self._lock.notify_all()


def _as_bytes(body: bytes | str | dict[str, Any] | list[Any]) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


def _file_in(directory: Path, name: str) -> Path | None:
    exact = directory / name
    if exact.is_file():
        return exact
    matches = [p for p in directory.iterdir() if p.is_file() and p.stem == name]
    return matches[0] if len(matches) == 1 else None


def _content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        self.request.settimeout(10)
        if self.server.tls is not None:
            self.request = self.server.tls.wrap_socket(self.request, server_side=True)
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.close_connection = True
        web = self.server.owner.current
        host = self.headers.get("Host", "").lower()
        host = host[: host.index("]") + 1] if host.startswith("[") else host.split(":", 1)[0]
        url = f"{self.server.scheme}://{host}{self.path}"
        if web is None:
            self._send(404, {"Content-Type": "text/plain"}, b"no fake_web in this test")
            return
        sni = getattr(self.connection, "fakeweb_sni", None)
        with web._serving(Received(url, {k.lower(): v for k, v in self.headers.items()}, sni)):
            route = web._route(url)
            # The client may go away mid-answer, as clients under test do.
            with contextlib.suppress(OSError):
                self._answer(web, url, route)

    def _answer(self, web: FakeWeb, url: str, route: Route | None) -> None:
        if route is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
        elif route.kind == "file":
            assert route.path is not None
            self._send(200, {"Content-Type": _content_type(route.path)}, route.path.read_bytes())
        elif route.kind == "slow":
            if not web.closed.wait(route.seconds):
                self._send(route.status, route.headers, route.body)
        elif route.kind == "endless":
            self._stream(web, url, route.seconds)
        else:
            self._send(route.status, route.headers, route.body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        if "content-length" not in {k.lower() for k in headers}:
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, web: FakeWeb, url: str, interval: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"[" + b"0," * (32 * 1024 - 1)
        sent = 0
        while sent < ENDLESS_LIMIT and not web.closed.is_set():
            self.wfile.write(chunk)
            sent += len(chunk)
            web.bytes_sent[url] = sent
            if interval:
                web.closed.wait(interval)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: "_Servers", scheme: str, tls: ssl.SSLContext | None) -> None:
        self.owner = owner
        self.scheme = scheme
        self.tls = tls
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that reject our certificate or hang up mid-answer are what tests do.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Authority:
    """A throwaway certificate authority."""

    def __init__(self, name: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.now(UTC)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def issue(self, name: str, key: ec.EllipticCurvePrivateKey, *, expired: bool = False) -> bytes:
        """A server certificate for `name` (a DNS name or an IP address), as PEM."""
        try:
            san: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(name))
        except ValueError:
            san = x509.DNSName(name)
        now = datetime.now(UTC)
        start = now - timedelta(days=10 if expired else 1)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(now - timedelta(days=2) if expired else now + timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([san]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return certificate.public_bytes(serialization.Encoding.PEM)


class _Servers:
    """The process-wide pair of servers; each test's FakeWeb is plugged in as `current`."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="fakeweb-"))
        self.ca = _Authority("Fake Web Test CA")
        self.rogue = _Authority("Untrusted Rogue CA")
        self.ca_file = self.directory / "test-ca.pem"
        self.ca_file.write_bytes(self.ca.pem())
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.key_file = self.directory / "server-key.pem"
        self.key_file.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self.current: FakeWeb | None = None
        self._contexts: dict[tuple[str, str], ssl.SSLContext] = {}
        self._contexts_lock = threading.Lock()
        default = self._context_for("127.0.0.1", None)
        default.sni_callback = self._choose_certificate
        self.http = _Server(self, "http", None)
        self.https = _Server(self, "https", default)
        self.http_port = self.http.server_address[1]
        self.https_port = self.https.server_address[1]
        for server in (self.http, self.https):
            threading.Thread(target=server.serve_forever, name="fakeweb", daemon=True).start()

    def close(self) -> None:
        for server in (self.http, self.https):
            server.shutdown()
            server.server_close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _choose_certificate(
        self, sock: ssl.SSLSocket | ssl.SSLObject, server_name: str | None, _: ssl.SSLContext
    ) -> None:
        sock.fakeweb_sni = server_name  # type: ignore[union-attr]
        if server_name:
            web = self.current
            problem = web.bad_certificates.get(server_name.lower()) if web else None
            sock.context = self._context_for(server_name.lower(), problem)

    def _context_for(self, name: str, problem: CertificateProblem | None) -> ssl.SSLContext:
        with self._contexts_lock:
            key = (name, problem or "")
            if key not in self._contexts:
                issuer = self.rogue if problem == "untrusted" else self.ca
                subject = f"not-{name}" if problem == "wrong_name" else name
                pem = issuer.issue(subject, self.key, expired=problem == "expired")
                cert_file = self.directory / f"{len(self._contexts)}.pem"
                cert_file.write_bytes(pem)
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(cert_file, self.key_file)
                self._contexts[key] = context
            return self._contexts[key]


_instance: _Servers | None = None
_instance_lock = threading.Lock()


def _servers() -> _Servers:
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = _Servers()
            atexit.register(_instance.close)
        return _instance


@pytest.fixture
def fake_web(settings: Settings) -> Iterator[FakeWeb]:
    """Real HTTP and HTTPS servers answering for any host name; see the module docstring."""
    servers = _servers()
    settings.OUTBOUND_FETCH_ALLOW_LOOPBACK = True
    settings.OUTBOUND_FETCH_TEST_CA_FILE = str(servers.ca_file)
    settings.OUTBOUND_FETCH_TEST_HOSTS = {}
    web = FakeWeb(servers, settings)
    # Known from the start, so that core.fetch is in test mode (other names unresolvable)
    # even before the test registers anything.
    web.add_host("fakeweb.test")
    servers.current = web
    yield web
    servers.current = None
    web.closed.set()


__all__ = ["FakeWeb", "Received", "fake_web"]
