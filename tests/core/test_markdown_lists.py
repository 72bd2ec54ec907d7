"""Lists written the way GitHub and most editors accept them render as lists: right after
a paragraph or a heading, ordered or not, nested by two spaces; and stored HTML from
before can be rendered again."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.html import render_markdown
from reflections.models import Reflection
from reflections.services import ReflectionInput, reflection_create
from tests.conftest import People

UL_AB = "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("I learned:\n- a\n- b", f"<p>I learned:</p>\n{UL_AB}"),
        ("I learned:\n* a\n* b", f"<p>I learned:</p>\n{UL_AB}"),
        ("I learned:\n+ a\n+ b", f"<p>I learned:</p>\n{UL_AB}"),
        ("Steps:\n1. a\n2. b", "<p>Steps:</p>\n<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
        ("# What went well\n- a\n- b", f"<h2>What went well</h2>\n{UL_AB}"),
        ("- a\n- b\n\nAfter", f"{UL_AB}\n<p>After</p>"),
        (
            "- a\n  - b\n  - c\n- d",
            "<ul>\n<li>a<ul>\n<li>b</li>\n<li>c</li>\n</ul>\n</li>\n<li>d</li>\n</ul>",
        ),
        (
            "1. a\n   - b\n     - c\n2. d",
            "<ol>\n<li>a<ul>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n</li>\n<li>d</li>\n</ol>",
        ),
        # Four spaces keep working as before.
        ("- a\n    - b", "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"),
    ],
)
def test_a_list_renders_as_a_list(text: str, html: str) -> None:
    assert render_markdown(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        # A number other than 1 does not start a list inside a paragraph (as CommonMark).
        ("A good year:\n2026. It was", "<p>A good year:\n2026. It was</p>"),
        # Code is code, fenced or indented.
        ("Shell:\n```\n- not a list\n```", "<p>Shell:</p>\n<pre><code>- not a list\n</code></pre>"),
        ("    - not a list", "<pre><code>- not a list\n</code></pre>"),
        # A rule is a rule.
        ("Above\n\n- - -\n\nBelow", "<p>Above</p>\n<hr>\n<p>Below</p>"),
    ],
)
def test_what_is_not_a_list_stays_as_it_was(text: str, html: str) -> None:
    assert render_markdown(text) == html


def test_list_items_are_still_sanitised() -> None:
    html = render_markdown(
        "Links:\n- <script>alert(1)</script>x\n- [y](javascript:alert(1))\n  - <b onclick=z>b</b>"
    )
    assert "<script" not in html and "alert" not in html
    assert "javascript" not in html and "onclick" not in html
    assert html.startswith("<p>Links:</p>\n<ul>\n<li>x</li>\n<li>y<ul>\n<li><b>b</b>")


def test_stored_html_is_rendered_again_by_the_command(people: People) -> None:
    written = reflection_create(
        owner=people.learner,
        data=ReflectionInput(title="Plan", body_markdown="Steps:\n1. plan\n2. do"),
    )
    old = "<p>Steps:\n1. plan\n2. do</p>"  # as it was stored before lists were fixed
    Reflection.objects.filter(pk=written.pk).update(body_html=old)
    updated_at = Reflection.objects.get(pk=written.pk).updated_at
    out = StringIO()
    call_command("rerender_markdown", stdout=out)
    written.refresh_from_db()
    assert "reflections.Reflection: 1 updated" in out.getvalue()
    assert written.updated_at == updated_at  # the learner changed nothing
    assert written.body_html == "<p>Steps:</p>\n<ol>\n<li>plan</li>\n<li>do</li>\n</ol>"
