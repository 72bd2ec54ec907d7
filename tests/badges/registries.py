"""Issuer registry files as the Digital Credentials Consortium and LearnCard publish them
(a "registry" object keyed by issuer DID, with "meta"), for the registry tests."""

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

DCC_URL = "https://registry.test/registry.json"
LEARNCARD_URL = "https://registries.learncard.com/trusted/registry.json"

EXAMPLE_ISSUERS = {
    "did:web:credentials.example.edu": {
        "name": "Example University",
        "location": "Cambridge, MA, USA",
        "url": "https://credentials.example.edu",
    },
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK": {
        "name": "Example College",
        "location": "Prato, Italy",
        "url": "https://college.example.org",
    },
}


def registry_document(
    issuers: dict[str, Any] | None = None, *, key: str = "registry"
) -> dict[str, Any]:
    return {
        "meta": {"created": "2022-10-27T17:57:31+00:00", "updated": "2026-01-02T10:00:00+00:00"},
        key: EXAMPLE_ISSUERS if issuers is None else issuers,
    }


def registry_bytes(issuers: dict[str, Any] | None = None, **options: Any) -> bytes:
    return json.dumps(registry_document(issuers, **options), indent=4).encode()


def listing(*issuer_ids: str, name: str = "Test Institute") -> dict[str, Any]:
    """A registry's entries for these ids (as its "registry" object)."""
    return {
        i: {"name": name, "location": "Test City", "url": "https://issuer.test/"}
        for i in issuer_ids
    }


def upload(data: bytes, name: str = "registry.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/json")
