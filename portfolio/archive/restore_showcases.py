"""Recreating showcases: sections, items in their order, captions. Share links are not
carried over (a new account shares afresh); an item whose evidence was skipped is left
out and the report says so."""

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import Institution, MembershipState
from portfolio.archive.fields import Record
from portfolio.archive.restore import Restore, keep_dates
from portfolio.models import Showcase
from portfolio.showcases import services


def restore_showcases(run: Restore) -> None:
    records = run.reader.records("showcases")
    found = run.already_here(
        "showcases", [r.required_id() for r in records], Showcase.objects.filter(owner=run.owner)
    )
    items: dict[str, dict[str, Any]] = {}
    for record in records:
        source_id = record.required_id()
        if source_id in found:
            showcase = found[source_id]
            run.remember("showcases", source_id, showcase, existing=True)
            items[source_id] = _items_by_position(showcase)
        else:
            showcase, items[source_id] = _showcase(run, record)
            keep_dates(showcase, created_at=record.moment("created_at"))
            run.remember("showcases", source_id, showcase)
        run.tick()
    run.made["showcase_items"] = items


def _showcase(run: Restore, record: Record) -> tuple[Showcase, dict[str, Any]]:
    title = record.text("title", max_length=200, required=True)
    showcase = services.showcase_create(
        owner=run.owner,
        title=title,
        audience=record.text("audience", max_length=200),
        summary=record.text("summary_markdown", max_length=100_000),
        theme=record.choice("theme", Showcase.Theme.values),
        institution=_institution(run.owner, record.text("institution", max_length=60)),
    )
    items: dict[str, Any] = {}
    for section_record in record.records("sections"):
        section = services.section_add(
            showcase=showcase,
            heading=section_record.text("heading", max_length=200, required=True),
            intro=section_record.text("intro_markdown", max_length=100_000),
        )
        for item_record in section_record.records("items"):
            target = run.target(item_record.ref())
            if target is None:
                run.report.skip(
                    "showcases",
                    title,
                    _("An item in “%(section)s” was left out: its evidence was not imported.")
                    % {"section": section.heading},
                )
                continue
            made = services.items_add(
                section=section,
                targets=[target],
                caption=item_record.text("caption", max_length=100_000),
            )
            if made:  # not a second copy of what the section already holds
                items[item_record.required_id()] = made[0]
    if record.boolean("archived"):
        services.showcase_archive(showcase=showcase, archived=True)
    return showcase, items


def _institution(owner: Any, slug: str) -> Institution | None:
    """The institution the showcase named, if the learner is an active member of it
    here: a showcase never names an institution the learner does not belong to."""
    if not slug:
        return None
    return Institution.objects.filter(
        slug=slug, memberships__user=owner, memberships__state=MembershipState.ACTIVE
    ).first()


def _items_by_position(showcase: Showcase) -> dict[str, Any]:
    """A showcase imported before: its items by "section.item" position, as the archive
    names them."""
    positions: dict[str, Any] = {}
    for s, section in enumerate(showcase.sections.prefetch_related("items"), start=1):
        for i, item in enumerate(section.items.all(), start=1):
            positions[f"{s}.{i}"] = item
    return positions
