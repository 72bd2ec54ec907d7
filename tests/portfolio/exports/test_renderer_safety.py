"""The renderer fetches nothing it should not and embeds nothing, whatever the HTML asks
for: in a learner's reflection, caption or title (through the real export), and in raw
HTML handed straight to the renderer (in case some stored HTML ever skips the sanitiser).
A real loopback listener counts every connection; it must see none."""

import base64
import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from artefacts.models import Artefact
from portfolio.exports.renderer import render_pdf
from portfolio.showcases import services as showcase_services
from reflections.models import Reflection
from tests.portfolio.exports.builders import exported, pdf_bytes
from tests.portfolio.showcase_data import link_artefact, reflection

SECRET = Path("/etc/passwd")


class Listener:
    """A TCP server on loopback that records each connection it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def hostile(port: int) -> dict[str, str]:
    loop = f"http://127.0.0.1:{port}"
    big = base64.b64encode(b"\x89PNG" + b"\0" * (4 * 1024 * 1024)).decode()
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>"
        f"<image href='{loop}/svg-image' width='10' height='10'/>"
        f"<image xlink:href='file:///etc/passwd' width='10' height='10'/></svg>"
    )
    return {
        "file image": '<img src="file:///etc/passwd" alt="x">',
        "link attachment": '<link rel="attachment" href="file:///etc/passwd">',
        "anchor attachment": '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
        "import": f"<style>@import url({loop}/import.css);</style>",
        "metadata url": (
            '<p style="background: url(http://169.254.169.254/latest/meta-data/)">m</p>'
            f'<p style="background-image: url({loop}/background)">b</p>'
        ),
        "big data url": f'<img src="data:image/png;base64,{big}" alt="big">',
        "object": f'<object data="{loop}/object"></object><embed src="{loop}/embed">',
        "svg image": (
            f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}"'
            f' alt="svg">{svg}'
        ),
        "loopback image": f'<img src="{loop}/image.png" alt="x">',
    }


def assert_nothing_embedded(data: bytes) -> None:
    assert b"/EmbeddedFiles" not in data
    assert b"/Filespec" not in data
    assert b"root:x:0:0" not in data
    assert not PdfReader(io.BytesIO(data)).attachments


@pytest.mark.parametrize("case", list(hostile(1)))
def test_raw_html_given_to_the_renderer_fetches_and_embeds_nothing(
    case: str, listener: Listener, tmp_path: Path
) -> None:
    target = tmp_path / "out.pdf"
    html = (
        f"<!doctype html><html lang=en><body><h1>T</h1>{hostile(listener.port)[case]}</body></html>"
    )
    rendered = render_pdf(html=html, files={}, target=target)
    assert listener.connections == 0
    assert_nothing_embedded(target.read_bytes())
    if case not in ("link attachment", "anchor attachment"):
        assert rendered.refused, "the fetcher was asked and refused"


@pytest.mark.django_db(transaction=True)
def test_hostile_reflection_caption_and_title_fetch_and_embed_nothing(
    people, listener: Listener
) -> None:
    cases = hostile(listener.port)
    # Several MB of base64 as caption text would only be slow to lay out: it goes into
    # the stored HTML, where it would be an image.
    everything = "".join(value for key, value in cases.items() if key != "big data url")
    owner = people.learner
    showcase = showcase_services.showcase_create(owner=owner, title="Hostile " + everything[:150])
    section = showcase_services.section_add(showcase=showcase, heading="Everything")
    written = reflection(owner, title="Reflection " + everything[:150])
    # Through the real Markdown path, and as stored HTML that skipped the sanitiser.
    smuggled = reflection(owner, title="Smuggled")
    Reflection.objects.filter(pk=smuggled.pk).update(body_html="".join(cases.values()))
    url_item = link_artefact(owner, title="Link " + everything[:150])
    Artefact.objects.filter(pk=url_item.pk).update(body_html=everything)
    showcase_services.items_add(section=section, targets=[written, smuggled, url_item])
    for item in section.items.all():
        showcase_services.item_update(item=item, caption=everything)

    export = exported(owner, showcase)

    assert export.state == "done", export.error
    assert listener.connections == 0
    assert_nothing_embedded(pdf_bytes(export))


def test_own_static_stylesheet_is_served_but_not_other_static_files(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    html = (
        "<!doctype html><html lang=en><body><p>x</p>"
        '<img src="export-static:js/site-nav.js" alt="x"></body></html>'
    )
    rendered = render_pdf(html=html, files={}, target=target, stylesheets=["css/export.css"])
    assert rendered.refused == ["export-static:js/site-nav.js"]
