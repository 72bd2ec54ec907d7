"""Local-only JSON-LD: contexts come from `contexts/` (listed in `contexts/index.json`) and
nothing is ever fetched.

`canonize` gives the RDF Dataset Canonicalization (RDFC-1.0, pyld's "URDNA2015") N-Quads
that Data Integrity proofs sign. It runs in "safe mode": pyld 3.3 has no such option, so
we reproduce the part that matters for signatures. Plain JSON-LD silently drops a property
or type that no context defines, so such text would sit in a credential without being
covered by its signature; here any such term is an error instead.
"""

import copy
import json
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver

__all__ = [
    "CanonizeError",
    "UnknownContextError",
    "canonize",
    "document_loader",
    "expand",
    "known_context_urls",
    "rewritten_form",
]

CONTEXTS_DIR = Path(__file__).parent / "contexts"

# Same pattern pyld uses to decide what counts as an absolute IRI (or blank node id).
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")


class UnknownContextError(jsonld.JsonLdError, ValueError):
    """A context URL that is not stored locally. It is a pyld `JsonLdError` so pyld treats
    it like any failed load, and a ValueError whose str() is plain words."""

    def __init__(self, url: str) -> None:
        jsonld.JsonLdError.__init__(
            self,
            f"The context {url} is not stored on this site, and contexts are never fetched "
            "from the internet.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
        self.url = url

    def __str__(self) -> str:
        return str(self.args[0])


class CanonizeError(ValueError):
    """The document cannot be canonicalised safely. The message is plain words."""


_index_lock = threading.Lock()
_index: dict[str, str] | None = None
_documents: dict[str, Any] = {}


def _context_index() -> dict[str, str]:
    global _index
    with _index_lock:
        if _index is None:
            raw = json.loads((CONTEXTS_DIR / "index.json").read_text(encoding="utf-8"))
            _index = {str(url): str(name) for url, name in raw.items()}
        return _index


def known_context_urls() -> frozenset[str]:
    """The context URLs that can be resolved (exactly as listed, no variants)."""
    return frozenset(_context_index())


def _parsed_context(url: str) -> Any:
    file_name = _context_index().get(url)
    if file_name is None:
        raise UnknownContextError(url)
    with _index_lock:
        if url not in _documents:
            path = CONTEXTS_DIR / file_name
            _documents[url] = json.loads(path.read_text(encoding="utf-8"))
        return _documents[url]


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves only the stored contexts, looked up by the exact
    URL in `index.json`; anything else raises `UnknownContextError`. Never fetches."""
    document = _parsed_context(url)
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        # pyld may rewrite relative URLs inside a context in place: hand out a copy.
        "document": copy.deepcopy(document),
        # "static" lets the context resolver keep the processed context between calls.
        "tag": "static",
    }


class _ResolvedContextCache:
    """A small thread-safe LRU with the two methods pyld's ContextResolver uses. Our own
    instance, so contexts processed here never mix with pyld's process-wide cache (which
    any other code could fill through a fetching loader)."""

    def __init__(self, max_size: int) -> None:
        self._max_size = max_size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def __setitem__(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._max_size:
                self._items.popitem(last=False)


_resolved_contexts = _ResolvedContextCache(max_size=100)


def _options() -> dict[str, Any]:
    return {
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(_resolved_contexts, document_loader),
        # No document base: a relative IRI stays relative and `_check_expanded` refuses
        # it. (With base "" pyld 3.3 resolves it against http://example.org/base/.)
        "base": None,
        "processingMode": "json-ld-1.1",
    }


class _DroppedTerm(Exception):
    def __init__(self, term: str | None) -> None:
        super().__init__(term)
        self.term = term


def _refuse_dropped(expanded_property: str | None) -> None:
    raise _DroppedTerm(expanded_property)


def _find_unknown_context(error: BaseException) -> UnknownContextError | None:
    current: BaseException | None = error
    while current is not None:
        if isinstance(current, UnknownContextError):
            return current
        current = current.__cause__ or current.__context__
    return None


def _check_iri(value: Any, what: str) -> None:
    if isinstance(value, str) and _ABSOLUTE_IRI.match(value):
        return
    if what == "identifier":
        raise CanonizeError(
            f"The document uses the identifier {value!r}, which is not a full address "
            "(a URL, URN or DID), so it cannot be checked."
        )
    raise CanonizeError(
        f"The document uses the {what} {value!r}, which none of its contexts define, "
        "so it cannot be checked."
    )


def _check_expanded(node: Any) -> None:
    """Refuse what RDF conversion would silently drop: relative ids and types."""
    if isinstance(node, list):
        for item in node:
            _check_expanded(item)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        value_type = node.get("@type")
        if value_type is not None and value_type != "@json":
            _check_iri(value_type, "value type")
        return
    for key, value in node.items():
        if key == "@id":
            _check_iri(value, "identifier")
        elif key == "@type":
            for type_iri in value if isinstance(value, list) else [value]:
                _check_iri(type_iri, "type")
        elif key.startswith("@"):
            _check_expanded(value)
        else:
            _check_iri(key, "term")
            _check_expanded(value)


def expand(document: dict[str, Any]) -> list[Any]:
    """JSON-LD expansion with local contexts only, refusing undefined terms and types."""
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    try:
        expanded = processor.expand(document, _options())
    except _DroppedTerm as dropped:
        raise CanonizeError(
            f"The document uses the term {dropped.term!r}, which none of its contexts "
            "define, so it cannot be checked."
        ) from None
    except jsonld.JsonLdError as error:
        unknown = _find_unknown_context(error)
        if unknown is not None:
            raise CanonizeError(unknown.args[0]) from error
        raise CanonizeError(
            f"The document is not valid JSON-LD ({getattr(error, 'code', None) or error.type})."
        ) from error
    _check_expanded(expanded)
    return list(expanded)


def rewritten_form(document: Any) -> str:
    """Why the JSON of `document` might read otherwise than its canonical form says, or "".

    One RDF dataset, and so one Data Integrity signature, has many JSON-LD spellings: a
    term under its full IRI, a value object, an alias that a context of the document's
    own defines. Whoever holds a signed credential can respell it, and a reader of the
    JSON (ours: its status, its expiry) would then miss a statement that is still signed.
    So contexts must be stored ones, named by URL, and keys plain terms (or @context,
    @id, @type), which the stored contexts map one to one."""
    if isinstance(document, list):
        return next(filter(None, map(rewritten_form, document)), "")
    if not isinstance(document, dict):
        return ""
    for key, value in document.items():
        if key == "@context":
            if not all(isinstance(c, str) for c in (value if isinstance(value, list) else [value])):
                return "its @context defines terms of its own"
        elif key not in ("@id", "@type") and (key.startswith("@") or ":" in key):
            return f"it writes {key!r} where a term is expected"
        else:
            problem = rewritten_form(value)
            if problem:
                return problem
    return ""


def canonize(doc: dict[str, Any]) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of `doc`, using only local contexts.

    Raises `CanonizeError` for an unknown context, a term or type no context defines,
    or invalid JSON-LD.
    """
    expanded = expand(doc)
    options = _options()
    options.update({"algorithm": "URDNA2015", "format": "application/n-quads"})
    try:
        # Expanded input needs no contexts; expansion is idempotent, so this is the
        # same dataset as normalising `doc` directly.
        result = jsonld.normalize(expanded, options)
    except jsonld.JsonLdError as error:
        raise CanonizeError(
            f"The document cannot be canonicalised ({getattr(error, 'code', None) or error.type})."
        ) from error
    return str(result)
