"""Badge images are served as inert copies: pixels only, or a sanitised SVG."""

import io
import re

import pytest
from defusedxml.ElementTree import fromstring
from PIL import Image

from badges.badge_images import badge_image_for_display
from badges.baking import SVG_NS, BakingError, bake_png
from tests.badges import bakery
from tests.filemakers import gif, jpeg, pdf, png, png_claiming_size, webp


def _svg_tags(data: bytes) -> list[str]:
    root = fromstring(data, forbid_dtd=True)
    return [str(element.tag).removeprefix(f"{{{SVG_NS}}}") for element in root.iter()]


class TestSvg:
    @pytest.fixture
    def cleaned(self) -> bytes:
        data, content_type = badge_image_for_display(bakery.HOSTILE_SVG)
        assert content_type == "image/svg+xml"
        return data

    def test_nothing_that_can_run_or_fetch_is_left(self, cleaned: bytes) -> None:
        lowered = cleaned.lower()

        for gone in (
            b"script",
            b"onload",
            b"onclick",
            b"onmouseover",
            b"javascript",
            b"foreignobject",
            b"iframe",
            b"embed",
            b"object",
            b"<style",
            b"@import",
            b"evil.example",
            b"data:text/html",
            b"image/svg+xml",
            b"image-set",
            b"binding",
            b"behavior",
            b"alert",
            b"<set",
            b"<animate",
            b"openbadges",
            b"xhtml",
            b"html inside",
        ):
            assert gone not in lowered, gone

    def test_the_drawing_is_kept(self, cleaned: bytes) -> None:
        tags = _svg_tags(cleaned)

        for kept in ("path", "rect", "linearGradient", "stop", "circle", "ellipse", "text"):
            assert kept in tags
        assert tags.count("use") == 3  # each kept, only the local reference still pointing
        assert b'href="#local"' in cleaned
        assert b'fill="url(#grad)"' in cleaned
        assert b'transform="translate(1,1)"' in cleaned
        assert b'style="stroke:url(#grad);opacity:0.5"' in cleaned
        assert b'href="data:image/png;base64,iVBORw0KGgo="' in cleaned
        assert re.search(rb"<text[^>]*>Team<tspan>work</tspan> badge</text>", cleaned)

    def test_links_and_switches_become_plain_groups(self) -> None:
        data, _ = badge_image_for_display(
            bakery.svg(
                '<switch><foreignObject requiredExtensions="x"/><g><rect width="1"/></g></switch>'
                '<a href="https://example.org/"><circle r="1"/></a>'
            )
        )

        assert _svg_tags(data) == ["svg", "g", "g", "rect", "g", "circle"]
        assert b"example.org" not in data

    def test_a_stylesheet_processing_instruction_is_not_kept(self) -> None:
        data, _ = badge_image_for_display(
            bakery.svg(prologue='<?xml-stylesheet href="https://evil.example/x.css"?>')
        )

        assert b"evil.example" not in data
        assert _svg_tags(data) == ["svg", "circle"]

    def test_a_baked_svg_is_served_without_its_badge(self) -> None:
        original = bakery.fixture("ob30/simple-json.svg")

        data, _ = badge_image_for_display(original)

        assert b"credential" not in data.lower()
        assert b"DOCTYPE" not in data
        assert _svg_tags(data).count("path") == original.count(b"<path")

    @pytest.mark.parametrize(
        "hostile", [bakery.BILLION_LAUGHS, bakery.EXTERNAL_ENTITY, bakery.INTERNAL_DTD]
    )
    def test_entities_and_dtds_are_refused(self, hostile: bytes) -> None:
        with pytest.raises(BakingError, match="document type or XML entities"):
            badge_image_for_display(hostile)


class TestRaster:
    def test_a_baked_png_is_served_as_pixels_only(self) -> None:
        baked = bake_png(png(64, 48, alpha=True), bakery.OB3_CREDENTIAL, keyword="openbadges")
        assert b"openbadges" in baked

        data, content_type = badge_image_for_display(baked)

        assert content_type == "image/png"
        assert b"openbadges" not in data
        assert not {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"} & set(_chunk_types(data))
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (64, 48)
            assert image.getpixel((0, 0)) == (255, 0, 0, 128)

    def test_the_ob30_fixture_loses_its_credential(self) -> None:
        data, _ = badge_image_for_display(bakery.fixture("ob30/simple-json.png"))

        assert b"openbadgecredential" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (981, 941)

    def test_a_large_image_is_scaled_down_to_1024(self) -> None:
        data, _ = badge_image_for_display(png(2048, 1024))

        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (1024, 512)

    @pytest.mark.parametrize(
        ("made", "content_type"),
        [
            (jpeg(), "image/jpeg"),
            (gif(), "image/png"),
            (webp(), "image/png"),
        ],
    )
    def test_other_raster_formats_are_served(self, made: bytes, content_type: str) -> None:
        data, served_as = badge_image_for_display(made)

        assert served_as == content_type
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (64, 48)

    def test_jpeg_metadata_is_not_served(self) -> None:
        data, _ = badge_image_for_display(jpeg(gps=True, xmp=True))

        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()
            assert "xmp" not in image.info

    @pytest.mark.parametrize(("width", "height"), [(8000, 6000), (20_000, 20_000)])
    def test_a_pixel_bomb_is_refused_before_decoding(self, width: int, height: int) -> None:
        # 48 megapixels is under Pillow's own limit but over ours; 400 is over both.
        with pytest.raises(BakingError, match="too many pixels"):
            badge_image_for_display(png_claiming_size(width, height))

    @pytest.mark.parametrize("not_an_image", [b"hello", pdf(), b"", b"<p>not svg</p>"])
    def test_something_that_is_not_an_image_is_refused(self, not_an_image: bytes) -> None:
        with pytest.raises(BakingError, match="not a PNG, SVG, JPEG, GIF or WebP image"):
            badge_image_for_display(not_an_image)

    def test_a_damaged_image_is_refused(self) -> None:
        with pytest.raises(BakingError, match="damaged"):
            badge_image_for_display(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)


def _chunk_types(data: bytes) -> list[bytes]:
    types, at = [], 8
    while at < len(data):
        types.append(data[at + 4 : at + 8])
        at += 12 + int.from_bytes(data[at : at + 4], "big")
    return types
