"""Who may ask for a claim's APEL PDF and its data, asking twice, a task delivered twice,
a claim deleted before its task runs, and the claim page's export section."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from portfolio.apel import services as apel_services
from portfolio.exports import services
from portfolio.models import ClaimEvent, Export
from tests.portfolio.apel.apel_data import claim_for, programme
from tests.portfolio.exports.apel_builders import exported_claim
from tests.portfolio.showcase_data import reflection

pytestmark = pytest.mark.django_db(transaction=True)


def _claim(learner):
    return claim_for(learner, programme(outcomes=2), {"LO1": [reflection(learner)]})


def _stored() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "exports"
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


@pytest.mark.parametrize("actor", ["classmate", "outsider"])
def test_another_learner_cannot_export_a_claim(people, actor) -> None:
    claim = _claim(people.learner)
    client = Client()
    client.force_login(getattr(people, actor))
    response = client.post(f"/exports/claim/{claim.public_id}/", {"request_key": "x"})
    assert response.status_code == 404
    assert not Export.objects.exists()


@pytest.mark.parametrize("actor", ["tutor", "admin"])
def test_tutors_and_admins_cannot_export_a_claim(people, actor) -> None:
    claim = _claim(people.learner)
    client = Client()
    client.force_login(getattr(people, actor))
    assert client.post(f"/exports/claim/{claim.public_id}/").status_code == 403
    assert not Export.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_and_get_is_refused(people) -> None:
    claim = _claim(people.learner)
    response = Client().post(f"/exports/claim/{claim.public_id}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client = Client()
    client.force_login(people.learner)
    assert client.get(f"/exports/claim/{claim.public_id}/").status_code == 405
    assert not Export.objects.exists()


def test_the_service_refuses_someone_elses_claim(people) -> None:
    claim = _claim(people.learner)
    with pytest.raises(services.ExportRefused):
        services.export_request_claim(owner=people.classmate, claim=claim)


def test_asking_twice_with_the_same_form_makes_one_export_and_a_retry_renders_nothing(
    people,
) -> None:
    claim = _claim(people.learner)
    client = Client()
    client.force_login(people.learner)
    url = f"/exports/claim/{claim.public_id}/"
    first = client.post(url, {"request_key": "same"})
    second = client.post(url, {"request_key": "same"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    export = Export.objects.get()
    assert (export.state, export.kind, export.claim) == ("done", "apel_pdf", claim)
    assert services.export_render(export_id=export.pk) is None  # a redelivered task
    export.refresh_from_db()
    assert export.attempts == 1
    assert ClaimEvent.objects.filter(claim=claim, kind="exported").count() == 1
    detail = client.get(first["Location"])
    assert detail.status_code == 200 and "APEL claim:" in detail.content.decode()


def test_the_claim_can_be_exported_again_after_a_judgement(people) -> None:
    claim = apel_services.claim_submit(claim=_claim(people.learner), declared=True)
    before = exported_claim(people.learner, claim, request_key="a")
    answer = claim.answers.get(outcome__code="LO1")
    apel_services.judgement_record(answer=answer, judgement="meets", comment="", by="Ann")
    after = exported_claim(people.learner, claim, request_key="b")
    assert before.pk != after.pk and before.state == after.state == "done"
    assert before.attachment_sha256 != after.attachment_sha256  # the judgement is in it


def test_the_data_of_a_withdrawn_or_deleted_export_is_not_offered(people) -> None:
    export = exported_claim(people.learner, _claim(people.learner))
    url = f"/verify/{export.display_code}/data/"
    assert Client().get(url).status_code == 200
    services.export_withdraw(export=export)
    assert Client().get(url).status_code == 404
    page = Client().get(export.get_verify_url()).content.decode()
    assert "Withdrawn" in page and "Download the claim data" not in page
    assert len(_stored()) == 2  # the record keeps its files until it is deleted
    services.export_delete(export=export)
    assert Client().get(url).status_code == 404
    assert _stored() == []
    assert Client().get("/verify/NOTACODE/data/").status_code == 404


def test_the_task_checks_again_that_the_claim_may_be_exported(people) -> None:
    claim = _claim(people.learner)
    with transaction.atomic():  # the task runs once this commits: after the deletion
        export = services.export_request_claim(owner=people.learner, claim=claim)
        apel_services.claim_delete(claim=claim)
    export.refresh_from_db()
    assert export.state == "failed" and "can no longer be exported" in export.error
    assert not export.file and not export.attachment and _stored() == []


def test_the_claim_page_section_offers_the_button_and_lists_this_claims_exports(
    people,
) -> None:
    claim, other = _claim(people.learner), _claim(people.learner)
    mine = exported_claim(people.learner, claim)
    theirs = exported_claim(people.learner, other)
    request = RequestFactory().get("/")
    request.user = people.learner
    html = render_to_string("exports/partials/apel_export.html", {"claim": claim}, request=request)
    assert f'action="/exports/claim/{claim.public_id}/"' in html
    assert "Export APEL PDF" in html and 'name="request_key"' in html
    assert str(mine.public_id) in html and str(theirs.public_id) not in html
    assert '<h3 class="export-card__title">' in html
