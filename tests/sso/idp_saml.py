"""A real SAML 2.0 identity provider for the sign-on tests: pysaml2's IdP
(saml2.server.Server), signing with xmlsec1, served by a small WSGI app on loopback.

It signs in one person without asking (the tests are about what we accept, not about
the IdP's own login) and answers the HTTP-Redirect AuthnRequest with the usual
auto-posting HTML form. Tests steer it: `rogue` signs with a key we never configured,
`audience` addresses the assertion to another service provider, `attributes` changes
what it asserts; `last_response` keeps the last form for replay tests.
"""

import base64
import datetime
import html
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT, saml
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

EMAIL = "urn:oid:0.9.2342.19200300.100.1.3"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
DEFAULT_ATTRIBUTES = {EMAIL: ["ada@riverside.ac.uk"], DISPLAY_NAME: ["Ada Lovelace"]}


def key_and_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test idp {name}")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def xmlsec_binary() -> str:
    found = shutil.which("xmlsec1")
    if not found:
        raise RuntimeError("xmlsec1 is missing: apt-get install -y xmlsec1 (CI installs it).")
    return found


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class SamlIdentityProvider:
    base: str
    workdir: Path
    attributes: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_ATTRIBUTES))
    rogue: bool = False
    audience: str = ""
    last_response: dict[str, str] = field(default_factory=dict)
    sp_metadata: str = ""

    def __post_init__(self) -> None:
        self.key, self.cert = key_and_certificate(self.workdir, "idp")
        self.rogue_key, self.rogue_cert = key_and_certificate(self.workdir, "rogue")

    @property
    def entity_id(self) -> str:
        return f"{self.base}/metadata"

    @property
    def sso_url(self) -> str:
        return f"{self.base}/sso/redirect"

    def certificate_body(self) -> str:
        return "".join(
            line for line in self.cert.read_text().splitlines() if "CERTIFICATE" not in line
        )

    def reset(self) -> None:
        self.attributes = dict(DEFAULT_ATTRIBUTES)
        self.rogue = False
        self.audience = ""
        self.last_response = {}

    def _server(self, *, key: Path, cert: Path) -> Server:
        config: dict[str, Any] = {
            "entityid": self.entity_id,
            "xmlsec_binary": xmlsec_binary(),
            "key_file": str(key),
            "cert_file": str(cert),
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {"name_form": NAME_FORMAT_URI, "lifetime": {"minutes": 5}}
                    },
                    "want_authn_requests_signed": False,
                }
            },
            "metadata": {"inline": self._known_service_providers()} if self.sp_metadata else {},
            "allow_unknown_attributes": True,
        }
        idp_config = IdPConfig()
        idp_config.load(config)
        return Server(config=idp_config)

    def _known_service_providers(self) -> list[str]:
        known = [self.sp_metadata]
        if self.audience:
            # Another service provider at the same ACS: the answer is addressed to it.
            ours = self.sp_metadata.split('entityID="', 1)[1].split('"', 1)[0]
            known.append(self.sp_metadata.replace(ours, self.audience))
        return known

    def metadata_xml(self) -> str:
        return str(entity_descriptor(self._server(key=self.key, cert=self.cert).config))

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata_xml().encode()]
        if path == "/sso/redirect":
            query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
            page = self._answer(query["SAMLRequest"], query.get("RelayState", ""))
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [page.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _answer(self, saml_request: str, relay_state: str) -> str:
        server = self._server(key=self.key, cert=self.cert)
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        if self.rogue:
            server = self._server(key=self.rogue_key, cert=self.rogue_cert)
        response = server.create_authn_response(
            identity=self.attributes,
            in_response_to=request.id,
            destination=request.assertion_consumer_service_url,
            sp_entity_id=self.audience or request.issuer.text,
            name_id=saml.NameID(format=NAMEID_FORMAT_PERSISTENT, text="ada-1815"),
            authn={"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": self.entity_id},
            sign_assertion=True,
            sign_response=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        encoded = base64.b64encode(str(response).encode()).decode()
        self.last_response = {
            "url": request.assertion_consumer_service_url,
            "SAMLResponse": encoded,
            "RelayState": relay_state,
        }
        return (
            "<!doctype html><html lang='en'><head><title>Riverside sign-in</title></head><body>"
            f"<form method='post' action='{html.escape(request.assertion_consumer_service_url)}'>"
            f"<input type='hidden' name='SAMLResponse' value='{encoded}'>"
            f"<input type='hidden' name='RelayState' value='{html.escape(relay_state)}'>"
            "<button type='submit'>Continue</button></form></body></html>"
        )

    def serve(self, port: int) -> WSGIServer:
        server = make_server("127.0.0.1", port, self.app, _Threading, _Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
