"""The fingerprint of what an attestation vouches for."""

import hashlib
import json

from artefacts.models import Artefact
from reflections.models import Reflection


def item_fingerprint(item: Artefact | Reflection) -> str:
    """SHA-256 of exactly what is attested: the title, the text and the file's own hash,
    as canonical JSON. A stored file without a recorded hash is hashed from its bytes."""
    parts = dict(item.content_fingerprint_parts)
    if isinstance(item, Artefact) and item.file and not parts.get("file_sha256"):
        digest = hashlib.sha256()
        with item.file.open("rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                digest.update(chunk)
        parts["file_sha256"] = digest.hexdigest()
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
