"""Leap2A content (XHTML or HTML from another system) reaches pages as learners' own
writing does: as Markdown, sanitised by core.html.render_markdown."""

import pytest

from core.html import render_markdown
from portfolio.archive.leap2a_html import html_to_markdown, html_to_text


@pytest.mark.parametrize(
    ("html", "rendered"),
    [
        ("<p>One <strong>bold</strong> and <em>quiet</em> word.</p>",
         "<p>One <strong>bold</strong> and <em>quiet</em> word.</p>"),
        ("<h1>Top</h1><h3>Under</h3><p>Text</p>", "<h2>Top</h2>\n<h3>Under</h3>\n<p>Text</p>"),
        ("<ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul>",
         "<ul>\n<li>one<ul>\n<li>inner</li>\n</ul>\n</li>\n<li>two</li>\n</ul>"),
        ("<ol><li>first</li><li>second</li></ol>", "<ol>\n<li>first</li>\n<li>second</li>\n</ol>"),
        ("<blockquote><p>Said</p></blockquote>", "<blockquote>\n<p>Said</p>\n</blockquote>"),
        ("<p>Line<br>break</p>", "<p>Line<br>\nbreak</p>"),
        ("<pre>x = 1\n  y</pre>", "<pre><code>x = 1\n  y\n</code></pre>"),
        ("<table><tr><th>A</th></tr><tr><td>1</td></tr></table>",
         "<table>\n<thead>\n<tr>\n<th>A</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n"
         "</tr>\n</tbody>\n</table>"),
        ('<p><a href="https://example.org/a b">site</a></p>',
         '<p><a href="https://example.org/a%20b" rel="nofollow noopener noreferrer">site</a></p>'),
    ],
    ids=["emphasis", "headings", "nested list", "ordered list", "quote", "break", "code",
         "table", "link"],
)  # fmt: skip
def test_what_markdown_can_say_survives(html: str, rendered: str) -> None:
    assert render_markdown(html_to_markdown(html)) == rendered


@pytest.mark.parametrize(
    ("html", "rendered"),
    [
        ('<p>Hi<script>alert("x")</script><style>p{}</style></p>', "<p>Hi</p>"),
        ('<p><a href="javascript:alert(1)">click</a></p>', "<p>click</p>"),
        ('<p><a href="portfolio:artefact15" rel="leap2:has_part">photo</a></p>', "<p>photo</p>"),
        ('<p><img src="x" onerror="alert(1)" alt="A photo"></p>', "<p>A photo</p>"),
        ("<p>&lt;script&gt;x()&lt;/script&gt;</p>", "<p>&lt;script&gt;x()&lt;/script&gt;</p>"),
        ('<div style="color:red" onclick="x()"><p class="c">Kept</p></div>', "<p>Kept</p>"),
        ("<iframe src='https://evil.example'>inner</iframe><p>After</p>", "<p>After</p>"),
    ],
    ids=["script and style", "javascript link", "internal link", "image", "escaped tags",
         "attributes", "iframe"],
)  # fmt: skip
def test_what_is_unsafe_or_meaningless_here_is_dropped(html: str, rendered: str) -> None:
    assert render_markdown(html_to_markdown(html)) == rendered


@pytest.mark.parametrize(
    "text",
    ["1. not a list", "# not a heading", "- not a bullet", "*not emphasis*", "[not](a link)",
     "snake_case_name", "a \\ backslash", "`not code`", "2026. A good year"],
)  # fmt: skip
def test_text_that_looks_like_markdown_stays_text(text: str) -> None:
    html = f"<p>{text}</p>"

    assert render_markdown(html_to_markdown(html)) == html


def test_a_deeply_nested_document_is_read_without_failing() -> None:
    html = "<div>" * 5000 + "deep" + "</div>" * 5000

    assert html_to_markdown(html) == "deep"


def test_text_for_plain_fields_keeps_paragraphs_and_line_breaks() -> None:
    html = "<div><p>Photo of the <b>site</b></p><p>Taken<br>at noon</p></div>"

    assert html_to_text(html) == "Photo of the site\n\nTaken\nat noon"
