"""A badge issuer for the verification benchmark: a small threaded HTTP server in the bench
process, on a free loopback port, hosting Open Badges 2.0 assertions for one recipient.

It serves, modelled on tests/badges/fixtures/ob20/: `count` hosted assertions at
/assertions/<n>.json (each one's id is its own URL), the BadgeClass they share at
/badge.json, its Issuer at /issuer.json (on the same host, so the hosted-origin check
passes) and the badge's image at /badge.png. Every recipient is the same email address,
salted and hashed. The app reaches it only because the bench sets
OUTBOUND_FETCH_ALLOW_LOOPBACK (see bench/environment.py).
"""

import hashlib
import json
import random
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone

from bench.badges import png_from_rgb

CONTEXT = "https://w3id.org/openbadges/v2"
SALT = "bench-salt"
IMAGE_SIDE = 64


@dataclass
class Issuer:
    base_url: str  # http://127.0.0.1:<port>, no trailing slash
    count: int
    requests: Counter[str] = field(default_factory=Counter)  # by kind: assertion, badge...

    def assertion_url(self, number: int) -> str:
        return f"{self.base_url}/assertions/{number}.json"

    @property
    def assertion_urls(self) -> list[str]:
        return [self.assertion_url(number) for number in range(self.count)]


def hosted_identity(email: str, salt: str = SALT) -> str:
    """An OB 2.0 hashed recipient identity: sha256$ and the hex digest of email + salt."""
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def documents(issuer: Issuer, *, recipient: str) -> dict[str, tuple[str, bytes]]:
    """What the issuer serves: path -> (content type, body)."""
    base = issuer.base_url
    issued_on = (timezone.now() - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    badge_class = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": f"{base}/badge.json",
        "name": "Bench Kiln Safety",
        "description": "Can load, fire and unload a kiln safely.",
        "image": f"{base}/badge.png",
        "criteria": {"narrative": "Fired three kilns under supervision."},
        "issuer": f"{base}/issuer.json",
    }
    profile = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": f"{base}/issuer.json",
        "name": "Bench Issuer",
        "url": base,
        "email": "issuer@bench.example",
    }
    served: dict[str, tuple[str, bytes]] = {
        "/badge.json": _json(badge_class),
        "/issuer.json": _json(profile),
        "/badge.png": ("image/png", _badge_image()),
    }
    for number in range(issuer.count):
        url = issuer.assertion_url(number)
        assertion = {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": url,
            "recipient": {
                "type": "email",
                "hashed": True,
                "salt": SALT,
                "identity": hosted_identity(recipient),
            },
            "issuedOn": issued_on,
            "badge": f"{base}/badge.json",
            "evidence": f"{base}/evidence/{number}.html",
            "verification": {"type": "hosted"},
        }
        served[urlsplit(url).path] = _json(assertion)
    return served


def _json(document: dict[str, Any]) -> tuple[str, bytes]:
    return "application/ld+json", json.dumps(document).encode()


def _badge_image() -> bytes:
    rgb = random.Random(IMAGE_SIDE).randbytes(IMAGE_SIDE * IMAGE_SIDE * 3)
    return png_from_rgb(IMAGE_SIDE, IMAGE_SIDE, rgb)


def _kind(path: str) -> str:
    if path.startswith("/assertions/"):
        return "assertion"
    return {"/badge.json": "badge class", "/issuer.json": "issuer", "/badge.png": "image"}.get(
        path, "other"
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    served: dict[str, tuple[str, bytes]]
    issuer: Issuer
    lock: threading.Lock


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.issuer.requests[_kind(path)] += 1
        found = self.server.served.get(path)
        if found is None:
            self.send_error(404)
            return
        content_type, body = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a line per request would bury the bench's output


@contextmanager
def running_issuer(*, recipient: str, count: int) -> Iterator[Issuer]:
    """Serve `count` assertions for `recipient` while inside; stop the server on leaving."""
    server = _Server(("127.0.0.1", 0), _Handler)
    issuer = Issuer(base_url=f"http://127.0.0.1:{server.server_address[1]}", count=count)
    server.issuer = issuer
    server.served = documents(issuer, recipient=recipient)
    server.lock = threading.Lock()
    thread = threading.Thread(target=server.serve_forever, name="bench-issuer", daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
