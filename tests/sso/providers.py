"""Real identity providers on loopback for the sign-on tests, and our live site set up
to talk to them. Fixtures: tests/sso/conftest.py imports them; a test module elsewhere
(the browser journey) imports the ones it takes by name."""

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings

from tests.sso.browserlike import Browser
from tests.sso.idp_saml import SamlIdentityProvider

IDP_PASSWORD = "idp-password-for-ada"
PORTS = range(8070, 8080)  # reserved for these tests on shared machines; else any free


def free_port() -> int:
    for port in [*PORTS, 0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


def rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def site(live_server, settings) -> str:
    """Our live server, with links and callbacks on its own address."""
    settings.SITE_URL = live_server.url
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    # The staff form reads the providers' discovery and metadata through core.fetch.
    settings.OUTBOUND_FETCH_ALLOW_LOOPBACK = True
    return str(live_server.url)


@pytest.fixture
def browser() -> Iterator[Browser]:
    yield Browser()
    Browser.close_all()


@dataclass
class OidcProvider:
    base: str
    client_id: str
    client_secret: str
    password: str = IDP_PASSWORD

    @property
    def issuer(self) -> str:
        return f"{self.base}/o"

    def misbehave(self, **mode: Any) -> None:
        requests.post(f"{self.base}/test/mode/", json=mode, timeout=5).raise_for_status()


def _wait_for_ready(process: subprocess.Popen[str], seconds: float, log: Path) -> None:
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() == "ready":
                ready.set()
                return

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(seconds):
        process.kill()
        raise RuntimeError(f"the test identity provider did not start:\n{log.read_text()}")


@pytest.fixture(scope="module")
def oidc_provider(live_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    """django-oauth-toolkit as an OpenID Connect provider, in its own process."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("idp")
    log = workdir / "idp.log"
    provider = OidcProvider(
        base=f"http://127.0.0.1:{port}", client_id="portfolio-client", client_secret="s3cret-" * 4
    )
    env = {
        **os.environ,
        "IDP_DB": str(workdir / "idp.sqlite3"),
        "IDP_RSA_KEY": rsa_key_pem(),
        "IDP_REDIRECT_URI": f"{live_server.url}/accounts/oidc/riverside/login/callback/",
        "IDP_CLIENT_ID": provider.client_id,
        "IDP_CLIENT_SECRET": provider.client_secret,
        "IDP_PASSWORD": IDP_PASSWORD,
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sso.idp_oidc.serve", str(port)],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    try:
        _wait_for_ready(process, 25, log)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def saml_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SamlIdentityProvider]:
    """pysaml2's IdP in a thread, signing with xmlsec1 and a key made for this run."""
    port = free_port()
    provider = SamlIdentityProvider(
        base=f"http://127.0.0.1:{port}", workdir=tmp_path_factory.mktemp("saml-idp")
    )
    server = provider.serve(port)
    yield provider
    server.shutdown()
    server.server_close()
