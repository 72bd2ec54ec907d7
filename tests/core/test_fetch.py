"""core.fetch, the app's only way out to the internet: it fetches over real HTTP and
HTTPS (tests/fakeweb.py), refuses anything that is not a public http(s) address before
connecting, on every redirect hop, and gives up on slow, huge or untrusted servers."""

import ast
import gzip
import ipaddress
import json
import select
import socket
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from pytest_django import Settings

from core.fetch import FetchError, FetchFailed, FetchRefused, fetch
from core.fetch.addresses import is_public
from tests import fakeweb
from tests.fakeweb import FakeWeb

BASE_DIR = Path(django_settings.BASE_DIR)
OB20_ASSETS = BASE_DIR / "tests/badges/fixtures/ob20/assets"

fake_web = fakeweb.fake_web  # the fixture, for this module's tests


# --- helpers ----------------------------------------------------------------------------


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address core.fetch connects to. Loopback connections go ahead; anything else
    is refused here, so no test can reach the real internet."""
    seen: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        seen.append((address[0], address[1]))
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ConnectionRefusedError("tests do not connect to the internet")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return seen


class Listener:
    """A real listening socket on 127.0.0.1 that never answers; counts connections."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port: int = self.sock.getsockname()[1]
        self._accepted: list[socket.socket] = []

    def accepted(self) -> int:
        while select.select([self.sock], [], [], 0.2)[0]:
            self._accepted.append(self.sock.accept()[0])
        return len(self._accepted)

    def close(self) -> None:
        for conn in self._accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture
def no_loopback(settings: Settings) -> None:
    settings.OUTBOUND_FETCH_ALLOW_LOOPBACK = False
    settings.OUTBOUND_FETCH_TEST_HOSTS = {}


# --- fetching ---------------------------------------------------------------------------


def test_fetches_json_over_http(fake_web: FakeWeb) -> None:
    fake_web.add("http://issuer.test/assertions/1", {"id": "http://issuer.test/assertions/1"})

    response = fetch("http://issuer.test/assertions/1")

    assert response.status == 200
    assert response.url == "http://issuer.test/assertions/1"
    assert response.json() == {"id": "http://issuer.test/assertions/1"}
    assert fake_web.requests == ["http://issuer.test/assertions/1"]


def test_fetches_json_over_https_naming_the_url_host_in_sni_and_host_header(
    fake_web: FakeWeb,
) -> None:
    fake_web.add("https://issuer.test/profile", {"type": "Issuer"})

    assert fetch("https://issuer.test/profile").json() == {"type": "Issuer"}

    [received] = fake_web.received
    assert received.sni == "issuer.test"
    assert received.headers["host"] == "issuer.test"
    assert received.headers["user-agent"] == "LearnerPortfolio-BadgeVerifier/1.0"
    assert received.headers["accept-encoding"] == "identity"
    assert received.headers["accept"].startswith("application/json")


def test_headers_are_read_without_regard_to_case_and_content_type_drops_parameters(
    fake_web: FakeWeb,
) -> None:
    fake_web.add(
        "https://issuer.test/page",
        "<p>hi</p>",
        content_type="Text/HTML; charset=utf-8",
        headers={"X-Badge": "yes"},
    )

    response = fetch("https://issuer.test/page")

    assert response.headers["x-badge"] == response.headers["X-BADGE"] == "yes"
    assert "content-type" in response.headers
    assert response.content_type == "text/html"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_follows_a_relative_redirect_and_reports_the_final_url(
    fake_web: FakeWeb, status: int
) -> None:
    fake_web.add_redirect("http://issuer.test/old/badge", "../new/badge.json", status=status)
    fake_web.add("http://issuer.test/new/badge.json", {"name": "Robotics"})

    response = fetch("http://issuer.test/old/badge")

    assert response.url == "http://issuer.test/new/badge.json"
    assert response.json() == {"name": "Robotics"}


def test_follows_a_redirect_to_another_host_and_scheme(fake_web: FakeWeb) -> None:
    fake_web.add_redirect("http://example.org/a", "https://badges.test/b")
    fake_web.add("https://badges.test/b", {"ok": True})

    assert fetch("http://example.org/a").url == "https://badges.test/b"


def test_a_revoked_410_is_returned_not_raised(fake_web: FakeWeb) -> None:
    fake_web.add("https://issuer.test/assertions/9", {"revoked": True}, status=410)

    response = fetch("https://issuer.test/assertions/9")

    assert response.status == 410
    assert response.json() == {"revoked": True}


def test_an_unknown_path_is_a_404_response(fake_web: FakeWeb) -> None:
    fake_web.add_host("issuer.test")

    assert fetch("https://issuer.test/nothing-here").status == 404


def test_a_body_that_is_not_json_raises_a_plain_fetch_error(fake_web: FakeWeb) -> None:
    fake_web.add("https://issuer.test/broken", "{not json", content_type="application/json")

    with pytest.raises(FetchError) as caught:
        fetch("https://issuer.test/broken").json()
    assert str(caught.value) == "The issuer's server sent something that is not valid JSON."


def test_serves_the_ob20_fixture_files_by_name_and_without_extension(fake_web: FakeWeb) -> None:
    fake_web.serve_directory("http://example.org/", OB20_ASSETS)
    fake_web.serve_directory("https://example.org/", OB20_ASSETS)

    issuer = fetch("https://example.org/issuer1.json")
    badge = fetch("http://example.org/badgeclass1")
    image = fetch("http://example.org/robotics-badge.png")

    assert issuer.content_type == "application/json"
    assert issuer.json() == json.loads((OB20_ASSETS / "issuer1.json").read_bytes())
    assert badge.json()["id"] == "http://example.org/badgeclass1"
    assert image.content_type == "image/png"
    assert image.body == (OB20_ASSETS / "robotics-badge.png").read_bytes()


def test_serves_a_single_file_with_its_type(fake_web: FakeWeb) -> None:
    svg = OB20_ASSETS.parent.parent / "ob30/simple-json.svg"
    fake_web.add_file("https://badges.test/badge.svg", svg)

    response = fetch("https://badges.test/badge.svg")

    assert response.content_type == "image/svg+xml"
    assert response.body == svg.read_bytes()


def test_while_faking_the_web_unregistered_names_do_not_resolve(
    fake_web: FakeWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups: list[str] = []

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        lookups.append(host)
        return []

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    with pytest.raises(FetchFailed) as caught:
        fetch("https://w3id.org/openbadges/v2")
    assert str(caught.value) == "The issuer's server could not be found."
    assert lookups == []


# --- refused before connecting ----------------------------------------------------------

LOOPBACK_FORMS = [
    "127.0.0.1",
    "127.0.0.2",
    "2130706433",
    "0x7f.0.0.1",
    "0177.0.0.1",
    "127.1",
    "0x7f000001",
    "localhost",
    "[::1]",
    "[0:0:0:0:0:ffff:7f00:1]",
    "[::ffff:127.0.0.1]",
    "[::127.0.0.1]",
]


@pytest.mark.usefixtures("no_loopback")
@pytest.mark.parametrize("host", LOOPBACK_FORMS)
def test_loopback_in_any_spelling_is_refused_without_connecting(
    host: str, listener: Listener, connections: list[tuple[str, int]]
) -> None:
    with pytest.raises(FetchRefused):
        fetch(f"http://{host}:{listener.port}/")

    assert connections == []
    assert listener.accepted() == 0


@pytest.mark.parametrize("host", ["2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1"])
def test_odd_numeric_host_forms_are_refused_even_when_loopback_is_allowed(
    host: str, settings: Settings, listener: Listener, connections: list[tuple[str, int]]
) -> None:
    settings.OUTBOUND_FETCH_ALLOW_LOOPBACK = True

    with pytest.raises(FetchRefused):
        fetch(f"http://{host}:{listener.port}/")
    assert listener.accepted() == 0


def test_allowing_loopback_lets_the_listener_see_the_connection(
    settings: Settings, listener: Listener, connections: list[tuple[str, int]]
) -> None:
    """The other side of the tests above: the listener and the spy do see connections."""
    settings.OUTBOUND_FETCH_ALLOW_LOOPBACK = True
    settings.OUTBOUND_FETCH_TIMEOUT = 0.3

    with pytest.raises(FetchFailed):  # the listener never answers
        fetch(f"http://127.0.0.1:{listener.port}/")

    assert connections == [("127.0.0.1", listener.port)]
    assert listener.accepted() == 1


PRIVATE_ADDRESSES = [
    "10.0.0.1",
    "192.168.1.1",
    "172.16.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 (an address to refuse, not to bind)
    "224.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "198.18.0.1",
    "240.0.0.1",
    "[fe80::1]",
    "[fe80::1%25eth0]",
    "[fc00::1]",
    "[::]",
    "[ff02::1]",
    "[2001:db8::1]",
    "[::ffff:10.0.0.1]",
    "[::ffff:a9fe:a9fe]",
    "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
    "[2002:a00:1::1]",  # 6to4 of 10.0.0.1
    "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",  # Teredo
]


@pytest.mark.parametrize("allow_loopback", [False, True])
@pytest.mark.parametrize("host", PRIVATE_ADDRESSES)
def test_private_and_special_addresses_are_refused_without_connecting(
    host: str, allow_loopback: bool, settings: Settings, connections: list[tuple[str, int]]
) -> None:
    settings.OUTBOUND_FETCH_ALLOW_LOOPBACK = allow_loopback

    with pytest.raises(FetchRefused) as caught:
        fetch(f"http://{host}/latest/meta-data/")

    assert connections == []
    assert "private or local network" in str(caught.value)


def test_a_public_address_is_connected_to(connections: list[tuple[str, int]]) -> None:
    """The other side of the test above: the same path does connect to a public address
    (refused by the spy, as tests have no internet)."""
    with pytest.raises(FetchFailed) as caught:
        fetch("http://93.184.215.14/")

    assert connections == [("93.184.215.14", 80)]
    assert str(caught.value) == "The issuer's server could not be reached."


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"])
def test_loopback_is_allowed_only_when_asked(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    assert is_public(ipaddress.ip_address(address), allow_loopback=True)


def test_connects_to_the_address_it_checked_without_resolving_again(
    monkeypatch: pytest.MonkeyPatch, connections: list[tuple[str, int]]
) -> None:
    """DNS rebinding: the name answers a public address first and loopback after."""
    answers = iter(["93.184.215.14", "127.0.0.1", "127.0.0.1"])
    lookups: list[str] = []

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    with pytest.raises(FetchFailed):
        fetch("http://rebind.example/")

    assert lookups == ["rebind.example"]
    assert connections == [("93.184.215.14", 80)]


def test_a_name_with_any_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, connections: list[tuple[str, int]]
) -> None:
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port)),
        ],
    )

    with pytest.raises(FetchRefused):
        fetch("http://half-private.example/")
    assert connections == []


@pytest.mark.parametrize(
    "to",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://[::ffff:169.254.169.254]/",
        "http://2130706433/",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(
    fake_web: FakeWeb, connections: list[tuple[str, int]], to: str
) -> None:
    fake_web.add_redirect("http://issuer.test/badge", to)

    with pytest.raises(FetchRefused):
        fetch("http://issuer.test/badge")

    assert fake_web.requests == ["http://issuer.test/badge"]
    assert [ip for ip, _port in connections] == ["127.0.0.1"]


def test_a_test_host_is_refused_when_loopback_is_not_allowed(
    fake_web: FakeWeb, settings: Settings, connections: list[tuple[str, int]]
) -> None:
    fake_web.add("https://issuer.test/profile", {"type": "Issuer"})
    settings.OUTBOUND_FETCH_ALLOW_LOOPBACK = False

    with pytest.raises(FetchRefused):
        fetch("https://issuer.test/profile")
    assert connections == []
    assert fake_web.requests == []


def test_at_most_three_redirects_are_followed(fake_web: FakeWeb) -> None:
    for hop in range(4):
        fake_web.add_redirect(f"https://issuer.test/{hop}", f"/{hop + 1}")
    fake_web.add("https://issuer.test/4", {"arrived": True})

    assert fetch("https://issuer.test/1").json() == {"arrived": True}
    with pytest.raises(FetchRefused) as caught:
        fetch("https://issuer.test/0")

    assert str(caught.value) == "The issuer's server sent us round too many redirects."
    assert fake_web.requests[-4:] == [f"https://issuer.test/{hop}" for hop in range(4)]
    assert fake_web.requests.count("https://issuer.test/4") == 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/a.json",
        "gopher://example.org/a.json",
        "data:application/json,{}",
        "javascript:alert(1)",
        "ws://example.org/a.json",
        "//example.org/a.json",
        "example.org/a.json",
        "http:///a.json",
        "http://[::1/",
        "http://example.org:99999/a.json",
        "http://example.org:0/a.json",
    ],
)
def test_anything_but_an_http_or_https_url_is_refused(fake_web: FakeWeb, url: str) -> None:
    fake_web.add("http://example.org/a.json", {})

    with pytest.raises(FetchRefused):
        fetch(url)
    assert fake_web.requests == []


def test_a_redirect_to_another_scheme_is_refused(fake_web: FakeWeb) -> None:
    fake_web.add_redirect("https://issuer.test/r", "file:///etc/passwd")

    with pytest.raises(FetchRefused) as caught:
        fetch("https://issuer.test/r")
    assert "http://" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@example.org/a.json",
        "http://user@example.org/a.json",
        "https://:@example.org/a.json",
        "http://example.org\\@127.0.0.1/a.json",
    ],
)
def test_urls_with_credentials_are_refused(fake_web: FakeWeb, url: str) -> None:
    fake_web.add("http://example.org/a.json", {})
    fake_web.add("https://example.org/a.json", {})

    with pytest.raises(FetchRefused) as caught:
        fetch(url)
    assert fake_web.requests == []
    assert "user name or password" in str(caught.value)


# --- size -------------------------------------------------------------------------------


def test_a_body_up_to_the_cap_is_read_and_one_byte_more_is_refused(
    fake_web: FakeWeb, settings: Settings
) -> None:
    settings.OUTBOUND_FETCH_MAX_BYTES = 1000
    fake_web.add("https://issuer.test/fits", b"x" * 1000)
    fake_web.add("https://issuer.test/over", b"x" * 1001)

    assert len(fetch("https://issuer.test/fits").body) == 1000
    with pytest.raises(FetchRefused):
        fetch("https://issuer.test/over")
    with pytest.raises(FetchRefused):
        fetch("https://issuer.test/fits", max_bytes=999)


def test_a_content_length_above_the_cap_is_refused_before_reading_the_body(
    fake_web: FakeWeb, settings: Settings
) -> None:
    """The server promises 5 MB and sends 2 bytes: a client that started reading would
    meet a truncated body (FetchFailed); refusing on the header alone is FetchRefused."""
    settings.OUTBOUND_FETCH_MAX_BYTES = 1000
    fake_web.add("https://issuer.test/huge", b"{}", headers={"Content-Length": "5000000"})

    with pytest.raises(FetchRefused) as caught:
        fetch("https://issuer.test/huge")
    assert str(caught.value).startswith("The issuer's server sent far more data")


def test_an_endless_body_is_refused_once_past_the_cap(
    fake_web: FakeWeb, settings: Settings
) -> None:
    settings.OUTBOUND_FETCH_MAX_BYTES = 256 * 1024
    settings.OUTBOUND_FETCH_TIMEOUT = 5
    fake_web.add_endless("http://issuer.test/stream")

    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FetchRefused):
            fetch("http://issuer.test/stream")
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    fake_web.wait_idle()
    assert elapsed < 2
    assert peak < 4 * 1024**2
    # Whatever the socket buffers took in, the server was stopped far short of its 1 GiB.
    assert fake_web.bytes_sent["http://issuer.test/stream"] < 64 * 1024**2


def test_a_gzip_answer_is_unpacked_within_the_cap(fake_web: FakeWeb, settings: Settings) -> None:
    settings.OUTBOUND_FETCH_MAX_BYTES = 1024**2
    fake_web.add(
        "https://issuer.test/small.json",
        gzip.compress(b'{"name": "Robotics"}'),
        headers={"Content-Encoding": "gzip"},
    )
    fake_web.add(
        "https://issuer.test/bomb.json",
        gzip.compress(b" " * (50 * 1024**2)),
        headers={"Content-Encoding": "gzip"},
    )

    small = fetch("https://issuer.test/small.json")
    assert small.json() == {"name": "Robotics"}
    assert "Content-Encoding" not in small.headers
    with pytest.raises(FetchRefused):
        fetch("https://issuer.test/bomb.json")


# --- time -------------------------------------------------------------------------------


def test_a_server_that_does_not_answer_times_out_in_plain_words(
    fake_web: FakeWeb, settings: Settings
) -> None:
    settings.OUTBOUND_FETCH_TIMEOUT = 0.5
    fake_web.add_slow("https://issuer.test/slow", seconds=5)

    started = time.monotonic()
    with pytest.raises(FetchFailed) as caught:
        fetch("https://issuer.test/slow")

    assert time.monotonic() - started < 1.0
    assert str(caught.value) == "The issuer's server did not answer in time."


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_trickling_server_is_cut_off_at_the_overall_deadline(
    fake_web: FakeWeb, settings: Settings, scheme: str
) -> None:
    """Every chunk arrives well within the read timeout; only the deadline (3 timeouts)
    stops the fetch. Without it the 8 MB cap would end it, much later, as FetchRefused."""
    settings.OUTBOUND_FETCH_TIMEOUT = 0.5
    settings.OUTBOUND_FETCH_MAX_BYTES = 8 * 1024**2
    fake_web.add_endless(f"{scheme}://issuer.test/trickle", interval=0.05)

    started = time.monotonic()
    with pytest.raises(FetchFailed) as caught:
        fetch(f"{scheme}://issuer.test/trickle")

    assert 1.4 < time.monotonic() - started < 2.5
    assert str(caught.value) == "The issuer's server did not answer in time."


def test_a_name_that_takes_too_long_to_resolve_times_out(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    settings.OUTBOUND_FETCH_TIMEOUT = 0.3

    def slow_getaddrinfo(*args: Any, **kwargs: Any) -> list[Any]:
        time.sleep(2)
        return []

    monkeypatch.setattr(socket, "getaddrinfo", slow_getaddrinfo)

    started = time.monotonic()
    with pytest.raises(FetchFailed) as caught:
        fetch("https://slow-dns.example/")
    assert time.monotonic() - started < 0.6
    assert str(caught.value) == "The issuer's server did not answer in time."


# --- TLS --------------------------------------------------------------------------------

CERTIFICATE_MESSAGE = "The issuer's server did not show a valid security certificate."


def test_https_fails_when_the_test_ca_is_not_trusted(fake_web: FakeWeb, settings: Settings) -> None:
    fake_web.add("https://issuer.test/profile", {"type": "Issuer"})
    settings.OUTBOUND_FETCH_TEST_CA_FILE = ""

    with pytest.raises(FetchFailed) as caught:
        fetch("https://issuer.test/profile")
    assert str(caught.value) == CERTIFICATE_MESSAGE
    assert fake_web.requests == []


@pytest.mark.parametrize("problem", ["untrusted", "wrong_name", "expired"])
def test_https_fails_on_a_bad_certificate(fake_web: FakeWeb, problem: Any) -> None:
    fake_web.add("https://issuer.test/profile", {"type": "Issuer"})
    fake_web.use_bad_certificate("issuer.test", problem)

    with pytest.raises(FetchFailed) as caught:
        fetch("https://issuer.test/profile")
    assert str(caught.value) == CERTIFICATE_MESSAGE
    assert fake_web.requests == []


# --- nothing else goes out --------------------------------------------------------------

APPS = ["accounts", "core", "artefacts", "reflections", "badges", "portfolio"]
NETWORK_MODULES = {"urllib.request", "http.client", "requests", "httpx", "urllib3", "aiohttp"}
NETWORK_MODULES |= {"pycurl", "websocket", "websockets"}
NETWORK_NAMES = {
    "urllib": {"request"},
    "http": {"client"},
    "socket": {"socket", "create_connection", "socketpair", "fromfd"},
    "asyncio": {"open_connection"},
}


def outbound_network_uses(source: str) -> list[str]:
    """Each use of an API that opens outbound connections, as "line N: what"."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        what = ""
        if isinstance(node, ast.Import):
            what = ", ".join(a.name for a in node.names if _is_network_module(a.name))
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _is_network_module(node.module):
                what = node.module
            names = NETWORK_NAMES.get(node.module, set())
            what = what or ", ".join(a.name for a in node.names if a.name in names)
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            if node.attr == "urlopen" or node.attr in NETWORK_NAMES.get(owner, set()):
                what = f"{owner}.{node.attr}"
        elif isinstance(node, ast.Name) and node.id == "urlopen":
            what = "urlopen"
        if what:
            found.append(f"line {getattr(node, 'lineno', '?')}: {what}")
    return found


def _is_network_module(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES)


def test_the_scanner_finds_each_way_out() -> None:
    source = """
import requests
import urllib.request
from urllib import request
from http import client
import http.client as hc
from httpx import Client
import urllib3, aiohttp
from socket import create_connection
socket.socket(socket.AF_INET)
socket.create_connection(("a", 80))
urlopen("http://x")
asyncio.open_connection("a", 80)
"""
    flagged = {int(use.split()[1].rstrip(":")) for use in outbound_network_uses(source)}
    assert flagged == set(range(2, 14))  # every line of the snippet
    harmless = 'import socket\nrequests = ["pull requests"]\nsocket.gethostname()\n'
    assert outbound_network_uses(harmless) == []


def test_no_code_but_core_fetch_opens_outbound_connections() -> None:
    scanned, offenders = 0, []
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(BASE_DIR).as_posix()
            if relative == "core/fetch.py" or relative.startswith("core/fetch/"):
                continue
            scanned += 1
            offenders += [f"{relative} {use}" for use in outbound_network_uses(path.read_text())]

    assert scanned > 20
    assert offenders == []
