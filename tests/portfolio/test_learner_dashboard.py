from django.test import Client
from django.urls import reverse

from artefacts.services import Details, artefact_create_link
from reflections.services import ReflectionInput, reflection_create
from tests.conftest import People

DASHBOARD = reverse("portfolio:learner_dashboard")


def test_a_new_learner_is_pointed_at_their_first_evidence(client: Client, people: People) -> None:
    client.force_login(people.learner)
    html = client.get(DASHBOARD).content.decode()
    assert "Nothing here yet" in html
    assert reverse("artefacts:add") in html


def test_the_dashboard_counts_the_learners_own_evidence(client: Client, people: People) -> None:
    for n in range(3):
        artefact_create_link(
            owner=people.learner, url=f"https://example.org/{n}", details=Details(title=f"L{n}")
        )
    reflection_create(owner=people.learner, data=ReflectionInput(title="R", body_markdown="b"))
    artefact_create_link(
        owner=people.classmate, url="https://example.org/x", details=Details(title="Theirs")
    )
    client.force_login(people.learner)
    html = client.get(DASHBOARD).content.decode()
    assert "3 pieces of evidence" in html and "1 reflection" in html
    assert reverse("portfolio:library") in html
