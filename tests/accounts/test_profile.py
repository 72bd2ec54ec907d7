import re

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


def _select(html: str) -> str:
    start = re.search(r'<select[^>]*name="time_zone"', html)
    assert start is not None
    return html[start.start() : html.index("</select>", start.start())]


def test_time_zones_are_grouped_by_region_with_the_person_s_own_selected(
    client: Client, people: People
) -> None:
    people.learner.time_zone = "Europe/London"
    people.learner.save(update_fields=["time_zone"])
    client.force_login(people.learner)
    select = _select(client.get(reverse("accounts:profile")).content.decode())
    europe = select[select.index('<optgroup label="Europe">') :]
    europe = europe[: europe.index("</optgroup>")]
    assert '<option value="Europe/London" selected>London</option>' in europe
    assert select.count(" selected") == 1
    assert '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires' in select
    # Old aliases are not offered to newcomers...
    assert 'value="US/Eastern"' not in select


def test_someone_with_an_old_time_zone_name_keeps_it(client: Client, people: People) -> None:
    people.learner.time_zone = "US/Eastern"
    people.learner.save(update_fields=["time_zone"])
    client.force_login(people.learner)
    select = _select(client.get(reverse("accounts:profile")).content.decode())
    assert '<option value="US/Eastern" selected>US/Eastern</option>' in select
    client.post(reverse("accounts:profile"), {"name": "X", "time_zone": "US/Eastern"})
    people.learner.refresh_from_db()
    assert people.learner.time_zone == "US/Eastern"


def test_a_refused_time_zone_keeps_the_name_typed_and_selects_nothing_odd(
    client: Client, people: People
) -> None:
    client.force_login(people.learner)
    response = client.post(
        reverse("accounts:profile"), {"name": "Lena", "time_zone": '"><script>x</script>'}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html
    assert "<script>x" not in html
    assert " selected" not in _select(html)


def test_the_profile_page_runs_a_fixed_number_of_queries(
    client: Client, people: People, django_assert_max_num_queries
) -> None:
    client.force_login(people.learner)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("accounts:profile")).status_code == 200
