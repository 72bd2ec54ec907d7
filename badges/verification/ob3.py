"""Open Badges 3.0: credentials with an embedded Data Integrity proof, or VC-JWTs.

The steps of OB 3.0 "OpenBadgeCredential Verification", in order: the credential conforms
(structure, credentialSchema), the proof holds with a key the issuer controls (signatures,
issuer_keys), the status (status), validFrom and validUntil (dates), then the recipient.
Refresh (refreshService) is not performed: the credential as presented is what is checked.
"""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from badges.outcome import Outcome
from badges.parsing import VC_CONTEXTS, Facts, as_list, contexts_of, ob3_facts, types_of
from badges.verification.issuer_keys import record_key
from badges.verification.ob2 import check_dates, unreadable_dates
from badges.verification.recipient import ob3_recipient
from badges.verification.schema import check_schema
from badges.verification.signatures import (
    Signed,
    check_embedded_proof,
    check_vc_jwt,
    issuer_id_of,
    token_issuer_id,
)
from badges.verification.status import check_status

OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
OB3_CREDENTIAL_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
VC_DATES = ("validFrom", "validUntil", "issuanceDate", "expirationDate")


def verify_ob3(
    *, credential: dict[str, Any], jwt: str = "", emails: list[str], now: datetime
) -> tuple[Outcome, Facts]:
    outcome = Outcome(version="3.0", document=credential)
    if jwt:
        signed = check_vc_jwt(jwt, issuer_id=token_issuer_id(credential, jwt))
        if signed.ok and signed.credential is not None:
            # The token's claims (nbf, exp, iss, sub, jti) are part of what was signed:
            # the facts and dates are read from the credential with them filled in.
            credential = signed.credential
            outcome.document = credential
    else:
        signed = check_embedded_proof(credential, issuer_id=issuer_id_of(credential))
    facts = ob3_facts(credential)
    check_structure(credential, facts, outcome)
    check_schema(credential, outcome)
    record_signature(signed, outcome)
    check_status(credential, now=now, outcome=outcome)
    check_dates(
        facts.issued_at, facts.expires_at, now, outcome,
        unreadable=unreadable_dates(credential, *VC_DATES),
    )  # fmt: skip
    ok, message = ob3_recipient(credential, emails)
    outcome.add("recipient", ok, message)
    outcome.image_url = facts.image
    return outcome, facts


def record_signature(signed: Signed, outcome: Outcome) -> None:
    outcome.add("signature", signed.ok, signed.message)
    if signed.ok and signed.found is not None:
        # issuer_keys only returns a key the issuer id controls (or its origin publishes).
        outcome.bound_to_issuer = signed.found.of_issuer_id
        record_key(outcome, signed.found)


def check_structure(
    credential: dict[str, Any],
    facts: Facts,
    outcome: Outcome,
    *,
    kinds: frozenset[str] = OB3_CREDENTIAL_TYPES,
    context_prefix: str = OB3_CONTEXT_PREFIX,
) -> None:
    """What VCDM and OB 3.0 (or CLR 2.0, with its own kinds and context) require of the
    credential's shape."""
    problems = _missing(credential, facts)
    types = types_of(credential)
    if "VerifiableCredential" not in types or not types & kinds:
        problems.append(
            _("its type is not VerifiableCredential and %(kinds)s")
            % {"kinds": _(" or ").join(sorted(kinds))}
        )
    contexts = contexts_of(credential)
    if not contexts or contexts[0] not in VC_CONTEXTS:
        problems.append(_("its first @context is not the Verifiable Credentials context"))
    if not any(c.startswith(context_prefix) for c in contexts):
        problems.append(_("its @context does not name %(context)s") % {"context": context_prefix})
    if facts.issuer_id and ":" not in facts.issuer_id:
        problems.append(
            _("the issuer's id (%(id)s) is not a web address or DID") % {"id": facts.issuer_id}
        )
    if problems:
        outcome.add(
            "structure",
            False,
            _("The credential does not follow the standard: %(problems)s.")
            % {"problems": "; ".join(problems)},
        )
    else:
        outcome.add("structure", True, _("Has everything an Open Badges 3.0 credential needs."))


def _missing(credential: dict[str, Any], facts: Facts) -> list[str]:
    subjects = [s for s in as_list(credential.get("credentialSubject")) if isinstance(s, dict)]
    subject = subjects[0] if subjects else {}
    achievement = subject.get("achievement")
    needs_achievement = bool(types_of(credential) & OB3_CREDENTIAL_TYPES)
    missing = [
        label
        for label, present in (
            (_("issuer"), bool(facts.issuer_id)),
            (_("subject"), bool(subjects)),
            (_("achievement"), isinstance(achievement, dict) or not needs_achievement),
            (_("achievement name"), bool(facts.name) or not needs_achievement),
            (_("issue date"), facts.issued_at is not None),
        )
        if not present
    ]
    problems = [_("it lacks %(fields)s") % {"fields": ", ".join(missing)}] if missing else []
    # OB 3.0 Verification, step 1: "Check that the credentialSubject is identified by an
    # id and/or an identifier."
    if subjects and not any(s.get("id") or s.get("identifier") for s in subjects):
        problems.append(_("its subject is identified by neither an id nor an identifier"))
    return problems
