"""Evidence the learner changes or deletes after submitting a claim: the assessor, the
learner and the APEL data are told, from the claim's history, never silently."""

import json

import pytest
from django.test import Client

from artefacts.services import artefact_delete
from portfolio.apel import services
from portfolio.apel.claim_json import claim_data_of
from portfolio.apel.selectors import claim_view
from reflections.services import ReflectionInput, reflection_update
from tests.factories import LearnerFactory
from tests.portfolio.apel.apel_data import claim_for, programme
from tests.portfolio.showcase_data import pdf_artefact, reflection

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    learner = LearnerFactory.create()
    written, report = reflection(learner), pdf_artefact(learner, title="Site report")
    claim = claim_for(learner, programme(outcomes=2), {"LO1": [written, report], "LO2": [written]})
    services.claim_submit(claim=claim, declared=True)
    claim.refresh_from_db()
    return claim, written, report


def test_nothing_is_flagged_while_the_evidence_is_as_submitted(submitted) -> None:
    claim, _written, _report = submitted
    view = claim_view(claim=claim)
    assert view.removed == [] and all(e.changed_since is None for e in view.columns)


def test_a_reflection_rewritten_after_submission_is_flagged(submitted) -> None:
    claim, written, _report = submitted
    reflection_update(
        reflection=written,
        data=ReflectionInput(title=written.title, body_markdown="Something else entirely."),
    )
    view = claim_view(claim=claim)
    [changed] = [e for e in view.columns if e.changed_since is not None]
    assert changed.item == written
    data = claim_data_of(view=view)
    assert [i["changed_after_submission"] is not None for i in data["items"]] == [True, False]


def test_evidence_deleted_after_submission_is_listed_where_it_was(submitted) -> None:
    claim, _written, report = submitted
    artefact_delete(artefact=report)
    view = claim_view(claim=claim)
    assert view.removed == [
        {
            "outcome": "LO1",
            "key": view.removed[0]["key"],
            "kind": "artefact",
            "title": "Site report",
        }
    ]
    data = claim_data_of(view=view)
    assert data["removed_after_submission"] == [
        {"outcome": "LO1", "kind": "artefact", "title": "Site report"}
    ]
    client = Client()
    client.force_login(claim.learner)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Evidence removed since the claim was submitted" in page and "Site report" in page
    json.dumps(data)  # still plain JSON
