"""The showcase PDF carries each item's attestations, with their details."""

import pytest

from tests.conftest import People
from tests.portfolio.attestations.helpers import attested
from tests.portfolio.exports.builders import exported, pdf_bytes, reader
from tests.portfolio.exports.conftest import _export_signing, _signing_dir  # noqa: F401
from tests.portfolio.showcase_data import link_artefact, showcase_with

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pdf_shows_who_attested_what_and_when(people: People) -> None:
    item = link_artefact(people.learner, title="Site survey")
    attestation = attested(people.learner, item)
    showcase = showcase_with(people.learner, {"Work": [item]})

    export = exported(people.learner, showcase)

    assert export.state == "done", export.error
    text = " ".join("\n".join(p.extract_text() for p in reader(pdf_bytes(export)).pages).split())
    assert "Attested by Jane Smith, Line manager, acme.com" in text
    assert "I supervised this project." in text
    assert attestation.fingerprint[:16] in text.replace(" ", "")
