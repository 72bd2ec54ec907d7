from django.test import Client
from django.urls import reverse

from tests.conftest import People


def test_learner_updates_name_and_time_zone(client: Client, people: People) -> None:
    client.force_login(people.learner)
    response = client.post(
        reverse("accounts:profile"), {"name": "Lena L.", "time_zone": "Europe/London"}, follow=True
    )
    assert b"Your profile is saved." in response.content
    people.learner.refresh_from_db()
    assert (people.learner.name, people.learner.time_zone) == ("Lena L.", "Europe/London")


def test_unknown_time_zone_is_refused_with_a_message(client: Client, people: People) -> None:
    client.force_login(people.learner)
    response = client.post(reverse("accounts:profile"), {"name": "X", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    people.learner.refresh_from_db()
    assert people.learner.time_zone == "UTC"


def test_a_role_cannot_be_changed_through_the_profile_form(client: Client, people: People) -> None:
    client.force_login(people.learner)
    client.post(reverse("accounts:profile"), {"name": "X", "time_zone": "UTC", "role": "admin"})
    people.learner.refresh_from_db()
    assert people.learner.role == "learner"
