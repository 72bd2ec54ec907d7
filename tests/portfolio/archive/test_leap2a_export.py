"""The Leap2A export is written to the 2010-07 specification with its standard namespaces,
in the shape Mahara reads back into pages: files enclosed once each, reflections as a
journal's posts, showcases as pages whose blocks hold their items in order."""

import hashlib
import io
import zipfile

import pytest

from accounts.models import User
from artefacts.models import Artefact
from portfolio.archive import leap2a_namespaces as ns
from portfolio.archive.leap2a_export import leap2a_export
from portfolio.archive.leap2a_feed import Entry, Feed
from portfolio.archive.leap2a_parse import parse_feed
from tests.factories import LearnerFactory
from tests.portfolio.archive.leap2a_samples import exported, member, populated
from tests.portfolio.showcase_data import Target, pdf_artefact, reflection, showcase_with


@pytest.fixture
def archive(people) -> bytes:
    populated(people.learner)
    return exported(people.learner)


def _feed(archive: bytes) -> Feed:
    return parse_feed(member(archive, "leap2a.xml"))


def _by_title(feed: Feed) -> dict[str, Entry]:
    """Entries by the learner's own title (a file's entry title gains its extension)."""
    return {entry.extension.get("title") or entry.title: entry for entry in feed.entries}


def test_the_feed_uses_the_standard_namespaces_and_version(archive: bytes) -> None:
    xml = member(archive, "leap2a.xml")

    assert b'xmlns="http://www.w3.org/2005/Atom"' in xml
    assert b'xmlns:leap2="http://terms.leapspecs.org/"' in xml
    assert b'xmlns:categories="http://wiki.leapspecs.org/2A/categories/"' in xml
    assert b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"' in xml
    assert f'xmlns:mahara="{ns.MAHARA}"'.encode() in xml
    assert b"<leap2:version>http://www.leapspecs.org/2010-07/2A/</leap2:version>" in xml


def test_the_learner_is_the_person_the_feed_is_by(people, archive: bytes) -> None:
    feed = _feed(archive)

    person = next(entry for entry in feed.entries if "person" in entry.types)
    assert feed.author_uri == person.id
    assert person.title == feed.author_name == people.learner.display_name
    assert person.category("person_type") == "Self"


def test_every_file_is_enclosed_once_and_is_the_file_stored(people, archive: bytes) -> None:
    entries = _by_title(_feed(archive))
    for artefact in Artefact.objects.filter(owner=people.learner, kind="file"):
        entry = entries[artefact.title]
        [enclosure] = entry.links_of("enclosure")
        assert "resource" in entry.types
        assert enclosure.type == artefact.content_type
        data = member(archive, enclosure.href)
        assert hashlib.sha256(data).hexdigest() == artefact.sha256
        assert enclosure.href.endswith(f"/{artefact.original_filename}")
        # Mahara names the file, and guesses its type, by the extension its title ends with.
        extension = artefact.original_filename.rsplit(".", 1)[1]
        assert entry.title == f"{artefact.title}.{extension}"


def test_badges_enclose_the_credential_as_received(people, archive: bytes) -> None:
    entries = _by_title(_feed(archive))
    for badge in people.learner.badges.all():
        [enclosure] = entries[badge.name].links_of("enclosure")
        data = member(archive, enclosure.href)
        if badge.source == "image":
            with badge.original_image.open("rb") as image:
                assert data == image.read()
        else:
            assert data.decode() == badge.original_payload
        assert entries[badge.name].extension["badge"] == badge.source


def test_reflections_are_posts_of_one_journal(archive: bytes) -> None:
    feed = _feed(archive)
    journal = next(e for e in feed.entries if e.category("selection_type") == "Blog")
    posts = [e for e in feed.entries if "entry" in e.types]

    assert {link.href for link in journal.links_of("has_part")} == {p.id for p in posts}
    for post in posts:
        assert (post.mahara_plugin, post.mahara_type) == ("blog", "blogpost")
        assert [link.href for link in post.links_of("is_part_of")] == [journal.id]
    thinking = next(p for p in posts if p.title == "What the placement taught me")
    assert thinking.content.html.startswith("<p>I learned to <strong>plan</strong> ahead.</p>")
    assert thinking.category("audience") == "Private"


def test_a_showcase_is_a_mahara_page_with_a_block_per_item_in_order(archive: bytes) -> None:
    entries = _by_title(_feed(archive))
    page = entries["Junior developer application"]
    ids = {entry.id: title for title, entry in entries.items()}

    assert "selection" in page.types
    assert page.category("selection_type") == "Webpage"
    assert page.blocks is not None
    blocks = [
        (b.blocktype, b.title or ids[b.config.get("artefactid") or b.config["artefactids"][0]])
        for b in page.blocks
    ]
    assert blocks == [
        ("text", "Projects I built"),
        ("filedownload", "Risk assessment"),
        ("image", "Site visit photo"),
        ("blogpost", "My blog post"),
        ("blogpost", "How I survey"),
        ("filedownload", "Notes"),
        ("text", "What I learned"),
        ("image", "Accessible forms"),
        ("blogpost", "Next steps"),
        ("blogpost", "What the placement taught me"),
        ("filedownload", "Python programming"),
    ]
    parts = page.links_of("has_part")
    assert [link.display_order for link in parts] == list(range(1, 10))
    assert [ids[link.href] for link in parts] == [title for kind, title in blocks if kind != "text"]


def test_mahara_block_settings_are_json_lists_of_one_value(archive: bytes) -> None:
    """Mahara reads every block setting as a JSON list and takes its first value."""
    xml = member(archive, "leap2a.xml").decode()

    assert '<mahara:artefactid>["portfolio:artefact-' in xml
    assert '<mahara:artefactids>[["portfolio:artefact-' in xml
    assert (
        '<mahara:text>["&lt;p&gt;&lt;em&gt;Real&lt;/em&gt; work.&lt;/p&gt;"]</mahara:text>' in xml
    )


def test_a_file_missing_from_storage_is_left_out_and_named(people) -> None:
    kept = pdf_artefact(people.learner, title="Kept")
    lost = pdf_artefact(people.learner, title="Lost")
    lost.file.storage.delete(str(lost.file.name))
    out = io.BytesIO()

    summary = leap2a_export(owner=people.learner, destination=out)

    assert summary.missing == ["Lost"]
    assert (summary.artefacts, summary.files) == (1, 1)
    titles = _by_title(_feed(out.getvalue()))
    assert kept.title in titles and lost.title not in titles


def test_an_empty_portfolio_exports_the_learner_alone(people) -> None:
    feed = _feed(exported(people.learner))

    assert [entry.types for entry in feed.entries] == [frozenset({"person"})]


def test_the_export_takes_the_same_queries_however_large(db, django_assert_max_num_queries) -> None:
    def account(size: int) -> User:
        learner = LearnerFactory.create()
        items: list[Target] = [pdf_artefact(learner, title=f"File {n}") for n in range(size)]
        items += [reflection(learner, title=f"Thought {n}") for n in range(size)]
        showcase_with(learner, {f"Part {n}": items for n in range(size)})
        return learner

    small, large = account(1), account(4)
    counted = []
    for learner in (small, large):
        with django_assert_max_num_queries(12) as queries:
            leap2a_export(owner=learner, destination=io.BytesIO())
        counted.append(len(queries.captured_queries))

    assert counted[0] == counted[1]
    assert zipfile.is_zipfile(io.BytesIO(exported(large)))
