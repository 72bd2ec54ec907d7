"""Typed, checked access to the records of an archive's manifest. Every problem is an
`ManifestInvalid` naming where in the manifest it is and what is wrong, so a damaged or
edited archive is refused with a message rather than half-read."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from portfolio.archive.safezip import ArchiveRefused

_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
REF_KINDS = ("artefact", "reflection", "badge")


class ManifestInvalid(ArchiveRefused):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(
            f"The archive's manifest.json is not valid: {where} {problem}. The archive was "
            "changed or damaged after it was made; download it again, or make a new one."
        )


class Record:
    """One JSON object of the manifest, at `where` ("artefacts[3]")."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ManifestInvalid(where or "manifest.json", "must be an object")
        self.data = data
        self.where = where

    def at(self, key: str) -> str:
        """Where `key` of this record is, as the refusal names it."""
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: str, kinds: type, *, optional: bool) -> Any:
        value = self.data.get(key)
        if value is None and optional:
            return None
        wrong_bool = isinstance(value, bool) and kinds is not bool  # True is an int too
        if not isinstance(value, kinds) or wrong_bool:
            raise ManifestInvalid(self.at(key), f"must be {_describe(kinds)}")
        return value

    def text(self, key: str, *, max_length: int | None = None, required: bool = False) -> str:
        value = self._get(key, str, optional=not required) or ""
        if required and not value.strip():
            raise ManifestInvalid(self.at(key), "must not be empty")
        if max_length is not None and len(value) > max_length:
            raise ManifestInvalid(self.at(key), f"is longer than {max_length} characters")
        return str(value)

    def ident(self, key: str = "id", *, optional: bool = False) -> str | None:
        value = self._get(key, str, optional=optional)
        if value is None:
            return None
        if not _ID.match(value):
            raise ManifestInvalid(self.at(key), "is not an identifier")
        return str(value)

    def required_id(self, key: str = "id") -> str:
        return str(self.ident(key))

    def choice(self, key: str, choices: Any, *, blank: bool = False) -> str:
        value = self.text(key)
        allowed = [str(c) for c in choices]
        if not (blank and value == "") and value not in allowed:
            raise ManifestInvalid(self.at(key), f"must be one of {', '.join(allowed)}")
        return value

    def boolean(self, key: str) -> bool:
        return bool(self._get(key, bool, optional=True))

    def integer(self, key: str, *, minimum: int = 0, maximum: int = 2**31) -> int | None:
        value = self._get(key, int, optional=True)
        if value is not None and not minimum <= value <= maximum:
            raise ManifestInvalid(self.at(key), "is out of range")
        return value

    def decimal(self, key: str) -> Decimal | None:
        value = self._get(key, str, optional=True)
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ManifestInvalid(self.at(key), "is not a number") from None
        if not number.is_finite() or abs(number) >= 10**5:
            raise ManifestInvalid(self.at(key), "is out of range")
        return number

    def day(self, key: str) -> date | None:
        value = self._get(key, str, optional=True)
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            raise ManifestInvalid(self.at(key), "is not a date") from None

    def moment(self, key: str) -> datetime | None:
        value = self._get(key, str, optional=True)
        try:
            found = datetime.fromisoformat(value) if value else None
        except ValueError:
            raise ManifestInvalid(self.at(key), "is not a date and time") from None
        if found is not None and found.tzinfo is None:
            raise ManifestInvalid(self.at(key), "has no time zone")
        return found

    def records(self, key: str) -> list[Record]:
        values = self._get(key, list, optional=True) or []
        return [Record(value, f"{self.at(key)}[{n}]") for n, value in enumerate(values)]

    def strings(self, key: str, *, max_length: int = 2000) -> list[str]:
        values = self._get(key, list, optional=True) or []
        for n, value in enumerate(values):
            if not isinstance(value, str) or len(value) > max_length:
                raise ManifestInvalid(f"{self.at(key)}[{n}]", "must be a short text")
        return list(values)

    def record(self, key: str) -> Record | None:
        value = self.data.get(key)
        return None if value is None else Record(value, self.at(key))

    def json_object(self, key: str) -> dict[str, Any]:
        return dict(self._get(key, dict, optional=True) or {})

    def ref(self, key: str = "target") -> tuple[str, str] | None:
        """(kind, id) of an artefact, reflection or badge the record points at."""
        found = self.record(key)
        if found is None:
            return None
        return found.choice("kind", REF_KINDS), found.required_id()


def _describe(kinds: type) -> str:
    names = {str: "a text", int: "a whole number", bool: "true or false", list: "a list"}
    names[dict] = "an object"
    return names.get(kinds, kinds.__name__)
