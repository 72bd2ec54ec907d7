"""The version of what a showcase's shared pages show, which keys their page cache.

Anything that changes what an employer sees through a share link must bump the version
of every showcase it appears in, in the same transaction as the change (or after it),
never before it outside one: a reader between an early bump and the change would cache
the old content under the new version.

Writers inside `portfolio` call `showcase_content_changed` directly. The leaf apps
(artefacts, reflections, badges, accounts) never import `portfolio`, so their saves and
deletes reach it through the signal receivers below, connected in PortfolioConfig.ready.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.utils import timezone

from artefacts.models import Artefact
from badges.models import Badge
from portfolio.models import Showcase
from reflections.models import Reflection


def showcase_content_changed(*, showcase_ids: Iterable[int]) -> None:
    """Mark these showcases' shared pages out of date (showcase, badge details): the next
    request renders them again. Call it from every write that changes anything a shared
    page shows (an item, its caption, order or section; the artefact, reflection or badge
    behind it, its visibility or verification; an attestation; the learner's name; the
    PDF offered), in the writer's transaction. One UPDATE; also touches `updated_at`."""
    ids = list(showcase_ids)
    if ids:
        Showcase.objects.filter(pk__in=ids).update(
            content_version=F("content_version") + 1, updated_at=timezone.now()
        )


def all_showcases_content_changed() -> None:
    """Every shared page is out of date (stored HTML rendered again after a change to
    how Markdown is read). Leaves `updated_at` alone: the learners changed nothing."""
    Showcase.objects.update(content_version=F("content_version") + 1)


def showcases_showing(*, field: str, ids: Iterable[int]) -> list[int]:
    """The showcases with an item pointing at these artefacts, reflections or badges
    (`field` is "artefact", "reflection" or "badge")."""
    return list(
        Showcase.objects.filter(**{f"sections__items__{field}_id__in": list(ids)})
        .values_list("pk", flat=True)
        .distinct()
    )


def _bump_for(field: str, ids: Iterable[int]) -> None:
    showcase_content_changed(showcase_ids=showcases_showing(field=field, ids=ids))


_FIELDS: dict[type, str] = {Artefact: "artefact", Reflection: "reflection", Badge: "badge"}


def target_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    """post_save of an artefact, reflection or badge (edits, visibility, re-verification)."""
    if not kwargs.get("created"):
        _bump_for(_FIELDS[sender], [instance.pk])


def target_deleting(sender: type, instance: Any, **kwargs: Any) -> None:
    """pre_delete: the items go with the target, so find their showcases now. Django
    sends pre_delete inside the delete's own transaction, so the bump commits with it."""
    _bump_for(_FIELDS[sender], [instance.pk])


def artefact_previews_settled(sender: Any, artefact_ids: list[int], **kwargs: Any) -> None:
    """An image's preview became ready or failed: the page shows it or says so."""
    _bump_for("artefact", artefact_ids)


def owner_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    """The learner's name heads every shared page. A sign-in only stamps last_login."""
    fields = kwargs.get("update_fields")
    if kwargs.get("created") or (fields is not None and set(fields) <= {"last_login"}):
        return
    showcase_content_changed(
        showcase_ids=Showcase.objects.filter(owner_id=instance.pk).values_list("pk", flat=True)
    )
