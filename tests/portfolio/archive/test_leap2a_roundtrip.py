"""A portfolio exported as Leap2A and imported through our own importer comes back the
same: titles, files (by hash), texts, dates, tags, privacy, badges, and each showcase's
sections and items in order with their captions."""

import io
from pathlib import Path

import pytest

from accounts.models import User
from artefacts.models import Artefact
from badges.models import Badge
from portfolio.archive.leap2a_import import leap2a_import
from portfolio.archive.leap2a_report import ALREADY, IMPORTED
from portfolio.models import Leap2AEntry, Showcase
from reflections.models import Reflection
from tests.factories import LearnerFactory
from tests.portfolio.archive.leap2a_samples import described, exported, populated


@pytest.fixture
def moved(people) -> tuple[dict, bytes, User]:
    """The learner's portfolio described and exported; then the account is gone (as when
    moving to another server) and a new one with the same address awaits the import."""
    populated(people.learner)
    before = described(people.learner)
    archive = exported(people.learner)
    email = people.learner.email
    people.learner.delete()
    return before, archive, LearnerFactory.create(email=email)


def test_a_portfolio_comes_back_the_same(moved) -> None:
    before, archive, fresh = moved

    report = leap2a_import(owner=fresh, source=io.BytesIO(archive))

    assert described(fresh) == before
    # Only the containers: the learner's details (the account keeps its own) and the
    # journal (its entries are the reflections).
    assert sorted(line.kind for line in report.skipped) == ["journal", "person"]
    assert report.count("artefact") == 5
    assert report.count("reflection") == 2
    assert report.count("badge") == 2
    assert report.count("showcase") == 1


def test_the_showcase_keeps_its_sections_and_item_order(moved) -> None:
    _before, archive, fresh = moved

    leap2a_import(owner=fresh, source=io.BytesIO(archive))

    showcase = Showcase.objects.get(owner=fresh)
    sections = [
        (s.heading, [str(i.target) for i in s.items.order_by("position")])
        for s in showcase.sections.order_by("position")
    ]
    assert sections == [
        ("Projects I built",
         ["Risk assessment", "Site visit photo", "My blog post", "How I survey", "Notes"]),
        ("What I learned",
         ["Accessible forms", "Next steps", "What the placement taught me", "Python programming"]),
    ]  # fmt: skip


def test_importing_the_same_file_again_creates_nothing_new(moved, _media_root: Path) -> None:
    _before, archive, fresh = moved
    leap2a_import(owner=fresh, source=io.BytesIO(archive))
    counts = _counts(fresh)
    files = sorted(p for p in _media_root.rglob("*") if p.is_file())

    again = leap2a_import(owner=fresh, source=io.BytesIO(archive))

    assert _counts(fresh) == counts
    assert sorted(p for p in _media_root.rglob("*") if p.is_file()) == files
    assert not again.imported
    assert {line.kind for line in again.already} == {"artefact", "reflection", "badge", "showcase"}
    assert len(again.already) == 10


def test_deleting_an_imported_thing_lets_the_next_import_bring_it_back(moved) -> None:
    _before, archive, fresh = moved
    leap2a_import(owner=fresh, source=io.BytesIO(archive))
    Reflection.objects.get(owner=fresh, title="Next steps").delete()

    again = leap2a_import(owner=fresh, source=io.BytesIO(archive))

    assert [line.title for line in again.of(IMPORTED)] == ["Next steps"]
    assert Reflection.objects.filter(owner=fresh, title="Next steps").count() == 1
    assert len(again.of(ALREADY)) == 9


def test_a_second_learner_importing_the_file_gets_their_own_copies(moved) -> None:
    _before, archive, fresh = moved
    leap2a_import(owner=fresh, source=io.BytesIO(archive))
    other = LearnerFactory.create()

    report = leap2a_import(owner=other, source=io.BytesIO(archive))

    assert Artefact.objects.filter(owner=other).count() == 5
    assert Reflection.objects.filter(owner=other).count() == 2
    assert Showcase.objects.filter(owner=other).count() == 1
    # Issued to the first learner's address: checked again, and refused for this one.
    assert Badge.objects.filter(owner=other).count() == 0
    assert [line.kind for line in report.skipped].count("badge") == 2
    assert Leap2AEntry.objects.filter(owner=other).count() == 8


def _counts(owner: User) -> tuple[int, ...]:
    return tuple(
        model.objects.filter(owner=owner).count()
        for model in (Artefact, Reflection, Badge, Showcase, Leap2AEntry)
    )
