"""What a verification finds: plain-language checks, who the issuer is proven to be, and
the status they add up to.

Two facts are kept apart (DESIGN.md, "Verification is visible"):
- the credential is intact: its checks (structure, signature, revocation, dates,
  recipient) each Passed, Failed, Not checked (and why) or Not applicable;
- the issuer is identified: by its own https domain (set by the verification code when
  the key or the hosted assertion is proven to be published there) or by an issuer
  registry an institution trusts (matched afterwards, in badges.registries).
Only both together make Status.VERIFIED.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from badges.models import Identity, Status


class Result(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    NOT_CHECKED = "not_checked", _("Not checked")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


@dataclass(frozen=True)
class Check:
    """One check. A failed check makes the badge FAILED unless `leads_to` names the
    status its failure means instead (an expired date check: EXPIRED; a revocation
    check that found the badge revoked: REVOKED)."""

    key: str  # structure, issuer, signature, revocation, dates, recipient
    result: str
    message: str  # may hold %(name)s placeholders for `params`
    leads_to: str = Status.FAILED
    # Facts the message refers to, stored as data and formatted when shown (dates as
    # ISO 8601, written in the reader's own locale and time zone by the pages).
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The message in plain text, each date as its ISO 8601 day (YYYY-MM-DD)."""
        if not self.params:
            return self.message
        return self.message % {name: value[:10] for name, value in self.params.items()}

    @property
    def ok(self) -> bool | None:
        """True passed, False failed, None not checked or not applicable."""
        if self.result == Result.PASSED:
            return True
        if self.result == Result.FAILED:
            return False
        return None

    def as_dict(self) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "key": self.key,
            "result": self.result,
            "ok": self.ok,
            "message": self.text,
        }
        if self.params:
            stored["template"] = self.message
            stored["params"] = self.params
        return stored


class BadgeRejected(ValueError):
    """Not imported: the message says what was wrong and what to do. `unreachable` when
    the issuer could not be reached now, `revoked` when the issuer revoked it."""

    def __init__(self, message: str, *, unreachable: bool = False, revoked: bool = False):
        super().__init__(message)
        self.unreachable = unreachable
        self.revoked = revoked


@dataclass
class KeyUsed:
    """The key that verified the signature, and where it was found (a URL we fetched, or
    "did:key" when the key is written in the identifier itself)."""

    id: str
    found_at: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "found_at": self.found_at}


@dataclass
class RegistryMatch:
    """An issuer registry, trusted by an institution, that lists the issuer's id."""

    registry_id: int
    name: str
    source: str  # the URL it is fetched from, or the name of the uploaded file
    fetched_at: str  # ISO 8601: when the copy that matched was fetched or uploaded
    listed_name: str = ""  # the issuer's name as the registry gives it
    listed_url: str = ""  # the issuer's web address as the registry gives it

    def as_dict(self) -> dict[str, Any]:
        return {
            "registry_id": self.registry_id,
            "name": self.name,
            "source": self.source,
            "fetched_at": self.fetched_at,
            "listed_name": self.listed_name,
            "listed_url": self.listed_url,
        }


@dataclass
class Outcome:
    """The result of checking one badge, with the document the checks read."""

    version: str
    document: dict[str, Any]
    checks: list[Check] = field(default_factory=list)
    image_url: str = ""
    image_bytes: bytes = b""
    # Issuer identity. `issuer_id` is the id the credential names (https URL or DID);
    # `identity_domain` the https host proven to publish the key or the assertion, "" when
    # none is; `identity_note` says in plain words how it was (or why it was not) proven.
    issuer_id: str = ""
    identity_domain: str = ""
    identity_note: str = ""
    registry: RegistryMatch | None = None
    # The signature's key, or the server that hosts the badge, is proven to be the issuer
    # id's own (not only the word of a profile the badge carries). Only then can a registry
    # that lists the issuer id vouch for the badge (services.badge_check).
    bound_to_issuer: bool = False
    key: KeyUsed | None = None
    # Every URL fetched while checking: {"url", "status" (int or None), "error"}.
    fetches: list[dict[str, Any]] = field(default_factory=list)

    # --- recording checks ---------------------------------------------------------------

    def add(self, key: str, ok: bool | None, message: str) -> None:
        """Passed (True), failed (False) or not checked now (None)."""
        if ok is None:
            self.not_checked(key, message)
        elif ok:
            self.passed(key, message)
        else:
            self.failed(key, message)

    def passed(self, key: str, message: str, *, params: dict[str, str] | None = None) -> None:
        self.checks.append(Check(key, Result.PASSED, message, params=params or {}))

    def failed(
        self,
        key: str,
        message: str,
        *,
        leads_to: str = Status.FAILED,
        params: dict[str, str] | None = None,
    ) -> None:
        self.checks.append(
            Check(key, Result.FAILED, message, leads_to=leads_to, params=params or {})
        )

    def not_checked(self, key: str, message: str) -> None:
        self.checks.append(Check(key, Result.NOT_CHECKED, message))

    def not_applicable(self, key: str, message: str) -> None:
        self.checks.append(Check(key, Result.NOT_APPLICABLE, message))

    def identified_by_domain(self, host: str, note: str) -> None:
        """The issuer's key or hosted assertion is published on its own https origin."""
        self.identity_domain = host.lower()
        self.identity_note = note

    def not_identified(self, note: str) -> None:
        self.identity_domain = ""
        self.identity_note = note

    # --- what they add up to ------------------------------------------------------------

    @property
    def revoked(self) -> bool:
        return any(c.result == Result.FAILED and c.leads_to == Status.REVOKED for c in self.checks)

    @property
    def expired(self) -> bool:
        return any(c.result == Result.FAILED and c.leads_to == Status.EXPIRED for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.result == Result.FAILED and c.leads_to == Status.FAILED]

    @property
    def identity(self) -> str:
        if self.registry is not None:
            return Identity.REGISTRY
        if self.identity_domain:
            return Identity.DOMAIN
        return Identity.NOT_IDENTIFIED

    @property
    def status(self) -> str:
        if self.failures:
            return Status.FAILED
        if self.revoked:
            return Status.REVOKED
        if any(c.result == Result.NOT_CHECKED for c in self.checks if c.key != "recipient"):
            return Status.UNVERIFIABLE
        if self.expired:
            return Status.EXPIRED
        if self.identity == Identity.NOT_IDENTIFIED:
            return Status.UNIDENTIFIED
        recipient = [c for c in self.checks if c.key == "recipient"]
        if not recipient or any(c.result != Result.PASSED for c in recipient):
            return Status.UNCONFIRMED
        return Status.VERIFIED

    @property
    def reason(self) -> str:
        """Every failure, in plain words; else what could not be checked."""
        failures = [c for c in self.checks if c.result == Result.FAILED] or [
            c for c in self.checks if c.result == Result.NOT_CHECKED
        ]
        return " ".join(dict.fromkeys(c.text for c in failures))
