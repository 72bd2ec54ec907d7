"""Reading an issuer registry file: the Digital Credentials Consortium's registry.json and
LearnCard's, into a list of issuers, or a plain-words reason why not.

Both publish the same shape (LearnCard lists its own registry as type "dcc-legacy"):

    {"meta": {"created": "...", "updated": "..."},
     "registry": {"did:web:example.org": {"name": "...", "location": "...", "url": "..."}}}

The DCC's earliest registries named the map "entries" instead of "registry"; both are read.
Every key must be an issuer id as badges name it: a DID or an https URL, matched exactly.
A file with any entry we cannot use is refused whole, so a registry never half-changes.
"""

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from badges.models import IssuerRegistry

MAX_ID_CHARS = 2000  # RegistryIssuer.issuer_id
MAX_NAME_CHARS = 500
MAX_URL_CHARS = 2000
MAX_NAMED_PROBLEMS = 3
# did:<method>:<method-specific-id> (W3C DID Core, section 3.1), with no path or fragment.
DID = re.compile(r"did:[a-z0-9]+:(?:[A-Za-z0-9._%-]*:)*[A-Za-z0-9._%-]+")
LEARNCARD_HOSTS = ("learncard.com",)


class RegistryInvalid(ValueError):
    """The file cannot be used; the message says what is wrong, in plain words."""


@dataclass(frozen=True)
class Entry:
    issuer_id: str
    name: str = ""
    url: str = ""


@dataclass(frozen=True)
class Parsed:
    format: str
    entries: list[Entry]

    @property
    def issuer_ids(self) -> set[str]:
        return {e.issuer_id for e in self.entries}


def max_bytes() -> int:
    """The largest registry file read, fetched or uploaded: the outbound fetch cap."""
    return int(settings.OUTBOUND_FETCH_MAX_BYTES)


def too_big_message() -> str:
    return _(
        "The registry is larger than %(limit)s, so it was not read. Registries of issuers "
        "are far smaller; check it is the right file."
    ) % {"limit": filesizeformat(max_bytes())}


def parse_registry(data: bytes, *, format: str = "", source_url: str = "") -> Parsed:
    """Read a registry file. `format` is the one the admin chose ("" to detect it);
    `source_url`, when fetched, helps tell a LearnCard registry from a DCC one.

    Raises RegistryInvalid naming what is wrong (and where) when nothing can be used."""
    if format and format not in IssuerRegistry.Format.values:
        raise RegistryInvalid(_("We do not read registries of the format “%s”.") % format)
    if len(data) > max_bytes():
        raise RegistryInvalid(too_big_message())
    text = _decoded(data)
    document = _json(text)
    registry = _issuer_map(document, format=format)
    entries = _entries(registry, text)
    if not entries:
        raise RegistryInvalid(_("The registry lists no issuers, so there is nothing to trust."))
    return Parsed(format=format or _detected_format(source_url), entries=entries)


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegistryInvalid(
            _("The file is not text (UTF-8), so it is not a registry. Check it is the right file.")
        ) from None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RegistryInvalid(
            _("The file is not valid JSON: %(problem)s at line %(line)s, column %(column)s.")
            % {"problem": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    except RecursionError:
        raise RegistryInvalid(_("The file is nested too deeply to be a registry.")) from None


def _issuer_map(document: Any, *, format: str) -> dict[str, Any]:
    """The object keyed by issuer id, or RegistryInvalid saying what was found instead."""
    wanted = IssuerRegistry.Format(format).label if format else ""
    if isinstance(document, list) and any(_is_registry_pointer(item) for item in document):
        raise RegistryInvalid(
            _(
                "This is a list of registries (like LearnCard's known-did-registries.json), "
                "not a list of issuers. Add each registry it names by its own address, "
                "for example https://registries.learncard.com/trusted/registry.json."
            )
        )
    if isinstance(document, dict):
        for key in ("registry", "entries"):
            if key in document:
                found = document[key]
                if isinstance(found, dict):
                    return found
                raise RegistryInvalid(
                    _(
                        "The “%(key)s” part should be an object keyed by issuer id "
                        "(a DID or an https address), but it is %(found)s."
                    )
                    % {"key": key, "found": _kind(found)}
                )
    expected = _(
        "a JSON object with a “registry” object keyed by issuer id, as the Digital "
        "Credentials Consortium and LearnCard publish"
    )
    if wanted:
        raise RegistryInvalid(
            _("This is not a %(format)s: we expected %(expected)s, and found %(found)s.")
            % {"format": wanted, "expected": expected, "found": _kind(document)}
        )
    raise RegistryInvalid(
        _("We do not recognise this format: we read %(expected)s, and found %(found)s.")
        % {"expected": expected, "found": _kind(document)}
    )


def _is_registry_pointer(item: Any) -> bool:
    return isinstance(item, dict) and (
        item.get("type") in {"dcc-legacy", "oidf"} or "trustAnchorEC" in item
    )


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(f"“{k}”" for k in list(value)[:5]) or _("no keys")
        return _("an object with %(keys)s") % {"keys": keys}
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("text")
    return _("a single value")


def _entries(registry: dict[str, Any], text: str) -> list[Entry]:
    entries: list[Entry] = []
    problems: list[str] = []
    for key, value in registry.items():
        problem = _problem(key, value)
        if problem:
            problems.append(problem % {"entry": _named(key, text)})
            continue
        entries.append(Entry(issuer_id=key, name=_name(value), url=_web_address(value)))
    if problems:
        more = len(problems) - MAX_NAMED_PROBLEMS
        message = " ".join(problems[:MAX_NAMED_PROBLEMS])
        if more > 0:
            message += " " + _("%(count)s more entries have problems too.") % {"count": more}
        raise RegistryInvalid(message + " " + _("Nothing was changed."))
    return entries


def _problem(key: str, value: Any) -> str:
    """A message with an %(entry)s placeholder, or "" when the entry is usable."""
    if len(key) > MAX_ID_CHARS:
        return _("The entry %(entry)s has an id longer than any issuer id we keep.")
    if not is_issuer_id(key):
        return _(
            "The entry %(entry)s is neither a DID (did:…) nor an https address, so no "
            "badge could name it as its issuer."
        )
    if not isinstance(value, dict):
        return _("The entry %(entry)s should be an object with the issuer's name and url.")
    return ""


def is_issuer_id(value: str) -> bool:
    """A DID, or an https URL with a host: the ids badges name their issuer by."""
    if value.startswith("did:"):
        return DID.fullmatch(value) is not None
    if value != value.strip() or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.hostname) and "@" not in parts.netloc


def _named(key: str, text: str) -> str:
    """“key” (line n): where the admin finds it in the file."""
    shown = key if len(key) <= 120 else key[:117] + "…"
    position = text.find(json.dumps(key, ensure_ascii=False))
    if position < 0:
        position = text.find(json.dumps(key))
    if position < 0:
        return f"“{shown}”"
    return _("“%(key)s” (line %(line)s)") % {
        "key": shown,
        "line": text.count("\n", 0, position) + 1,
    }


def _name(value: dict[str, Any]) -> str:
    name = value.get("name")
    return name.strip()[:MAX_NAME_CHARS] if isinstance(name, str) else ""


def _web_address(value: dict[str, Any]) -> str:
    """The issuer's web page as the registry gives it: only an http(s) address is kept,
    since it is shown as a link."""
    url = value.get("url")
    if not isinstance(url, str) or len(url) > MAX_URL_CHARS:
        return ""
    url = url.strip()
    parts = urlsplit(url)
    return url if parts.scheme in {"https", "http"} and parts.hostname else ""


def _detected_format(source_url: str) -> str:
    host = (urlsplit(source_url).hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in LEARNCARD_HOSTS):
        return IssuerRegistry.Format.LEARNCARD
    return IssuerRegistry.Format.DCC
