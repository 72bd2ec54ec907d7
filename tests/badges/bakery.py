"""Baked badge images for tests, honest and hostile, built in memory.

PNGs are either drawn with Pillow and baked with `bake_png`, or assembled chunk by chunk
when the point is a file no baker would write: a lying chunk length, a compressed bomb,
pixel data that is not even valid zlib. SVGs are written out as text.
"""

import io
import json
import struct
import zlib
from functools import cache
from pathlib import Path

from badges.baking import PNG_SIGNATURE, bake_png, png_chunk
from tests.filemakers import png

FIXTURES = Path(__file__).parent / "fixtures"

HOSTED_URL = "https://example.org/beths-robotics-badge.json"
OB3_CREDENTIAL = json.dumps(
    {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Zoë's teamwork badge",  # not Latin-1 all the way: iTXt is UTF-8
    },
    ensure_ascii=False,
)


def fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


# --- PNG ------------------------------------------------------------------------------------


def baked_png(payload: str = HOSTED_URL, *, keyword: str = "openbadges") -> bytes:
    """A real 64 x 48 PNG drawn by Pillow, baked the way an issuer would."""
    return bake_png(png(), payload, keyword=keyword)


def raw_png(*chunks: bytes, width: int = 1, height: int = 1, idat: bytes | None = None) -> bytes:
    """A PNG of `width` x `height` grey pixels with `chunks` between IHDR and its pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\0" * (height * (width + 1))) if idat is None else idat
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", header)
        + b"".join(chunks)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def text_chunk(keyword: str, text: str) -> bytes:
    """A legacy tEXt chunk (Latin-1)."""
    return png_chunk(b"tEXt", keyword.encode("latin-1") + b"\0" + text.encode("latin-1"))


def ztxt_chunk(keyword: str, compressed: bytes) -> bytes:
    return png_chunk(b"zTXt", keyword.encode("latin-1") + b"\0\0" + compressed)


def itxt_chunk(keyword: str, text: bytes, *, compressed: bool = False) -> bytes:
    """An iTXt chunk; `text` is already compressed when `compressed`."""
    flag = b"\1" if compressed else b"\0"
    return png_chunk(b"iTXt", keyword.encode("latin-1") + b"\0" + flag + b"\0\0\0" + text)


@cache
def zlib_bomb(expanded_bytes: int) -> bytes:
    """zlib data that inflates to `expanded_bytes` zero bytes: about 1,000 times smaller.
    Built a megabyte at a time, so making it never holds the expanded data."""
    compressor = zlib.compressobj(9)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(expanded_bytes // len(block))]
    return b"".join(parts) + compressor.flush()


def png_with_chunk_claiming(length: int, *, kind: bytes = b"iTXt") -> bytes:
    """A PNG whose next chunk after IHDR declares `length` bytes but holds a few."""
    start = raw_png()[: len(PNG_SIGNATURE) + 25]  # signature and IHDR
    return start + struct.pack(">I", length) + kind + b"openbadges\0\0\0\0\0https://x"


def big_png_with_late_badge(payload: str = HOSTED_URL, *, idat_bytes: int = 10_000_000) -> bytes:
    """A ~10 MB PNG whose badge chunk comes after one huge IDAT chunk and some others.
    The IDAT holds garbage that is not even zlib data: no decoder can read these pixels."""
    garbage = b"\xde\xad\xbe\xef" * (idat_bytes // 4)
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1000, 1000, 8, 6, 0, 0, 0))
        + png_chunk(b"IDAT", garbage)
        + png_chunk(b"tIME", b"\x07\xe8\x01\x01\x00\x00\x00")
        + text_chunk("Comment", "made for a test")
        + itxt_chunk("openbadges", payload.encode())
        + png_chunk(b"IEND", b"")
    )


class CountingReader(io.BytesIO):
    """A seekable binary file over `data` that counts the bytes read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


class Unseekable(CountingReader):
    """The same, as a stream that cannot seek (a pipe, a network body)."""

    def seekable(self) -> bool:
        return False


# --- SVG ------------------------------------------------------------------------------------

SVG_START = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
DRAWING = '<circle cx="5" cy="5" r="4" fill="red"/>'


def svg(body: str = DRAWING, *, prologue: str = "", namespaces: str = "") -> bytes:
    start = SVG_START.replace("<svg ", f"<svg {namespaces} ") if namespaces else SVG_START
    return f'<?xml version="1.0" encoding="UTF-8"?>{prologue}{start}{body}</svg>'.encode()


def ob2_svg_verify(url: str = HOSTED_URL) -> bytes:
    """An OB 2.0 SVG of a hosted assertion, by URL in the verify attribute."""
    return svg(
        f'<openbadges:assertion verify="{url}"></openbadges:assertion>{DRAWING}',
        namespaces='xmlns:openbadges="http://openbadges.org"',
    )


def ob2_svg_cdata(assertion_json: str) -> bytes:
    """An OB 2.0 SVG with the assertion's JSON in CDATA, and its URL in verify."""
    return svg(
        f'<openbadges:assertion verify="{HOSTED_URL}">\n  <![CDATA[\n{assertion_json}\n]]>\n'
        f"</openbadges:assertion>{DRAWING}",
        namespaces='xmlns:openbadges="http://openbadges.org"',
    )


def ob3_svg(credential_json: str = OB3_CREDENTIAL) -> bytes:
    return svg(
        f"<openbadges:credential><![CDATA[{credential_json}]]></openbadges:credential>{DRAWING}",
        namespaces='xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"',
    )


_LOL = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' if n else '<!ENTITY lol0 "lol">' for n in range(10)
)
BILLION_LAUGHS = svg("<text>&lol9;</text>", prologue=f"<!DOCTYPE svg [{_LOL}]>")
EXTERNAL_ENTITY = svg(
    "<text>&xxe;</text>",
    prologue='<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
)
PARAMETER_ENTITY = svg(
    "",
    prologue='<!DOCTYPE svg [<!ENTITY % remote SYSTEM "http://evil.example/x.dtd"> %remote;]>',
)
INTERNAL_DTD = svg(DRAWING, prologue='<!DOCTYPE svg [<!ATTLIST circle onclick CDATA "alert(1)">]>')
EXTERNAL_DTD = svg(DRAWING, prologue='<!DOCTYPE svg SYSTEM "file:///etc/passwd">')
W3C_DOCTYPE = svg(
    DRAWING,
    prologue='<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
)

# Every way we know of to make an SVG do something, around a drawing that must survive.
HOSTILE_SVG = svg(
    '<script>alert("script")</script>'
    '<script xlink:href="https://evil.example/x.js"/>'
    '<style>@import url("https://evil.example/x.css"); circle { fill: red }</style>'
    '<openbadges:assertion verify="https://example.org/a.json"/>'
    '<foreignObject width="10" height="10"><html:iframe src="https://evil.example/"/>'
    "<html:p>HTML inside</html:p></foreignObject>"
    '<g id="shapes" onload="alert(\'onload\')" onclick="alert(1)" transform="translate(1,1)">'
    '<path d="M0 0L10 10" stroke="blue" onmouseover="alert(2)"/>'
    '<rect width="3" height="3" fill="url(https://evil.example/paint.svg#p)"/>'
    '<rect id="local" width="2" height="2" fill="url(#grad)"'
    ' style="stroke:url(#grad);fill:url(https://evil.example/s.svg#x);'
    "background:image-set('https://evil.example/i.png');-moz-binding:x;"
    'opacity:0.5;behavior:url(x.htc)"/>'
    "</g>"
    '<linearGradient id="grad"><stop offset="0" stop-color="red"/></linearGradient>'
    '<a href="javascript:alert(\'link\')"><circle cx="1" cy="1" r="1"/></a>'
    '<a xlink:href="https://evil.example/"><ellipse rx="1" ry="2"/></a>'
    '<use href="#local"/>'
    '<use xlink:href="https://evil.example/sprites.svg#icon"/>'
    '<use href="data:image/svg+xml;base64,PHN2Zy8+#x"/>'
    '<image href="https://evil.example/tracker.png" width="1" height="1"/>'
    '<image href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" width="1"/>'
    '<image href="data:image/png;base64,iVBORw0KGgo=" width="2" height="2"/>'
    '<set attributeName="href" to="javascript:alert(3)"/>'
    '<animate attributeName="href" values="javascript:alert(4)"/>'
    '<iframe src="https://evil.example/"/><embed src="x.swf"/><object data="x.swf"/>'
    '<text x="0" y="5">Team<tspan>work</tspan><script>alert(5)</script> badge</text>'
    '<polygon points="0,0 1,1 1,0" fill="JaVaScRiPt:alert(6)"/>',
    namespaces='xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:html="http://www.w3.org/1999/xhtml" xmlns:openbadges="http://openbadges.org" '
    "onload=\"alert('root')\"",
)
