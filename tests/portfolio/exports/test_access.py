"""Every export URL, tried by each actor who must not reach it."""

import pytest
from django.db import transaction
from django.test import Client

from portfolio.exports import services
from portfolio.showcases import services as showcase_services
from tests.portfolio.exports.builders import exported, full_showcase, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def issued(people):
    built = full_showcase(people.learner)
    return built.showcase, exported(people.learner, built.showcase)


def owner_urls(export) -> list[tuple[str, str]]:
    base = f"/exports/{export.public_id}/"
    return [
        ("get", base),
        ("get", base + "progress.json"),
        ("get", base + "download/"),
        ("post", base + "withdraw/"),
        ("post", base + "delete/"),
        ("post", f"/exports/showcase/{export.showcase.public_id}/"),
    ]


@pytest.mark.parametrize("actor", ["classmate", "outsider"])
def test_other_learners_get_404(issued, people, actor) -> None:
    _, export = issued
    client = Client()
    client.force_login(getattr(people, actor))
    for method, url in owner_urls(export):
        assert getattr(client, method)(url).status_code == 404, url


@pytest.mark.parametrize("actor", ["tutor", "admin"])
def test_tutors_and_admins_get_403(issued, people, actor) -> None:
    _, export = issued
    client = Client()
    client.force_login(getattr(people, actor))
    for method, url in [*owner_urls(export), ("get", "/exports/")]:
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(issued) -> None:
    _, export = issued
    for method, url in [*owner_urls(export), ("get", "/exports/")]:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert services.Export.objects.filter(pk=export.pk, state="done").exists()


def test_share_link_offers_the_pdf_only_when_ticked(issued) -> None:
    showcase, export = issued
    plain = showcase_services.link_create(showcase=showcase, label="Plain")
    offering = showcase_services.link_create(showcase=showcase, label="With PDF", offer_pdf=True)
    assert Client().get(f"/s/{plain.token}/pdf/").status_code == 404
    assert "Download the PDF" not in Client().get(f"/s/{plain.token}/").content.decode()
    page = Client().get(f"/s/{offering.token}/").content.decode()
    assert "Download the PDF" in page
    response = Client().get(f"/s/{offering.token}/pdf/")
    assert response.status_code == 200
    served = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert served == pdf_bytes(export)
    services.export_withdraw(export=export)
    assert Client().get(f"/s/{offering.token}/pdf/").status_code == 404
    showcase_services.link_revoke(link=offering.link)
    assert Client().get(f"/s/{offering.token}/pdf/").status_code == 410


def test_the_task_checks_again_that_the_showcase_may_be_exported(people) -> None:
    built = full_showcase(people.learner)
    with transaction.atomic():  # the task runs once this commits: after the archiving
        export = services.export_request(owner=people.learner, showcase=built.showcase)
        showcase_services.showcase_archive(showcase=built.showcase, archived=True)
    export.refresh_from_db()
    assert export.state == "failed"
    assert "can no longer be exported" in export.error
    assert not export.file
    with pytest.raises(services.ExportRefused):
        services.export_request(owner=people.learner, showcase=built.showcase)
