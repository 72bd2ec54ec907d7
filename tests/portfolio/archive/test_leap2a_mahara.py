"""The genuine Mahara 22.10 export (one page of ten items: eight journal entries and two
captioned images) imported: its page becomes a showcase with its items in order, its
journal entries reflections, its files artefacts; in both namespace forms Mahara writes."""

import hashlib
import io

import pytest

from artefacts.models import Artefact
from portfolio.archive.leap2a_import import leap2a_import
from portfolio.models import Showcase
from reflections.models import Reflection
from tests.portfolio.archive.leap2a_samples import (
    SAMPLE_IMAGES,
    archived_namespaces,
    member,
    sample_bytes,
    with_feed,
)

PAGE_ORDER = [
    *(f"Reflection {n} of 10" for n in (1, 2, 3, 4)),
    "evidence-10-5.png",
    *(f"Reflection {n} of 10" for n in (6, 7, 8, 9)),
    "evidence-10-10.png",
]


def _sample_forms() -> list[bytes]:
    return [sample_bytes(), with_feed(sample_bytes(), archived_namespaces)]


@pytest.mark.parametrize("archive", _sample_forms(), ids=["terms.leapspecs.org", "web.archive.org"])
def test_the_page_becomes_a_showcase_with_its_items_in_order(people, archive: bytes) -> None:
    learner = people.learner

    leap2a_import(owner=learner, source=io.BytesIO(archive))

    showcase = Showcase.objects.get(owner=learner)
    assert showcase.title == "Showcase 10"
    assert showcase.summary_markdown == "Benchmark showcase with 10 items."
    [section] = showcase.sections.all()
    items = list(section.items.order_by("position"))
    assert [str(item.target) for item in items] == PAGE_ORDER
    assert [item.kind for item in items].count("reflection") == 8
    # Mahara shows each image's description under it; here it is the item's caption.
    assert [i.caption for i in items if i.kind == "artefact"] == [
        "Photo evidence 5 of 10",
        "Photo evidence 10 of 10",
    ]


@pytest.mark.parametrize("archive", _sample_forms(), ids=["terms.leapspecs.org", "web.archive.org"])
def test_journal_entries_become_reflections_and_files_artefacts(people, archive: bytes) -> None:
    learner = people.learner

    leap2a_import(owner=learner, source=io.BytesIO(archive))

    reflections = Reflection.objects.filter(owner=learner).order_by("title")
    assert reflections.count() == 8
    first = reflections.first()
    assert first is not None and first.title == "Reflection 1 of 10"
    assert first.body_markdown.startswith("**What I did (1/10).**\n\nNulla non arcu")
    assert first.body_html.startswith("<p><strong>What I did (1/10).</strong></p>\n<p>Nulla")
    assert first.body_html.count("<p>") == 4
    assert str(first.written_on) == "2026-12-07"
    images = Artefact.objects.filter(owner=learner).order_by("title")
    assert [(a.title, a.original_filename, a.media) for a in images] == [
        ("evidence-10-10.png", "evidence-10-10.png", "image"),
        ("evidence-10-5.png", "evidence-10-5.png", "image"),
    ]
    assert [a.description for a in images] == ["Photo evidence 10 of 10", "Photo evidence 5 of 10"]
    hashes = {hashlib.sha256(member(archive, name)).hexdigest() for name in SAMPLE_IMAGES}
    assert {a.sha256 for a in images} == hashes


def test_the_report_says_what_was_imported_and_what_was_skipped_and_why(people) -> None:
    report = leap2a_import(owner=people.learner, source=io.BytesIO(sample_bytes()))

    assert report.source == "Mahara Leap2A Export for Lena Learner, 2026/12/07 16:28"
    assert report.count("reflection") == 8
    assert report.count("artefact") == 2
    assert report.count("showcase") == 1
    [showcase] = [line for line in report.imported if line.kind == "showcase"]
    assert showcase.reason == "10 items in 1 section."
    [skipped] = report.skipped
    assert (skipped.kind, skipped.title) == ("person", "Lena Learner")
    assert "keeps its own name and email" in skipped.reason


def test_what_a_fuller_mahara_export_holds_and_we_do_not_keep_is_skipped_with_reasons(
    people,
) -> None:
    """Mahara's person entry, a comment, a profile page, a résumé item, a page block
    showing nothing we hold, and a block pointing at an entry the file lacks: each
    reported, nothing else lost."""
    extra = b"""
    <entry><title>Lena Learner</title><id>portfolio:artefactinternal</id>
      <updated>2026-12-07T16:28:10+00:00</updated><content type="text"/>
      <rdf:type rdf:resource="leap2:person"/></entry>
    <entry><title>Nice work</title><id>portfolio:artefact90</id>
      <updated>2026-12-07T16:28:10+00:00</updated><content type="text">Well done</content>
      <rdf:type rdf:resource="leap2:entry"/>
      <mahara:artefactplugin mahara:type="comment" mahara:plugin="comment"/></entry>
    <entry><title>Profile page</title><id>portfolio:view1</id>
      <updated>2026-12-07T16:28:10+00:00</updated><content type="text"/>
      <rdf:type rdf:resource="leap2:selection"/>
      <category term="Webpage" scheme="categories:selection_type#"/>
      <mahara:view mahara:newlayout="1" mahara:type="profile" mahara:ownerformat="6"/></entry>
    <entry><title>BSc Computing</title><id>portfolio:artefact91</id>
      <updated>2026-12-07T16:28:10+00:00</updated><content type="text">2019</content>
      <rdf:type rdf:resource="leap2:activity"/></entry>
    </feed>"""
    blocks = b"""<mahara:blockinstance mahara:blocktype="profileinfo" mahara:blocktitle="Me"
        mahara:positionx="0" mahara:positiony="200" mahara:height="4" mahara:width="12"/>
      <mahara:blockinstance mahara:blocktype="image" mahara:blocktitle=""
        mahara:positionx="0" mahara:positiony="220" mahara:height="4" mahara:width="12">
        <mahara:artefactid>["portfolio:artefact99"]</mahara:artefactid></mahara:blockinstance>
      </mahara:view>"""

    def fuller(xml: bytes) -> bytes:
        return xml.replace(b"</feed>", extra).replace(b"</mahara:view>", blocks)

    report = leap2a_import(
        owner=people.learner, source=io.BytesIO(with_feed(sample_bytes(), fuller))
    )

    skipped = {(line.kind, line.title): line.reason for line in report.skipped}
    assert "keeps its own name" in skipped[("person", "Lena Learner")]
    assert (
        skipped[("other", "Nice work")]
        == "This is a comment from Mahara, which has no equivalent here."
    )
    assert "“activity” items" in skipped[("other", "BSc Computing")]
    assert skipped[("item", "Showcase 10")] == (
        "A “profileinfo” block on “Showcase 10” shows nothing that can be imported."
    )
    assert skipped[("item", "portfolio:artefact99")] == (
        "“Showcase 10” shows something the file does not contain."
    )
    assert skipped[("other", "Profile page")] == (
        "This is your Mahara profile page, which has no equivalent here."
    )
    assert len(report.skipped) == 6
    assert Showcase.objects.filter(owner=people.learner).count() == 1
    assert Reflection.objects.filter(owner=people.learner).count() == 8
    assert Showcase.objects.get(owner=people.learner).sections.get().items.count() == 10


def test_a_collection_becomes_one_showcase_with_a_section_per_page(people) -> None:
    """Mahara's collection (selection type Website) of pages: one showcase, its pages'
    sections in the collection's order, and no separate showcase per page."""
    second_page = b"""
    <entry><title>Second page</title><id>portfolio:view7</id>
      <updated>2026-12-07T16:28:10+00:00</updated>
      <summary type="text"></summary><content type="text"/>
      <rdf:type rdf:resource="leap2:selection"/>
      <category term="Webpage" scheme="categories:selection_type#"/>
      <mahara:view mahara:newlayout="1" mahara:type="portfolio" mahara:ownerformat="6">
        <mahara:blockinstance mahara:blocktype="text" mahara:blocktitle="Looking back"
          mahara:positionx="0" mahara:positiony="0" mahara:height="4" mahara:width="12">
          <mahara:text>["&lt;p&gt;What I &lt;em&gt;changed&lt;/em&gt;.&lt;/p&gt;"]</mahara:text>
        </mahara:blockinstance>
        <mahara:blockinstance mahara:blocktype="blogpost" mahara:blocktitle=""
          mahara:positionx="0" mahara:positiony="4" mahara:height="12" mahara:width="12">
          <mahara:artefactid>["portfolio:artefact19"]</mahara:artefactid>
        </mahara:blockinstance>
      </mahara:view></entry>
    <entry><title>My year</title><id>portfolio:collection3</id>
      <updated>2026-12-07T16:28:10+00:00</updated><content type="text">Both pages</content>
      <rdf:type rdf:resource="leap2:selection"/>
      <category term="Website" scheme="categories:selection_type#"/>
      <link rel="has_part" href="portfolio:view7" leap2:display_order="2"/>
      <link rel="has_part" href="portfolio:view6" leap2:display_order="1"/></entry>
    </feed>"""
    archive = with_feed(sample_bytes(), lambda xml: xml.replace(b"</feed>", second_page))

    leap2a_import(owner=people.learner, source=io.BytesIO(archive))

    showcase = Showcase.objects.get(owner=people.learner)
    assert showcase.title == "My year"
    sections = list(showcase.sections.order_by("position"))
    assert [(s.heading, s.items.count()) for s in sections] == [
        ("Showcase 10", 10),
        ("Looking back", 1),
    ]
    assert sections[1].intro_markdown == "What I *changed*."
    assert sections[1].intro_html == "<p>What I <em>changed</em>.</p>"


def test_a_mahara_note_becomes_a_written_piece(people) -> None:
    note = b"""
    <entry><title>My note</title><id>portfolio:artefact30</id>
      <updated>2026-12-07T16:28:10+00:00</updated>
      <content type="html">&lt;p&gt;Notes from the &lt;b&gt;visit&lt;/b&gt;.&lt;/p&gt;</content>
      <rdf:type rdf:resource="leap2:entry"/>
      <mahara:artefactplugin mahara:type="html" mahara:plugin="internal"/></entry>
    </feed>"""
    archive = with_feed(sample_bytes(), lambda xml: xml.replace(b"</feed>", note))

    leap2a_import(owner=people.learner, source=io.BytesIO(archive))

    piece = Artefact.objects.get(owner=people.learner, kind=Artefact.Kind.TEXT)
    assert (piece.title, piece.body_markdown) == ("My note", "Notes from the **visit**.")
    assert piece.body_html == "<p>Notes from the <strong>visit</strong>.</p>"


def test_a_feed_without_an_id_is_known_by_its_bytes(people) -> None:
    """Importing it again adds nothing; a different file without an id is a new one."""
    anonymous = with_feed(
        sample_bytes(),
        lambda xml: xml.replace(b"<id>http://127.0.0.1:25080/export/2/1796660928</id>", b""),
    )
    other = with_feed(anonymous, lambda xml: xml.replace(b"Showcase 10</title>", b"Page</title>"))

    leap2a_import(owner=people.learner, source=io.BytesIO(anonymous))
    again = leap2a_import(owner=people.learner, source=io.BytesIO(anonymous))
    leap2a_import(owner=people.learner, source=io.BytesIO(other))

    assert not again.imported and len(again.already) == 11
    assert sorted(
        Showcase.objects.filter(owner=people.learner).values_list("title", flat=True)
    ) == [
        "Page",
        "Showcase 10",
    ]


def test_a_file_a_journal_entry_encloses_becomes_evidence_linked_to_its_reflection(
    people,
) -> None:
    """Leap2A lets an entry enclose a file that has no entry of its own (an attachment)."""
    attached = b"""
    <entry><title>With a photo</title><id>portfolio:artefact40</id>
      <updated>2026-12-07T16:28:10+00:00</updated>
      <content type="html">&lt;p&gt;See the photo.&lt;/p&gt;</content>
      <rdf:type rdf:resource="leap2:entry"/>
      <link rel="enclosure" type="image/png" href="export_info/files/20-evidence-10-10.png"/>
    </entry>
    </feed>"""
    archive = with_feed(sample_bytes(), lambda xml: xml.replace(b"</feed>", attached))

    report = leap2a_import(owner=people.learner, source=io.BytesIO(archive))

    reflection = Reflection.objects.get(owner=people.learner, title="With a photo")
    [photo] = reflection.artefacts.all()
    assert (photo.title, photo.media) == ("20-evidence-10-10.png", "image")
    assert any(line.reason == "Attached to “With a photo”." for line in report.imported)
