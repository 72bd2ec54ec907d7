"""Open Badges 2.0: hosted and signed assertions, checked as the specification's
"Verification" section says; where it is vague, as 1EdTech's validator
(openbadges-validator-core) does, and where that is lenient, strictly (said in place).

Hosted: the issuer's copy, fetched at the assertion's id, is what is checked and kept;
its badge class and issuer are read from their ids; the id must lie where the issuer's
verification policy allows (by default on the issuer id's host). Signed: ob2_signed."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from badges.legacy import legacy_version
from badges.models import Status
from badges.outcome import BadgeRejected, Outcome
from badges.parsing import Facts, as_list, id_of, ob2_facts, parse_time, types_of
from badges.verification.fetching import (
    Fetched,
    fetch_json,
    fetch_node,
    host_of,
    unreachable,
)
from badges.verification.issuer_keys import climbs, in_issuer_folder
from badges.verification.legacy import upgrade_if_legacy
from badges.verification.ob2_signed import Node, check_revocation_list, check_signed
from badges.verification.recipient import ob2_recipient


def verify_ob2(
    *,
    assertion: dict[str, Any],
    jws: str = "",
    emails: list[str],
    now: datetime,
    fetched_from: str = "",
    legacy: bool = False,
) -> tuple[Outcome, Facts]:
    """Check an OB 2.0 assertion (`legacy`: upgraded from 0.5 or 1.x). For a hosted one
    the issuer's copy is what the checks (and the stored document) read: fetched from its
    id, unless `fetched_from` says the caller has just fetched it from there.

    Raises BadgeRejected when the issuer cannot be reached now (unreachable), says the
    badge is revoked (revoked), or does not answer with the badge."""
    outcome = Outcome(version="2.0", document=assertion)
    if jws:
        secure = True  # the signature, not the transport, vouches for a signed assertion
    else:
        assertion, final_url, legacy = _hosted_copy(assertion, fetched_from, legacy=legacy)
        secure = final_url.startswith("https://") and id_of(assertion).startswith("https://")
        outcome.document = assertion
        outcome.passed(
            "signature",
            _("Confirmed by the issuer's server at %(host)s.") % {"host": host_of(final_url)},
        )
    badge = _resolve(assertion.get("badge"), _("the badge class"), outcome, secure, legacy)
    issuer = _resolve(
        badge.data.get("issuer"), _("the issuer's profile"), outcome, badge.secure, legacy
    )
    _check_structure(assertion, badge.data, issuer.data, outcome)
    if jws:
        check_signed(jws, assertion, issuer, outcome, legacy=legacy)
        check_revocation_list(assertion, issuer.data, outcome)
    else:
        _check_hosted_origin(assertion, final_url, badge, issuer, outcome)
        outcome.passed("revocation", _("The issuer's server does not mark it as revoked."))
    facts = ob2_facts(assertion, badge.data, issuer.data)
    check_dates(facts.issued_at, facts.expires_at, now, outcome)
    ok, message = ob2_recipient(assertion, emails, legacy=legacy)
    outcome.add("recipient", ok, message)
    outcome.image_url = facts.image
    return outcome, facts


def revoked_by_issuer(body: Any) -> BadgeRejected:
    """The issuer's answer that the badge is revoked (a 410, or the `{"id", "revoked":
    true}` stub OB 2.0 lets a revoked hosted assertion shrink to), with its reason."""
    reason = str(body.get("revocationReason") or "") if isinstance(body, dict) else ""
    message = _("This badge has been revoked by its issuer.")
    if reason:
        message += " " + _("Reason given: %(reason)s") % {"reason": reason}
    return BadgeRejected(message, revoked=True)


def _hosted_copy(
    assertion: dict[str, Any], fetched_from: str, *, legacy: bool
) -> tuple[dict[str, Any], str, bool]:
    """(the issuer's copy, the URL it finally came from, whether it is a legacy badge)."""
    hosted_url = id_of(assertion)
    if not hosted_url.startswith(("https://", "http://")):
        raise BadgeRejected(_("This hosted badge has no web address (id) to check it at."))
    if hosted_url == fetched_from:
        got = Fetched(data=assertion)
        final_url = fetched_from
    else:
        got = fetch_json(hosted_url, what=_("the badge"))
        final_url = got.response.url if got.response is not None else hosted_url
        if got.ok is None:
            raise unreachable(got)
        if got.response is not None and got.response.status == 410:
            raise revoked_by_issuer(_json_or_none(got))
        if not got.ok:
            raise BadgeRejected(got.message)
        if not isinstance(got.data, dict):
            raise BadgeRejected(
                _("The issuer's server did not answer with a badge at %(url)s.")
                % {"url": hosted_url}
            )
        if got.data.get("revoked") is True:
            raise revoked_by_issuer(got.data)
        legacy = legacy or legacy_version(got.data) is not None
    document = upgrade_if_legacy(got.data, hosted_url=hosted_url)
    if id_of(document) != hosted_url:
        # The spec: the hosted copy is the one at the assertion's id. One that names
        # another address as its own is not that badge (the validator refetches it; we
        # refuse, so a copy can never vouch for a badge elsewhere).
        raise BadgeRejected(
            _("The badge at %(url)s gives another web address as its own.") % {"url": hosted_url}
        )
    return document, final_url, legacy


def _json_or_none(got: Fetched) -> Any:
    try:
        return got.response.json() if got.response is not None else None
    except ValueError:
        return None


def _resolve(node: Any, what: str, outcome: Outcome, secure: bool, legacy: bool) -> Node:
    """A badge class or issuer, read from its id when that is a web address: fetched when
    the assertion links it, and fetched again when it is embedded (as the validator
    does), so an embedded copy cannot say what the issuer's own does not. A legacy badge's
    were already fetched from their addresses by the upgrade, in their old shape."""
    embedded = node if isinstance(node, dict) else {}
    url = id_of(node)
    if legacy and embedded and url:
        return Node(embedded, fetched=False, secure=url.startswith("https://"))
    if not url.startswith(("https://", "http://")):
        return Node(embedded, fetched=False, secure=secure)
    got = fetch_node(url, what=what)
    if got.ok is None:
        raise unreachable(got)
    if got.ok and isinstance(got.data, dict):
        if id_of(got.data) and id_of(got.data) != url:
            outcome.failed(
                "structure",
                _("%(what)s at %(url)s gives another web address as its own.")
                % {"what": what, "url": url},
            )
        return Node(got.data, fetched=True, secure=got.secure)
    outcome.failed("structure", got.message or _("%(what)s is not a JSON object.") % {"what": what})
    return Node(embedded, fetched=False, secure=False)


def _check_structure(
    assertion: dict[str, Any], badge: dict[str, Any], issuer: dict[str, Any], outcome: Outcome
) -> None:
    missing = [
        label
        for label, present in (
            (_("who earned it (recipient)"), bool(assertion.get("recipient"))),
            (_("issue date"), parse_time(assertion.get("issuedOn")) is not None),
            (_("badge name"), bool(badge.get("name"))),
            (_("criteria"), bool(badge.get("criteria"))),
            (_("issuer name"), bool(issuer.get("name"))),
            # Profile.id is required by the spec: without it there is no issuer whose
            # site or keys could be compared.
            (_("the issuer's web address (id)"), bool(id_of(issuer))),
        )
        if not present
    ]
    if missing or ("BadgeClass" not in types_of(badge) and badge):
        outcome.failed(
            "structure",
            _("The badge is incomplete: it lacks %(fields)s.")
            % {"fields": ", ".join(missing) or _("a BadgeClass type")},
        )
    elif badge and issuer:
        outcome.passed("structure", _("Has everything an Open Badge 2.0 needs."))


def _authority(url: str) -> str:
    parts = urlsplit(url)
    host = host_of(url) if parts.hostname else ""
    return f"{host}:{parts.port}" if parts.port else host


def _check_hosted_origin(
    assertion: dict[str, Any], final_url: str, badge: Node, issuer: Node, outcome: Outcome
) -> None:
    """The issuer's verification policy (Profile.verification): the assertion id's host
    must be one of allowedOrigins (default: the issuer id's host) and the id must start
    with one of startsWith. The URL it finally came from, after redirects, too."""
    assertion_url = id_of(assertion)
    issuer_id = id_of(issuer.data)
    if not issuer_id.startswith(("https://", "http://")):
        # The validator passes such a badge with a warning; it names no site to compare.
        outcome.not_identified(
            _("The issuer's id is not a web address, so no site can be shown to be its own.")
        )
        return
    policy = issuer.data.get("verification")
    policy = policy if isinstance(policy, dict) else {}
    allowed = {_authority(f"https://{o}") for o in as_list(policy.get("allowedOrigins"))} or {
        _authority(issuer_id)
    }
    starts = [str(s) for s in as_list(policy.get("startsWith")) if s]
    host = _authority(assertion_url)

    def in_scope(url: str) -> bool:
        scoped = _authority(url) in allowed or host_of(url) in allowed
        under = not starts or (any(url.startswith(s) for s in starts) and not climbs(url))
        return scoped and under

    if not (in_scope(assertion_url) and in_scope(final_url)):
        outcome.failed(
            "issuer",
            _("Hosted at %(host)s, which the issuer %(issuer)s does not list as its own.")
            % {
                "host": _authority(final_url) if in_scope(assertion_url) else host,
                "issuer": issuer.data.get("name") or issuer_id,
            },
        )
        outcome.not_identified(_("The badge is not hosted on a site the issuer lists."))
        return
    outcome.passed("issuer", _("Hosted on the issuer's own site (%(host)s).") % {"host": host})
    # The default policy (the issuer id's origin) binds the badge to the domain; on a host
    # many people publish on, only a policy of the issuer's own or its id's folder binds
    # it to the id a registry lists.
    outcome.bound_to_issuer = bool(policy.get("allowedOrigins") or starts) or all(
        in_issuer_folder(url, issuer_id) for url in (assertion_url, final_url)
    )
    if not (final_url.startswith("https://") and assertion_url.startswith("https://")):
        outcome.not_identified(
            _(
                "The issuer's site answered over an insecure connection (http), "
                "so it does not prove who the issuer is."
            )
        )
    elif not (badge.secure and issuer.secure):
        outcome.not_identified(
            _(
                "The issuer's profile came over an insecure connection (http), "
                "so it does not prove who the issuer is."
            )
        )
    else:
        outcome.identified_by_domain(
            host_of(assertion_url),
            _("The issuer's own site, %(host)s, hosts this badge.") % {"host": host},
        )


def unreadable_dates(document: dict[str, Any], *fields: str) -> list[str]:
    """The date fields `document` gives that are not dates (a list, an object, text)."""
    return [f for f in fields if document.get(f) not in (None, "") and not parse_time(document[f])]


def check_dates(
    issued: datetime | None,
    expires: datetime | None,
    now: datetime,
    outcome: Outcome,
    *,
    unreadable: list[str] | None = None,
) -> None:
    """`unreadable`: date fields the badge gives but that cannot be read; reading them as
    absent would take an expired badge for one that never expires."""
    if unreadable:
        outcome.failed(
            "dates",
            _(
                "The badge's %(fields)s is not a date we can read, so its validity "
                "cannot be checked."
            )
            % {"fields": ", ".join(unreadable)},
        )
    elif issued is None:
        outcome.failed("dates", _("The badge has no valid issue date."))
    elif issued > now:
        outcome.failed(
            "dates",
            _("The badge says it was issued in the future (%(date)s)."),
            params={"date": issued.isoformat()},
        )
    elif expires is not None and expires < issued:
        # As the validator: an expiry before the issue date makes no sense.
        outcome.failed("dates", _("The badge says it expires before it was issued."))
    elif expires is not None and expires <= now:
        outcome.failed(
            "dates",
            _("Expired on %(date)s."),
            leads_to=Status.EXPIRED,
            params={"date": expires.isoformat()},
        )
    else:
        outcome.passed("dates", _("Issued on %(date)s."), params={"date": issued.isoformat()})
