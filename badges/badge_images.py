"""Badge images made safe to show: inert copies, never the originals.

The original badge image is kept unchanged elsewhere (it carries the baked badge). What we
serve is a copy: a raster image re-encoded from its pixels alone (no text chunks, so the
baked data is not served twice, and no metadata), within 1024 x 1024; an SVG rebuilt from an
allowlist of drawing elements and attributes, with scripts, event handlers, foreign content,
styles and every reference to anything outside the drawing removed. It is also served with a
restrictive Content-Security-Policy and nosniff, but the sanitising stands alone.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from django.utils.translation import gettext as _

from badges.baking import (
    PNG_SIGNATURE,
    SVG_NS,
    XLINK_NS,
    XML_NS,
    BakingError,
    looks_like_svg,
    parse_svg,
    split_name,
    svg_to_bytes,
)
from core.images import reencode_for_serving
from core.uploads import UploadRejected

MAX_SIDE = 1024
MAX_PIXELS = 40_000_000
MAX_SVG_BYTES = 5_000_000

_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}

_DRAWING_ELEMENTS = """
svg g path rect circle ellipse line polyline polygon text tspan defs linearGradient
radialGradient stop clipPath mask pattern use image title desc symbol marker filter
feGaussianBlur feOffset feBlend feColorMatrix feComposite feFlood feMerge feMergeNode
feMorphology feDropShadow
"""
ALLOWED_SVG_ELEMENTS = frozenset(_DRAWING_ELEMENTS.split())
# Containers whose own behaviour we drop but whose drawing we keep (Illustrator wraps whole
# drawings in <switch>, with a <foreignObject> alternative that is removed).
_AS_GROUP = frozenset({"a", "switch"})
# Elements that may point at another element of the same drawing (href="#id").
_LOCAL_HREF_ELEMENTS = frozenset({"use", "linearGradient", "radialGradient", "pattern"})

_LOCAL_REF = re.compile(r"#[A-Za-z_][\w.:-]*")
_EMBEDDED_RASTER = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*")
_URL = re.compile(r"url\s*\(\s*([^)]*)\)", re.IGNORECASE)
_CSS_FUNCTION = re.compile(r"([A-Za-z-]+)\s*\(")
_CSS_FUNCTION_NAMES = """
rgb rgba hsl hsla url calc var translate translatex translatey rotate scale scalex
scaley matrix skewx skewy
"""
_CSS_FUNCTIONS = frozenset(_CSS_FUNCTION_NAMES.split())
_CSS_PROPERTY = re.compile(r"-?[A-Za-z][A-Za-z-]*")
_CSS_FORBIDDEN = ("\\", "@", "<", ">", "{", "}", "/*", "behavior", "binding", "expression")
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")


def badge_image_for_display(data: bytes) -> tuple[bytes, str]:
    """A copy of a badge image that is safe to serve, and its content type.

    JPEG stays JPEG; PNG, GIF (first frame) and WebP become PNG; SVG stays SVG, sanitised.
    Raises BakingError, in plain words, for anything that is not a readable image of those
    kinds, or a raster image whose header claims more than MAX_PIXELS pixels (refused before
    any pixel is decoded).
    """
    if not data.startswith(PNG_SIGNATURE) and looks_like_svg(data):
        return sanitise_svg(data), "image/svg+xml"
    if not _is_raster(data):
        raise BakingError(
            _("This badge image is not a PNG, SVG, JPEG, GIF or WebP image, so it can't be shown.")
            + " "
            + _("Download the badge image from your issuer's site again.")
        )
    try:
        copy, extension = reencode_for_serving(
            io.BytesIO(data), max_side=MAX_SIDE, max_pixels=MAX_PIXELS
        )
    except UploadRejected as error:
        raise BakingError(str(error)) from None
    return copy.read(), _CONTENT_TYPES[extension]


def _is_raster(data: bytes) -> bool:
    return data.startswith((PNG_SIGNATURE, b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def sanitise_svg(data: bytes) -> bytes:
    """An SVG drawing rebuilt from allowed elements and attributes only."""
    root = parse_svg(data, max_bytes=MAX_SVG_BYTES)
    _clean_attributes(root, "svg")
    _clean_children(root)
    return svg_to_bytes(root)


def _clean_children(parent: ET.Element) -> None:
    for child in list(parent):
        namespace, name = split_name(child.tag)
        if namespace == SVG_NS and name in _AS_GROUP:
            child.tag, name = f"{{{SVG_NS}}}g", "g"
        if namespace != SVG_NS or name not in ALLOWED_SVG_ELEMENTS:
            _remove_keeping_tail(parent, child)
            continue
        _clean_attributes(child, name)
        _clean_children(child)  # depth is bounded by parse_svg


def _remove_keeping_tail(parent: ET.Element, child: ET.Element) -> None:
    """Remove `child` and what it holds, but not the text that follows it (inside <text>)."""
    if child.tail:
        index = list(parent).index(child)
        if index:
            before = parent[index - 1]
            before.tail = (before.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _clean_attributes(element: ET.Element, element_name: str) -> None:
    cleaned: dict[str, str] = {}
    for qualified, value in element.attrib.items():
        namespace, name = split_name(qualified)
        if namespace == XLINK_NS and name == "href":
            namespace = None  # SVG 2's plain href, which every current browser reads
        if namespace == XML_NS and name in ("space", "lang"):
            cleaned[qualified] = value
        elif namespace is not None or name.lower().startswith("on"):
            continue
        elif name == "href":
            if _href_allowed(element_name, value):
                cleaned["href"] = value.strip()
        elif name == "style":
            style = _clean_style(value)
            if style:
                cleaned["style"] = style
        elif _value_allowed(value):
            cleaned[name] = value
    element.attrib = cleaned


def _href_allowed(element_name: str, value: str) -> bool:
    value = value.strip()
    if element_name in _LOCAL_HREF_ELEMENTS:
        return _LOCAL_REF.fullmatch(value) is not None
    if element_name == "image":
        return _EMBEDDED_RASTER.fullmatch(value) is not None
    return False


def _value_allowed(value: str) -> bool:
    """No script or data URLs, and url(...) only to an element of this drawing."""
    compact = _INVISIBLE.sub("", value).lower()
    if any(scheme in compact for scheme in _UNSAFE_SCHEMES) or "expression(" in compact:
        return False
    return all(_LOCAL_REF.fullmatch(url.strip("\"' \t\r\n")) for url in _URL.findall(value))


def _clean_style(style: str) -> str:
    """The declarations of a style attribute that can only paint: no escapes, comments or
    at-rules, and no functions but colours, transforms and url(#local)."""
    kept = []
    for declaration in style.split(";"):
        prop, colon, value = declaration.partition(":")
        prop, value = prop.strip(), value.strip()
        if not colon or not _CSS_PROPERTY.fullmatch(prop) or not value:
            continue
        if any(part in f"{prop}:{value}".lower() for part in _CSS_FORBIDDEN):
            continue
        functions = {name.lower() for name in _CSS_FUNCTION.findall(value)}
        if functions <= _CSS_FUNCTIONS and _value_allowed(value):
            kept.append(f"{prop}:{value}")
    return ";".join(kept)
