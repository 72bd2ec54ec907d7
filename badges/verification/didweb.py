"""did:web issuers: the DID names an https domain that publishes the DID document.

W3C CCG did:web, "Read (Resolve)": the method-specific id is the host (a port written
%3A), then optional path segments separated by ':'. `did:web:example.com` is read from
https://example.com/.well-known/did.json, `did:web:example.com:u:alice` from
https://example.com/u/alice/did.json. The 1EdTech validator resolves it the same way
(SimpleDidResolver). Only https: the domain's certificate is what proves the document is
the domain's.
"""

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _

from badges.proofs import ProofError
from badges.verification.fetching import fetch_json, host_of

DID_WEB = "did:web:"
# A DNS name, optionally with a port (percent-encoded colon in the DID).
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._~%!$&'()*+,;=@-]+$")


class DidWebUnavailable(Exception):
    """The domain did not answer now: not checkable, which is not the same as forged."""


def did_web_document_url(did: str) -> str:
    """The https URL of a did:web DID's document; ProofError if it is not a did:web DID."""
    if not did.startswith(DID_WEB) or any(c in did for c in "#?/"):
        raise ProofError(_("%(did)s is not a did:web identifier.") % {"did": did})
    host, *path = did[len(DID_WEB) :].split(":")
    host = unquote(host)
    # A dot segment (also written %2e) would read the document from outside the DID's path.
    dots = any(unquote(p) in (".", "..") for p in path)
    if not _HOST.match(host) or not all(_SEGMENT.match(p) for p in path) or dots:
        raise ProofError(_("%(did)s is not a did:web identifier.") % {"did": did})
    if path:
        return f"https://{host}/{'/'.join(path)}/did.json"
    return f"https://{host}/.well-known/did.json"


def did_web_host(did: str) -> str:
    return host_of(did_web_document_url(did))


def did_web_document(did: str) -> tuple[dict[str, Any], str]:
    """The DID document and the URL it was read from. Its `id` must be the DID itself,
    and it must come from the DID's own domain (a redirect elsewhere is refused)."""
    url = did_web_document_url(did)
    got = fetch_json(url, what=_("the issuer's DID document"))
    if got.ok is None:
        raise DidWebUnavailable(got.message)
    if not got.ok or not isinstance(got.data, dict):
        raise ProofError(got.message or _("The issuer's DID document is not a JSON object."))
    final = got.response.url if got.response is not None else url
    if urlsplit(final).netloc.lower() != urlsplit(url).netloc.lower():
        raise ProofError(
            _("The DID document for %(did)s was served from another site (%(host)s).")
            % {"did": did, "host": host_of(final)}
        )
    if got.data.get("id") != did:
        raise ProofError(
            _("The DID document at %(url)s is not %(did)s's.") % {"url": url, "did": did}
        )
    return got.data, url
