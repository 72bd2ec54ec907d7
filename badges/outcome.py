"""What a verification finds: a list of plain-language checks and the status they add up to."""

from dataclasses import dataclass, field
from typing import Any

from badges.models import Status


@dataclass(frozen=True)
class Check:
    """One check. `ok` is None when it could not be done now (the issuer did not answer)."""

    key: str  # structure, issuer, signature, revocation, dates, recipient
    ok: bool | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "ok": self.ok, "message": self.message}


class BadgeRejected(ValueError):
    """Not imported: the message says what was wrong and what to do. `unreachable` when
    the issuer could not be reached now, `revoked` when the issuer revoked it."""

    def __init__(self, message: str, *, unreachable: bool = False, revoked: bool = False):
        super().__init__(message)
        self.unreachable = unreachable
        self.revoked = revoked


@dataclass
class Outcome:
    """The result of checking one badge, with the document the checks read."""

    version: str
    document: dict[str, Any]
    checks: list[Check] = field(default_factory=list)
    revoked: bool = False
    expired: bool = False
    image_url: str = ""
    image_bytes: bytes = b""
    verification_method: str = ""

    def add(self, key: str, ok: bool | None, message: str) -> None:
        self.checks.append(Check(key, ok, message))

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.ok is False]

    @property
    def status(self) -> str:
        if self.failures:
            return Status.FAILED
        if self.revoked:
            return Status.REVOKED
        if any(c.ok is None for c in self.checks if c.key != "recipient"):
            return Status.UNVERIFIABLE
        if self.expired:
            return Status.EXPIRED
        return Status.VERIFIED

    @property
    def reason(self) -> str:
        """Every failure, in plain words; else what could not be checked."""
        failures = self.failures or [c for c in self.checks if c.ok is None]
        return " ".join(dict.fromkeys(c.message for c in failures))
