"""Small files of many kinds, built in memory for tests.

Every maker returns the bytes of one file. The files are as small as they can be while
still being what they claim to be: real enough for content sniffing, and for Pillow to
decode the images, not for a media player. `uploaded()` wraps bytes as a Django upload.

Images are drawn red on their left half and blue on their right, so a test can see which
way up a copy is.
"""

import io
import math
import struct
import wave
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

RED = (255, 0, 0)
BLUE = (0, 0, 255)

# An XMP packet of the kind cameras write, with a position in it.
XMP_WITH_LOCATION = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
    b' xmlns:exif="http://ns.adobe.com/exif/1.0/"'
    b' xmp:CreatorTool="Phone" exif:GPSLatitude="51,30.2N" exif:GPSLongitude="0,7.6W"/>'
    b"</rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def uploaded(
    name: str, data: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    """`data` as the file a browser uploaded under `name`. The browser's content type is
    never trusted, so it defaults to one that says nothing."""
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Images ----------------------------------------------------------------------------


def picture(width: int, height: int, *, alpha: bool = False) -> Image.Image:
    """A Pillow image, red on the left half and blue on the right; half transparent if
    `alpha`."""
    mode = "RGBA" if alpha else "RGB"
    image = Image.new(mode, (width, height), (*BLUE, 128) if alpha else BLUE)
    image.paste((*RED, 128) if alpha else RED, (0, 0, max(width // 2, 1), height))
    return image


def jpeg(
    width: int = 64,
    height: int = 48,
    *,
    gps: bool = False,
    xmp: bool = False,
    orientation: int | None = None,
) -> bytes:
    """A JPEG photo. `gps` adds an EXIF GPS position (and the camera make), `xmp` an XMP
    packet with a position in it, `orientation` the EXIF Orientation tag (1-8; 6 means
    "turn 90 degrees clockwise to view")."""
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.Base.Make] = "PhoneMaker"
        location = exif.get_ifd(ExifTags.IFD.GPSInfo)
        location[ExifTags.GPS.GPSLatitudeRef] = "N"
        location[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
        location[ExifTags.GPS.GPSLongitudeRef] = "W"
        location[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    options: dict[str, object] = {"exif": exif}
    if xmp:
        options["xmp"] = XMP_WITH_LOCATION
    return _save(picture(width, height), "JPEG", quality=90, **options)


def png(
    width: int = 64, height: int = 48, *, alpha: bool = False, icc_profile: bool = False
) -> bytes:
    """A PNG image, half transparent if `alpha`, with an embedded sRGB colour profile (an
    iCCP chunk) if `icc_profile`."""
    options: dict[str, object] = {}
    if icc_profile:
        options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _save(picture(width, height, alpha=alpha), "PNG", **options)


def gif(width: int = 64, height: int = 48, *, frames: int = 1) -> bytes:
    """A GIF; with `frames` > 1 an animation whose later frames are green."""
    first = picture(width, height)
    rest = [Image.new("RGB", (width, height), (0, 255, 0)) for _ in range(frames - 1)]
    return _save(first, "GIF", save_all=frames > 1, append_images=rest)


def webp(width: int = 64, height: int = 48, *, alpha: bool = False) -> bytes:
    """A lossless WebP image, half transparent if `alpha`."""
    return _save(picture(width, height, alpha=alpha), "WEBP", lossless=True)


def png_claiming_size(width: int, height: int) -> bytes:
    """A well-formed PNG header claiming `width` x `height` pixels, with almost no image
    data behind it: a decompression bomb as far as any header check can tell."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _png_chunk(b"IEND", b"")
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _save(image: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


# --- Documents -------------------------------------------------------------------------


def pdf(text: str = "Evidence") -> bytes:
    """A minimal valid one-page PDF 1.4, with a correct cross-reference table."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_OOXML_PARTS = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def ooxml(kind: str, *, macros: bool = False) -> bytes:
    """A skeleton Office Open XML file: `kind` is "docx", "xlsx" or "pptx". `macros` adds a
    VBA project, as a macro-enabled .docm/.xlsm/.pptm has."""
    main_part, content_type = _OOXML_PARTS[kind]
    folder = main_part.split("/")[0]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{content_type}"/></Types>'
    )
    members = {
        "[Content_Types].xml": types.encode(),
        "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
        main_part: b'<?xml version="1.0"?><document/>',
    }
    if macros:
        members[f"{folder}/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return zip_archive(members)


def docx() -> bytes:
    """A skeleton Word document."""
    return ooxml("docx")


def xlsx() -> bytes:
    """A skeleton Excel workbook."""
    return ooxml("xlsx")


def pptx() -> bytes:
    """A skeleton PowerPoint presentation."""
    return ooxml("pptx")


def odf(kind: str = "text") -> bytes:
    """A skeleton OpenDocument file: `kind` is "text" (.odt), "spreadsheet" (.ods) or
    "presentation" (.odp). Its `mimetype` member comes first and uncompressed, as the
    standard requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        mimetype = f"application/vnd.oasis.opendocument.{kind}"
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return buffer.getvalue()


def odt() -> bytes:
    """A skeleton OpenDocument text file."""
    return odf("text")


def ole() -> bytes:
    """The first sector of an OLE compound file, the container of .doc, .xls and .ppt."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\0\x03\0\xfe\xff" + b"\0" * 482


def rtf(text: str = "Evidence") -> bytes:
    """A minimal RTF document."""
    return b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 " + text.encode() + b"}"


def text(content: str = "My reflection on the placement.\nIt went well.\n") -> bytes:
    """Plain UTF-8 text."""
    return content.encode("utf-8")


def svg(*, script: bool = False) -> bytes:
    """An SVG drawing with an XML declaration and DOCTYPE; with `script`, it runs JavaScript
    when opened in a browser."""
    inside = "<script>alert(document.cookie)</script>" if script else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"'
        ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<rect width="10" height="10" fill="red"/>{inside}</svg>\n'
    ).encode()


def html() -> bytes:
    """A web page that runs a script."""
    return b"<!DOCTYPE html>\n<html><head><title>Hi</title></head>" + (
        b"<body><script>alert(document.cookie)</script></body></html>\n"
    )


# --- Audio and video -------------------------------------------------------------------


def wav(seconds: float = 0.05, *, rate: int = 8000) -> bytes:
    """A mono 16-bit WAV of a 440 Hz tone."""
    samples = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
        for n in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples)
    return buffer.getvalue()


def mp3(*, frames: int = 4, id3: bool = True) -> bytes:
    """MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, silent), after an ID3v2.4 tag with a
    title if `id3`, else starting straight at a frame sync."""
    frame = b"\xff\xfb\x90\x00" + b"\0" * 413  # 144 * 128000 / 44100 = 417 bytes
    tag = b""
    if id3:
        title = b"TIT2" + _syncsafe(9) + b"\0\0" + b"\x03Evidence"  # UTF-8 "Evidence"
        tag = b"ID3\x04\x00\x00" + _syncsafe(len(title)) + title
    return tag + frame * frames


def _syncsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def iso_media(major_brand: bytes = b"isom", compatible: tuple[bytes, ...] = (b"mp41",)) -> bytes:
    """An ISO base media file (MP4, M4A, MOV, HEIC...): an `ftyp` box naming the brands,
    then a small `mdat` box. Brands are four bytes each."""
    brands = b"".join(compatible)
    ftyp = struct.pack(">I", 16 + len(brands)) + b"ftyp" + major_brand + b"\0\0\2\0" + brands
    return ftyp + struct.pack(">I", 24) + b"mdat" + b"\0" * 16


def mp4() -> bytes:
    """An MP4 video container."""
    return iso_media(b"isom", (b"isom", b"iso2", b"avc1", b"mp41"))


def m4a() -> bytes:
    """An M4A (AAC audio in MP4) container, as iTunes writes."""
    return iso_media(b"M4A ", (b"M4A ", b"mp42", b"isom"))


def mov() -> bytes:
    """A QuickTime movie container."""
    return iso_media(b"qt  ", (b"qt  ",))


def webm(doctype: str = "webm") -> bytes:
    """An EBML header naming `doctype` ("webm", or "matroska" for .mkv), then the start of
    a Segment of unknown size."""
    fields = (
        b"\x42\x86\x81\x01"  # EBMLVersion 1
        b"\x42\xf7\x81\x01"  # EBMLReadVersion 1
        b"\x42\xf2\x81\x04"  # EBMLMaxIDLength 4
        b"\x42\xf3\x81\x08"  # EBMLMaxSizeLength 8
        + b"\x42\x82"
        + bytes([0x80 | len(doctype)])
        + doctype.encode()
        + b"\x42\x87\x81\x04"  # DocTypeVersion 4
        b"\x42\x85\x81\x02"  # DocTypeReadVersion 2
    )
    segment = b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff"
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(fields)]) + fields + segment


def ogg() -> bytes:
    """The first page of an Ogg Opus stream (checksum not computed)."""
    opus_head = b"OpusHead\x01\x01\x38\x01\x80\xbb\0\0\0\0\0"
    page = b"OggS\0\x02" + b"\0" * 8 + b"\x01\0\0\0" + b"\0\0\0\0" + b"\0\0\0\0"
    return page + bytes([1, len(opus_head)]) + opus_head


def flac() -> bytes:
    """A FLAC stream marker and STREAMINFO block."""
    return b"fLaC\x80\0\0\x22" + b"\x10\0\x10\0" + b"\0" * 30


# --- Things to refuse ------------------------------------------------------------------


def exe() -> bytes:
    """The start of a Windows program: an MZ header pointing at a PE header."""
    header = bytearray(b"MZ" + b"\x90\0\x03\0" + b"\0" * 122)
    header[0x3C:0x40] = struct.pack("<I", 0x80)
    return bytes(header) + b"PE\0\0" + b"\0" * 64


def zip_archive(members: dict[str, bytes] | None = None) -> bytes:
    """A ZIP archive holding `members` (name to content), by default a single text file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (members or {"notes.txt": b"Some notes\n"}).items():
            archive.writestr(name, content)
    return buffer.getvalue()
