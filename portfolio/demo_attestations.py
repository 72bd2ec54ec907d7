"""Demo data for attestations: the placement supervisor of the first demo learner has
attested one of her artefacts through the emailed link (see seed_demo). Written as
the answered request and its attestation, without sending the emails or notifying:
the demo sends nobody anything."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from artefacts.models import Artefact
from core.html import render_markdown

STATEMENT = "I supervised this work during Lena's placement at Acme."
COMMENT = "Careful, well-tested work that our users could rely on."


def seed_attestation(learner: Any) -> bool:
    """Attest the learner's oldest shared artefact, once. Returns whether it was made."""
    from portfolio.attestations.fingerprints import item_fingerprint
    from portfolio.models import Attestation, AttestationRequest

    if Attestation.objects.filter(learner=learner).exists():
        return False
    item = (
        Artefact.objects.filter(owner=learner, visibility="tutors").order_by("learned_on").first()
    )
    if item is None:
        return False
    now = timezone.now()
    asked = AttestationRequest.objects.create(
        learner=learner,
        artefact=item,
        name="Priya Shah",
        email="priya.shah@acme.example",
        role="Placement supervisor",
        organisation="Acme Ltd",
        message="Could you confirm you supervised this during my placement?",
        statement="I supervised this work.",
        expires_at=now + timedelta(days=14),
        emailed_at=now,
        answered_at=now,
    )
    Attestation.objects.create(
        learner=learner,
        artefact=item,
        request=asked,
        via=Attestation.Via.LINK,
        name="Priya Shah",
        role="Placement supervisor",
        organisation="Acme Ltd",
        email_domain="acme.example",
        statement=STATEMENT,
        comment_markdown=COMMENT,
        comment_html=render_markdown(COMMENT),
        item_title=item.title,
        fingerprint=item_fingerprint(item),
    )
    return True
