"""What a successful fetch returns: the final URL, status, headers and the body bytes."""

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.fetch.errors import FetchError


class Headers(Mapping[str, str]):
    """Response headers, looked up without regard to case. Repeated headers are joined
    with ", " as HTTP allows."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in items:
            key = name.lower()
            if key in self._items:
                value = f"{self._items[key][1]}, {value}"
            self._items[key] = (name, value)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _value in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({list(self._items.values())!r})"


@dataclass(frozen=True)
class FetchResponse:
    """The last answer after following redirects. Any status may be here (404, 410...):
    callers decide what a status means for them."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case ("" when none was sent)."""
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()

    def json(self) -> Any:
        """The body parsed as JSON; FetchError in plain words when it is not JSON."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError) as exc:
            raise FetchError(
                _("The issuer's server sent something that is not valid JSON."),
                url=self.url,
                detail=f"{exc.__class__.__name__}: {exc}"[:200],
            ) from exc
