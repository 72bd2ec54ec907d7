"""The main navigation: a menu button that folds the links away on narrow screens."""

import re

from django.test import Client
from django.urls import reverse

from tests.conftest import People


def nav(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return html[html.index('<nav class="site-nav"') : html.index("</nav>")]


def test_signed_in_links_fold_behind_a_menu_button_that_needs_no_script(
    client: Client, people: People
) -> None:
    client.force_login(people.learner)
    menu = nav(client, reverse("badges:list"))
    details = re.search(r"<details[^>]*>\s*<summary[^>]*>(.*?)</summary>(.*)</details>", menu, re.S)
    assert details is not None
    assert re.sub(r"<[^>]+>", "", details.group(1)).strip() == "Menu"
    links = re.findall(r'<li class="site-nav__item"><a href="([^"]+)"', details.group(2))
    assert links[:4] == ["/learner/", "/library/", "/formative/", "/badges/"]
    assert "/profile/" in links and "Sign out" in details.group(2)


def test_the_menu_is_enhanced_by_a_script_every_page_loads(client: Client, people: People) -> None:
    client.force_login(people.tutor)
    html = client.get(reverse("review_tutor:dashboard")).content.decode()
    script = re.search(r'<script src="([^"]*site-nav\.js)" defer>', html)
    assert script is not None
    assert client.get(script.group(1)).status_code == 200


def test_visitors_get_their_two_links_without_a_menu(client: Client, db: None) -> None:
    menu = nav(client, reverse("account_login"))
    assert "<details" not in menu
    assert re.findall(r'<a href="([^"]+)"', menu) == ["/accounts/login/", "/accounts/signup/"]


def test_the_review_table_names_each_cell_s_column_for_narrow_screens(
    client: Client, people: People
) -> None:
    client.force_login(people.tutor)
    html = client.get(reverse("review_tutor:dashboard")).content.decode()
    assert 'class="table table--stack"' in html
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">.*?</tr>", html, re.S)
    assert len(rows) == 2  # learner and classmate
    for row in rows:
        assert re.findall(r'<td data-label="([^"]+)"', row) == headers[1:]
