"""Reading and writing badge data baked into PNG and SVG images."""

import io
import json
import tracemalloc
import zlib

import pytest
from PIL import Image, ImageFile

from badges.baking import (
    Baked,
    BakingError,
    NoBadgeData,
    bake_png,
    bake_svg,
    extract,
    extract_from_png,
    extract_from_svg,
)
from tests.badges import bakery
from tests.badges.bakery import HOSTED_URL, OB3_CREDENTIAL
from tests.filemakers import jpeg, png

NO_BADGE = "This image has no badge data baked into it."
MB = 1_000_000


def _png_chunk_types(data: bytes) -> list[bytes]:
    types, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        types.append(data[at + 4 : at + 8])
        at += 12 + length
    return types


class TestTheSharedFixtures:
    def test_ob20_png_holds_the_hosted_assertion_json(self) -> None:
        baked = extract(bakery.fixture("ob20/simple-badge.png"))

        assert (baked.keyword, baked.image_type) == ("openbadges", "png")
        assertion = json.loads(baked.payload)  # the assertion itself, not its URL
        assert assertion["type"] == "Assertion"
        assert assertion["id"] == "https://example.org/beths-robotics-badge.json"
        assert assertion["verification"] == {"type": "hosted"}
        assert assertion["badge"] == "https://example.org/robotics-badge.json"

    @pytest.mark.parametrize(
        ("name", "keyword", "image_type"),
        [
            ("ob30/simple-json.png", "openbadgecredential", "png"),
            ("ob30/simple-json.svg", "credential", "svg"),
        ],
    )
    def test_ob30_images_hold_an_open_badge_credential(
        self, name: str, keyword: str, image_type: str
    ) -> None:
        baked = extract(bakery.fixture(name))

        assert (baked.keyword, baked.image_type) == (keyword, image_type)
        credential = json.loads(baked.payload)
        assert "OpenBadgeCredential" in credential["type"]
        assert credential["id"] == "http://example.com/credentials/3527"

    def test_the_ob30_png_and_svg_carry_the_same_credential(self) -> None:
        from_png = extract(bakery.fixture("ob30/simple-json.png")).payload
        from_svg = extract(bakery.fixture("ob30/simple-json.svg")).payload

        assert json.loads(from_png) == json.loads(from_svg)

    def test_a_png_can_be_read_from_an_open_file(self) -> None:
        with (bakery.FIXTURES / "ob30/simple-json.png").open("rb") as file:
            baked = extract_from_png(file)

        assert "OpenBadgeCredential" in json.loads(baked.payload)["type"]


class TestPngRoundTrips:
    @pytest.mark.parametrize(
        ("payload", "keyword"),
        [
            (HOSTED_URL, "openbadges"),
            ("eyJhbGciOiJSUzI1NiJ9.eyJ0eXBlIjoiQXNzZXJ0aW9uIn0.c2lnbmF0dXJl", "openbadges"),
            (OB3_CREDENTIAL, "openbadgecredential"),
        ],
    )
    def test_what_is_baked_is_what_is_read(self, payload: str, keyword: str) -> None:
        baked = bake_png(png(), payload, keyword=keyword)

        assert extract(baked) == Baked(payload=payload, keyword=keyword, image_type="png")

    def test_the_badge_goes_right_after_ihdr_and_the_pixels_are_untouched(self) -> None:
        original = png()
        baked = bake_png(original, HOSTED_URL)

        assert _png_chunk_types(baked)[:2] == [b"IHDR", b"iTXt"]
        with Image.open(io.BytesIO(baked)) as ours, Image.open(io.BytesIO(original)) as theirs:
            assert ours.tobytes() == theirs.tobytes()

    def test_baking_again_replaces_the_badge(self) -> None:
        twice = bake_png(
            bakery.baked_png(HOSTED_URL), OB3_CREDENTIAL, keyword="openbadgecredential"
        )

        assert extract(twice).payload == OB3_CREDENTIAL
        assert _png_chunk_types(twice).count(b"iTXt") == 1
        assert b"openbadges\0" not in twice

    def test_baking_replaces_a_legacy_text_chunk_too(self) -> None:
        legacy = bakery.raw_png(bakery.text_chunk("openbadges", "https://old.example/a.json"))

        assert extract(bake_png(legacy, HOSTED_URL)).payload == HOSTED_URL

    def test_only_the_two_badge_keywords_can_be_baked(self) -> None:
        with pytest.raises(ValueError, match="keyword"):
            bake_png(png(), HOSTED_URL, keyword="Comment")


class TestPngChunkKinds:
    def test_a_legacy_text_chunk_is_read(self) -> None:
        image = bakery.raw_png(bakery.text_chunk("openbadges", HOSTED_URL))

        assert extract(image) == Baked(HOSTED_URL, "openbadges", "png")

    def test_a_compressed_ztxt_chunk_is_read(self) -> None:
        image = bakery.raw_png(bakery.ztxt_chunk("openbadges", zlib.compress(HOSTED_URL.encode())))

        assert extract(image).payload == HOSTED_URL

    def test_a_compressed_itxt_chunk_is_read(self) -> None:
        chunk = bakery.itxt_chunk(
            "openbadgecredential", zlib.compress(OB3_CREDENTIAL.encode()), compressed=True
        )

        assert extract(bakery.raw_png(chunk)) == Baked(OB3_CREDENTIAL, "openbadgecredential", "png")

    def test_text_under_other_keywords_is_not_a_badge(self) -> None:
        image = bakery.raw_png(
            bakery.text_chunk("Comment", HOSTED_URL),
            bakery.itxt_chunk("openbadgesX", HOSTED_URL.encode()),
            bakery.ztxt_chunk("Description", zlib.compress(b"openbadges")),
        )

        with pytest.raises(NoBadgeData, match=NO_BADGE):
            extract(image)

    def test_an_empty_badge_chunk_is_refused(self) -> None:
        with pytest.raises(BakingError, match="empty"):
            extract(bakery.raw_png(bakery.itxt_chunk("openbadges", b"  \n")))


class TestHostilePngs:
    @pytest.mark.parametrize("chunk_kind", ["zTXt", "iTXt"])
    def test_a_compressed_bomb_is_refused_within_bounded_memory(self, chunk_kind: str) -> None:
        bomb = bakery.zlib_bomb(256 * MB)  # ~250 kB that inflates to 256 MB
        assert len(bomb) < MB
        chunk = (
            bakery.ztxt_chunk("openbadges", bomb)
            if chunk_kind == "zTXt"
            else bakery.itxt_chunk("openbadges", bomb, compressed=True)
        )
        image = bakery.raw_png(chunk)

        tracemalloc.start()
        try:
            with pytest.raises(BakingError, match="unpacks to more than"):
                extract(image)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 20 * MB

    def test_compressed_text_cut_short_is_refused(self) -> None:
        cut = zlib.compress(HOSTED_URL.encode())[:-6]
        image = bakery.raw_png(bakery.ztxt_chunk("openbadges", cut))

        with pytest.raises(BakingError, match="damaged or cut short"):
            extract(image)

    def test_an_oversized_badge_chunk_is_refused_without_being_read(self) -> None:
        image = bakery.raw_png(bakery.itxt_chunk("openbadges", b"x" * (3 * MB)))
        reader = bakery.CountingReader(image)

        with pytest.raises(BakingError, match="larger than"):
            extract_from_png(reader, max_chunk_bytes=MB)
        assert reader.bytes_read < 1024

    def test_a_chunk_claiming_more_than_the_file_holds_is_refused(self) -> None:
        for length in (2 * MB, 2**31 - 1, 2**32 - 1):
            with pytest.raises(BakingError, match="damaged or cut short"):
                extract(bakery.png_with_chunk_claiming(length))

    # The badge chunk (61 bytes of data) starts at 33, after the signature and IHDR: cut in
    # the signature, IHDR, the chunk's header, its data, and its CRC.
    @pytest.mark.parametrize("keep", [5, 20, 36, 60, 104])
    def test_a_png_cut_short_is_refused(self, keep: int) -> None:
        whole = bakery.baked_png()
        assert extract(whole).payload == HOSTED_URL

        with pytest.raises(BakingError, match="damaged or cut short"):
            extract_from_png(whole[:keep])

    def test_a_png_cut_short_before_any_badge_is_damaged_not_badgeless(self) -> None:
        with pytest.raises(BakingError, match="damaged or cut short"):
            extract(png()[:-8])

    def test_a_badge_chunk_with_a_wrong_checksum_is_refused(self) -> None:
        image = bytearray(bakery.baked_png())
        at = image.index(HOSTED_URL.encode())
        image[at] ^= 0x20  # "https" becomes "Https"; the CRC no longer matches

        with pytest.raises(BakingError, match="damaged"):
            extract(bytes(image))

    def test_a_file_without_the_png_signature_is_refused(self) -> None:
        with pytest.raises(BakingError, match="not a PNG"):
            extract_from_png(b"GIF89a" + bakery.baked_png()[6:])

    def test_a_png_with_no_badge_says_what_to_do(self) -> None:
        with pytest.raises(NoBadgeData) as refused:
            extract(png())

        assert str(refused.value) == (
            "This image has no badge data baked into it. Download the badge image from your "
            "issuer's site again, or paste the badge URL or JSON instead."
        )


class TestALargePng:
    """Ten megabytes of pixel data before the badge: skipped, never decoded."""

    @pytest.fixture(autouse=True)
    def _pillow_must_not_be_used(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("Pillow was asked to decode the image")

        monkeypatch.setattr(Image, "open", refuse)
        monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)

    def test_its_pixel_data_cannot_be_decoded_at_all(self) -> None:
        idat = bakery.big_png_with_late_badge()[41 : 41 + 10 * MB]
        with pytest.raises(zlib.error):
            zlib.decompress(idat)

    def test_the_badge_is_read_from_bytes(self) -> None:
        image = bakery.big_png_with_late_badge()
        assert len(image) > 10 * MB

        tracemalloc.start()
        try:
            assert extract(image) == Baked(HOSTED_URL, "openbadges", "png")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 100_000  # the pixel data was neither decoded nor copied

    def test_the_badge_is_read_from_a_file_by_seeking_past_the_pixels(self) -> None:
        reader = bakery.CountingReader(bakery.big_png_with_late_badge())

        assert extract_from_png(reader).payload == HOSTED_URL
        assert reader.bytes_read < 1024

    def test_the_badge_is_read_from_a_stream_that_cannot_seek(self) -> None:
        reader = bakery.Unseekable(bakery.big_png_with_late_badge())

        assert extract_from_png(reader).payload == HOSTED_URL


class TestSvg:
    def test_an_ob2_hosted_url_is_read_from_the_verify_attribute(self) -> None:
        assert extract(bakery.ob2_svg_verify()) == Baked(HOSTED_URL, "assertion", "svg")

    def test_an_ob2_assertion_is_read_from_cdata(self) -> None:
        assertion = bakery.fixture("ob20/basic-assertion.json").decode()

        baked = extract(bakery.ob2_svg_cdata(assertion))

        assert json.loads(baked.payload) == json.loads(assertion)
        assert baked.payload == assertion.strip()

    def test_an_ob3_credential_is_read(self) -> None:
        assert extract(bakery.ob3_svg()) == Baked(OB3_CREDENTIAL, "credential", "svg")

    @pytest.mark.parametrize(
        ("payload", "credential", "keyword"),
        [
            (HOSTED_URL, False, "assertion"),
            ("eyJhbGciOiJSUzI1NiJ9.eyJ0eXBlIjoiQXNzZXJ0aW9uIn0.c2lnbmF0dXJl", False, "assertion"),
            ('{"type": "Assertion", "note": "<&>"}', False, "assertion"),
            (OB3_CREDENTIAL, True, "credential"),
        ],
    )
    def test_what_is_baked_is_what_is_read(
        self, payload: str, credential: bool, keyword: str
    ) -> None:
        baked = bake_svg(bakery.svg(), payload, credential=credential)

        assert extract(baked) == Baked(payload, keyword, "svg")
        assert b"<circle" in baked  # the drawing, still with the usual prefixes
        assert f"<openbadges:{keyword}".encode() in baked

    def test_baking_again_replaces_the_badge(self) -> None:
        rebaked = bake_svg(bakery.fixture("ob30/simple-json.svg"), HOSTED_URL)

        assert extract(rebaked) == Baked(HOSTED_URL, "assertion", "svg")
        assert b"OpenBadgeCredential" not in rebaked
        assert rebaked.count(b"<path") == bakery.fixture("ob30/simple-json.svg").count(b"<path")

    def test_the_w3c_svg_doctype_is_allowed(self) -> None:
        with pytest.raises(NoBadgeData):
            extract(bakery.W3C_DOCTYPE)

    @pytest.mark.parametrize(
        "hostile",
        [
            bakery.BILLION_LAUGHS,
            bakery.EXTERNAL_ENTITY,
            bakery.PARAMETER_ENTITY,
            bakery.INTERNAL_DTD,
            bakery.EXTERNAL_DTD,
        ],
        ids=["billion-laughs", "external-entity", "parameter-entity", "internal-dtd", "dtd"],
    )
    def test_dtds_and_entities_are_refused_not_expanded(self, hostile: bytes) -> None:
        with pytest.raises(BakingError, match="document type or XML entities"):
            extract(hostile)

    def test_an_undeclared_entity_is_refused_as_damaged(self) -> None:
        with pytest.raises(BakingError, match="not well-formed"):
            extract(bakery.svg("<text>&passwd;</text>"))

    def test_an_svg_over_the_size_limit_is_refused(self) -> None:
        padded = bakery.svg("<!--" + "x" * 2000 + "-->" + DRAWING_WITH_BADGE)

        assert extract_from_svg(padded).payload == HOSTED_URL
        with pytest.raises(BakingError, match="larger than"):
            extract_from_svg(padded, max_bytes=1000)

    def test_a_deeply_nested_svg_is_refused(self) -> None:
        with pytest.raises(BakingError, match="nested too deeply"):
            extract(bakery.svg("<g>" * 5000 + "</g>" * 5000))

    def test_xml_that_is_not_svg_is_refused(self) -> None:
        with pytest.raises(BakingError, match="not an SVG"):
            extract(b'<?xml version="1.0"?><html><svg/></html>')

    def test_an_svg_without_a_badge_says_what_to_do(self) -> None:
        with pytest.raises(NoBadgeData, match=NO_BADGE):
            extract(bakery.svg())


DRAWING_WITH_BADGE = (
    f'<openbadges:assertion xmlns:openbadges="http://openbadges.org" verify="{HOSTED_URL}"/>'
)


def test_only_png_and_svg_can_carry_badges() -> None:
    with pytest.raises(BakingError, match="Only PNG and SVG"):
        extract(jpeg(), filename="badge.jpg")


def test_a_file_named_svg_is_read_as_svg_whatever_it_starts_with() -> None:
    with pytest.raises(BakingError, match="not well-formed"):
        extract(b"\0\0" + bakery.ob2_svg_verify(), filename="Badge.SVG")
