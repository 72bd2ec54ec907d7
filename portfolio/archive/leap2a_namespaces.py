"""The namespaces Leap2A 2010-07 files use, in every form found in the wild, and the
reading of the CURIEs (``leap2:has_part``, ``categories:selection_type#``) in their
attribute values.

Mahara writes the Leap2A namespaces in two forms: the terms.leapspecs.org URIs of the
specification, and (in newer releases) web.archive.org copies of them, without the
trailing slash. Both mean the same; every comparison here goes through `leap_term` and
`category_scheme`, which accept either.
"""

from __future__ import annotations

from collections.abc import Mapping

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XHTML = "http://www.w3.org/1999/xhtml"

LEAP2 = "http://terms.leapspecs.org/"
LEAP2_ARCHIVED = "https://web.archive.org/web/20100503000634/http://terms.leapspecs.org"
CATEGORIES = "http://wiki.leapspecs.org/2A/categories/"
CATEGORIES_ARCHIVED = (
    "https://web.archive.org/web/20120819100914/http://wiki.leapspecs.org:80/2A/categories"
)
VERSION_2010_07 = "http://www.leapspecs.org/2010-07/2A/"

MAHARA = "https://wiki.mahara.org/wiki/Developer_Area/Import//Export/LEAP_Extensions"
MAHARA_OLD = "http://wiki.mahara.org/Developer_Area/Import%2F%2FExport/LEAP_Extensions#"

# Our own extension elements (Markdown sources, captions, badge details): a fixed UUID URN,
# since the namespace only has to be unique and never fetched. Other systems ignore them.
PORTFOLIO_EXT = "urn:uuid:8c7f3e52-4b1a-4f0e-9d6b-2a5f7c1e9b30"

# Longest first, so that a base never matches inside a longer one.
_LEAP2_BASES = tuple(sorted({LEAP2.rstrip("/"), LEAP2_ARCHIVED.rstrip("/")}, key=len, reverse=True))
_CATEGORY_BASES = tuple(
    sorted({CATEGORIES.rstrip("/"), CATEGORIES_ARCHIVED.rstrip("/")}, key=len, reverse=True)
)
_MAHARA_NAMESPACES = frozenset({MAHARA, MAHARA_OLD})


def is_leap2(namespace: str) -> bool:
    return namespace.rstrip("/") in _LEAP2_BASES


def is_mahara(namespace: str) -> bool:
    return namespace in _MAHARA_NAMESPACES


def split_tag(tag: str) -> tuple[str, str]:
    """ElementTree's "{namespace}local" as (namespace, local)."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def expand(value: str, prefixes: Mapping[str, str]) -> str:
    """A CURIE (``prefix:rest`` or ``[prefix:rest]``) with a declared prefix as the full
    URI it stands for; anything else as written."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    prefix, colon, rest = value.partition(":")
    if colon and prefix in prefixes and not rest.startswith("//"):
        return prefixes[prefix] + rest
    return value


def leap_term(value: str, prefixes: Mapping[str, str]) -> str:
    """The Leap2A term a type or relation names ("entry", "has_part"), whichever form of
    the namespace it uses; "" when it is not a Leap2A term."""
    return _term(expand(value, prefixes), _LEAP2_BASES)


def category_scheme(value: str, prefixes: Mapping[str, str]) -> str:
    """The Leap2A category scheme ("selection_type") a category's scheme attribute names,
    whichever form of the namespace it uses; "" when it is not a Leap2A scheme."""
    return _term(expand(value, prefixes), _CATEGORY_BASES).rstrip("#")


def _term(uri: str, bases: tuple[str, ...]) -> str:
    for base in bases:
        if uri.startswith(base):
            return uri[len(base) :].lstrip("/")
    return ""
