"""Writes with business meaning for showcases and their share links."""

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts.models import Institution, MembershipState
from core.html import render_markdown
from portfolio.models import Section, ShareLink, Showcase, ShowcaseItem
from portfolio.showcases.versions import showcase_content_changed

DEFAULT: Any = object()  # "not given", as opposed to None ("no institution")

# Wrong passphrases allowed per link and client, and per link from all clients together.
PASSPHRASE_ATTEMPTS = 5
PASSPHRASE_WINDOW_SECONDS = 15 * 60
PASSPHRASE_LINK_ATTEMPTS = 100
PASSPHRASE_LINK_WINDOW_SECONDS = 60 * 60


@transaction.atomic
def showcase_create(
    *,
    owner: Any,
    title: str,
    audience: str = "",
    summary: str = "",
    theme: str = "classic",
    institution: Any = DEFAULT,
) -> Showcase:
    """`institution`: the one named on the shared page (None: none). Not given: the
    first institution the owner learns at that shows itself on showcases by default."""
    showcase = Showcase(owner=owner)
    _apply(showcase, title=title, audience=audience, summary=summary, theme=theme)
    showcase.institution = (
        showcase_default_institution(owner=owner) if institution is DEFAULT else institution
    )
    showcase.save()
    return showcase


@transaction.atomic
def showcase_update(
    *,
    showcase: Showcase,
    title: str,
    audience: str,
    summary: str,
    theme: str,
    institution: Any = DEFAULT,
) -> Showcase:
    _apply(showcase, title=title, audience=audience, summary=summary, theme=theme)
    if institution is not DEFAULT:
        showcase.institution = institution
    showcase.save()
    _touch(showcase.pk)
    return showcase


def showcase_default_institution(*, owner: Any) -> Institution | None:
    return (
        Institution.objects.filter(
            memberships__user=owner,
            memberships__state=MembershipState.ACTIVE,
            show_on_showcases=True,
        )
        .order_by("memberships__joined_at", "name")
        .first()
    )


def _apply(showcase: Showcase, *, title: str, audience: str, summary: str, theme: str) -> None:
    showcase.title = title
    showcase.audience = audience
    showcase.summary_markdown = summary
    showcase.summary_html = render_markdown(summary)
    showcase.theme = theme


@transaction.atomic
def showcase_duplicate(*, showcase: Showcase) -> Showcase:
    """A copy with the same sections and items (and no share links)."""
    copy = Showcase.objects.create(
        owner=showcase.owner,
        title=f"{showcase.title} (copy)"[:200],
        audience=showcase.audience,
        summary_markdown=showcase.summary_markdown,
        summary_html=showcase.summary_html,
        theme=showcase.theme,
    )
    for section in showcase.sections.prefetch_related("items"):
        new_section = Section.objects.create(
            showcase=copy,
            heading=section.heading,
            intro_markdown=section.intro_markdown,
            intro_html=section.intro_html,
            position=section.position,
        )
        ShowcaseItem.objects.bulk_create(
            ShowcaseItem(
                section=new_section,
                artefact_id=item.artefact_id,
                reflection_id=item.reflection_id,
                badge_id=item.badge_id,
                caption=item.caption,
                position=item.position,
            )
            for item in section.items.all()
        )
    return copy


@transaction.atomic
def showcase_archive(*, showcase: Showcase, archived: bool) -> Showcase:
    """An archived showcase keeps its content; its links stop working until restored."""
    showcase.archived_at = timezone.now() if archived else None
    showcase.save(update_fields=["archived_at", "updated_at"])
    return showcase


@transaction.atomic
def showcase_delete(*, showcase: Showcase) -> None:
    showcase.delete()


@transaction.atomic
def section_add(*, showcase: Showcase, heading: str, intro: str = "") -> Section:
    last = showcase.sections.aggregate(last=Max("position"))["last"]
    section = Section.objects.create(
        showcase=showcase,
        heading=heading,
        intro_markdown=intro,
        intro_html=render_markdown(intro),
        position=(last or 0) + 1,
    )
    _touch(showcase.pk)
    return section


@transaction.atomic
def section_update(*, section: Section, heading: str, intro: str) -> Section:
    section.heading = heading
    section.intro_markdown = intro
    section.intro_html = render_markdown(intro)
    section.save()
    _touch(section.showcase_id)
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    showcase_id = section.showcase_id
    section.delete()
    _touch(showcase_id)


@transaction.atomic
def items_add(*, section: Section, targets: list[Any], caption: str = "") -> list[ShowcaseItem]:
    """Add artefacts, reflections or badges (the owner's own; checked by the caller's
    selector) at the end of the section, skipping any already in it."""
    existing = {(i.artefact_id, i.reflection_id, i.badge_id) for i in section.items.all()}
    last = section.items.aggregate(last=Max("position"))["last"] or 0
    created = []
    for target in targets:
        fields = _reference(target)
        key = (fields.get("artefact_id"), fields.get("reflection_id"), fields.get("badge_id"))
        if key in existing:
            continue
        last += 1
        existing.add(key)
        created.append(ShowcaseItem(section=section, caption=caption, position=last, **fields))
    ShowcaseItem.objects.bulk_create(created)
    _touch(section.showcase_id)
    return created


def _reference(target: Any) -> dict[str, int]:
    from artefacts.models import Artefact
    from badges.models import Badge
    from reflections.models import Reflection

    if isinstance(target, Artefact):
        return {"artefact_id": target.pk}
    if isinstance(target, Reflection):
        return {"reflection_id": target.pk}
    if isinstance(target, Badge):
        return {"badge_id": target.pk}
    raise TypeError(f"Cannot show {type(target).__name__} in a showcase")


@transaction.atomic
def item_update(*, item: ShowcaseItem, caption: str) -> ShowcaseItem:
    item.caption = caption
    item.save(update_fields=["caption"])
    _touch(item.section.showcase_id)
    return item


@transaction.atomic
def captions_update(*, showcase: Showcase, captions: Mapping[int, str]) -> list[ShowcaseItem]:
    """Set several of the showcase's item captions at once (item id -> caption), writing
    only those that differ from what is stored. Ids of other showcases' items are
    ignored. Returns the items changed."""
    items = ShowcaseItem.objects.filter(section__showcase=showcase, pk__in=list(captions))
    changed = [item for item in items if item.caption != captions[item.pk]]
    for item in changed:
        item.caption = captions[item.pk]
    if changed:
        ShowcaseItem.objects.bulk_update(changed, ["caption"])
        _touch(showcase.pk)
    return changed


@transaction.atomic
def item_remove(*, item: ShowcaseItem) -> None:
    showcase_id = item.section.showcase_id
    item.delete()
    _touch(showcase_id)


@transaction.atomic
def item_move(*, item: ShowcaseItem, by: int) -> None:
    """Move an item up (by=-1) or down (by=1) within its section."""
    siblings = list(item.section.items.order_by("position", "pk"))
    index = siblings.index(item)
    target = index + by
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        _renumber(siblings)
        _touch(item.section.showcase_id)


@transaction.atomic
def items_reorder(*, section: Section, item_ids: list[int]) -> None:
    """Put the section's items in this order (from drag and drop). Ids not in the section
    are ignored; items left out keep their relative order at the end."""
    items = {i.pk: i for i in section.items.all()}
    ordered = [items.pop(pk) for pk in item_ids if pk in items]
    ordered += sorted(items.values(), key=lambda i: (i.position, i.pk))
    _renumber(ordered)
    _touch(section.showcase_id)


@transaction.atomic
def section_move(*, section: Section, by: int) -> None:
    siblings = list(section.showcase.sections.order_by("position", "pk"))
    index = siblings.index(section)
    target = index + by
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        _renumber(siblings)
        _touch(section.showcase_id)


def _renumber(rows: list[Any]) -> None:
    for position, row in enumerate(rows, 1):
        row.position = position
    if rows:
        type(rows[0]).objects.bulk_update(rows, ["position"])


def _touch(showcase_id: int) -> None:
    showcase_content_changed(showcase_ids=[showcase_id])


# --- Share links ------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """Tokens carry 192 random bits, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewLink:
    link: ShareLink
    token: str  # shown once; only its hash is stored


@transaction.atomic
def link_create(
    *,
    showcase: Showcase,
    label: str,
    expires_on: date | None = None,
    passphrase: str = "",
    notify_on_first_open: bool = False,
    offer_pdf: bool = False,
) -> NewLink:
    token = secrets.token_urlsafe(24)
    link = ShareLink.objects.create(
        showcase=showcase,
        label=label,
        token_hash=token_hash(token),
        expires_on=expires_on,
        passphrase_hash=make_password(passphrase) if passphrase else "",
        notify_on_first_open=notify_on_first_open,
        offer_pdf=offer_pdf,
    )
    return NewLink(link=link, token=token)


@transaction.atomic
def link_revoke(*, link: ShareLink) -> None:
    """Access stops on the next request, for the page and every file behind it."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])


def link_record_open(*, link_id: int, first_opened: bool, notify_on_first_open: bool) -> None:
    """Count an opening of the shared page; the first one may email the learner. Nothing
    is stored about who opened it. `first_opened`: the link was known to have been
    opened before (then one UPDATE does)."""
    now = timezone.now()
    if first_opened:
        # The usual case: one UPDATE, no transaction of its own.
        ShareLink.objects.filter(pk=link_id).update(
            last_opened_at=now, open_count=F("open_count") + 1
        )
        return
    with transaction.atomic():
        first = ShareLink.objects.filter(pk=link_id, first_opened_at__isnull=True).update(
            first_opened_at=now, last_opened_at=now, open_count=F("open_count") + 1
        )
        if not first:  # another request got there first
            ShareLink.objects.filter(pk=link_id).update(
                last_opened_at=now, open_count=F("open_count") + 1
            )
        elif notify_on_first_open:
            from portfolio.showcases.emails import link_first_opened_email

            # In the outbox with this write: sent once, even if the broker is down now.
            link_first_opened_email(link_id=link_id)


class TooManyAttempts(Exception):
    def __init__(self, *, whole_link: bool, wait_seconds: int) -> None:
        super().__init__(whole_link, wait_seconds)
        self.whole_link = whole_link
        self.wait_seconds = wait_seconds


def link_check_passphrase(*, link: ShareLink, passphrase: str, client: str) -> bool:
    """Whether the passphrase is right. Raises TooManyAttempts after 5 wrong tries for
    this link from this client (an address, see core.clientip.client_key) within 15
    minutes, or after 100 wrong tries for this link from everyone within an hour.

    Counted per client so that one viewer's wrong guesses never lock out another; the
    per-link ceiling stops a guesser spreading over many addresses (at most 2,400 guesses
    a day), at the price of the link pausing for everyone while that happens.
    The counts live in the shared cache; if it is unreachable its connection error is
    raised before the passphrase is checked (fail closed, see core.degrade)."""
    client_key = f"share-pass:{link.pk}:{hashlib.sha256(client.encode()).hexdigest()[:16]}"
    link_key = f"share-pass:{link.pk}:all"
    counts = cache.get_many([client_key, link_key])
    if int(counts.get(client_key, 0)) >= PASSPHRASE_ATTEMPTS:
        raise TooManyAttempts(whole_link=False, wait_seconds=PASSPHRASE_WINDOW_SECONDS)
    if int(counts.get(link_key, 0)) >= PASSPHRASE_LINK_ATTEMPTS:
        raise TooManyAttempts(whole_link=True, wait_seconds=PASSPHRASE_LINK_WINDOW_SECONDS)
    if check_password(passphrase, link.passphrase_hash):
        cache.delete(client_key)
        return True
    _count_failure(client_key, PASSPHRASE_WINDOW_SECONDS)
    _count_failure(link_key, PASSPHRASE_LINK_WINDOW_SECONDS)
    return False


def _count_failure(key: str, window: int) -> None:
    # add() starts the window once; incr() counts atomically across processes.
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr(): start again
        cache.set(key, 1, window)
