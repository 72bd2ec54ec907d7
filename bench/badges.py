"""Reading the badge out of a large baked PNG: it must cost the chunk walk, never the pixels.

The image is a real PNG of random noise (RGB, stored without compression, so its pixel
data is about 10 MB) with the badge's iTXt chunk moved after the pixel data (IDAT), as
some bakers write it: the reader has to get past every pixel byte to find the badge.
Three proofs that it steps over them rather than decoding them:

- the same image with its IDAT replaced by bytes that are not zlib data at all gives
  the same badge;
- Pillow's open, load and decoder creation, wrapped with counters in this process,
  are not called during the timed extractions (and are counted when Pillow decodes the
  image once afterwards, which shows the counters work);
- the extraction is compared with a naive scan of the same bytes for b"iTXt", the
  floor: walking the chunks by their declared lengths should not take longer.
"""

import functools
import io
import json
import random
import statistics
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import PIL.Image
import PIL.ImageFile

from badges.baking import PNG_SIGNATURE, Baked, bake_png, extract, png_chunk
from bench.harness import BenchmarkError, format_grid

MB = 1024**2
WIDTH, HEIGHT = 2500, 1500  # 11.25 MB of pixel data (each row has a filter byte, too)
REPEAT = 200
WARM_UP = 5
SEED = 20260105
PAYLOAD = json.dumps(
    {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://issuer.example/assertions/bench.json",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": "bench-salt",
            "identity": "sha256$" + "0" * 64,
        },
        "issuedOn": "2026-01-05T09:00:00Z",
        "badge": "https://issuer.example/badge.json",
        "verification": {"type": "hosted"},
    },
    indent=2,
)


def png_from_rgb(width: int, height: int, rgb: bytes, *, level: int = 9) -> bytes:
    """A PNG (8-bit RGB, no filtering) of `rgb`, `width` x `height` pixels, row by row;
    `level` is zlib's, 0 storing the pixel data uncompressed."""
    stride = width * 3
    if len(rgb) != stride * height:
        raise ValueError(f"{width}x{height} RGB pixels take {stride * height} bytes.")
    rows = b"".join(b"\0" + rgb[at : at + stride] for at in range(0, len(rgb), stride))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows, level))
        + png_chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class Chunk:
    kind: bytes
    at: int  # where its length field starts
    end: int  # just after its CRC


def chunks(png: bytes) -> list[Chunk]:
    """Every chunk of a well-formed PNG, in order (the bench's own walk, for building)."""
    found, at = [], len(PNG_SIGNATURE)
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        found.append(Chunk(kind=kind, at=at, end=at + 12 + length))
        at += 12 + length
    return found


def _badge_after_pixels(png: bytes, payload: str) -> bytes:
    """`png` baked with `payload` by the app's baker, then its iTXt moved to just before
    IEND: after every IDAT."""
    baked = bake_png(png, payload)
    found = chunks(baked)
    badge = [c for c in found if c.kind == b"iTXt"]
    others = [c for c in found if c.kind not in (b"iTXt", b"IEND")]
    order = others + badge + [c for c in found if c.kind == b"IEND"]
    return PNG_SIGNATURE + b"".join(baked[c.at : c.end] for c in order)


def _garbage_pixels(png: bytes, rng: random.Random) -> bytes:
    """`png` with each IDAT's data replaced by random bytes that are not zlib data (and
    a matching CRC, so only the pixel data is wrong)."""
    parts = [PNG_SIGNATURE]
    for chunk in chunks(png):
        if chunk.kind == b"IDAT":
            # 0xFF is no valid zlib header (compression method 15), so nothing inflates it.
            garbage = b"\xff\xff" + rng.randbytes(chunk.end - chunk.at - 14)
            parts.append(png_chunk(b"IDAT", garbage))
        else:
            parts.append(png[chunk.at : chunk.end])
    garbled = b"".join(parts)
    idat = next(c for c in chunks(garbled) if c.kind == b"IDAT")
    try:
        zlib.decompressobj().decompress(garbled[idat.at + 8 : idat.at + 8 + 4096])
    except zlib.error:
        return garbled
    raise BenchmarkError("The garbage pixel data inflates: it would not prove anything.")


@dataclass
class PillowCalls:
    opens: int = 0
    loads: int = 0
    decoders: int = 0

    @property
    def decoded(self) -> int:
        return max(self.loads, self.decoders)


@contextmanager
def pillow_counted() -> Iterator[PillowCalls]:
    """Count, while inside, calls to Pillow's Image.open, ImageFile.load (which decodes
    pixels) and Image._getdecoder (which every pixel decoder is made by), by wrapping
    them in this process; they are restored on leaving."""
    calls = PillowCalls()
    targets: list[tuple[Any, str, str]] = [
        (PIL.Image, "open", "opens"),
        (PIL.ImageFile.ImageFile, "load", "loads"),
        (PIL.Image, "_getdecoder", "decoders"),
    ]

    def counting(original: Callable[..., Any], field: str) -> Callable[..., Any]:
        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            setattr(calls, field, getattr(calls, field) + 1)
            return original(*args, **kwargs)

        return wrapper

    originals = [(owner, name, getattr(owner, name)) for owner, name, _field in targets]
    for (owner, name, field), (_owner, _name, original) in zip(targets, originals, strict=True):
        setattr(owner, name, counting(original, field))
    try:
        yield calls
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p90_ms: float


def _timed(work: Callable[[], object], *, repeat: int) -> Timing:
    for _ in range(WARM_UP):
        work()
    timings_ms = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings_ms.append((time.perf_counter() - start) * 1000)
    return Timing(
        median_ms=statistics.median(timings_ms),
        p90_ms=statistics.quantiles(timings_ms, n=10, method="inclusive")[8],
    )


def _check(baked: Baked, *, what: str) -> None:
    if baked.payload != PAYLOAD or baked.image_type != "png":
        raise BenchmarkError(f"extract() on {what} did not return the baked badge.")


@dataclass(frozen=True)
class ExtractionResult:
    size_bytes: int
    pixel_bytes: int
    extract: Timing
    extract_garbage: Timing
    floor: Timing
    during_extraction: PillowCalls
    pillow_once: PillowCalls  # Pillow decoding the image once, to show the counters work
    pillow_refuses_garbage: bool


def run() -> ExtractionResult:
    rng = random.Random(SEED)
    image = _badge_after_pixels(
        png_from_rgb(WIDTH, HEIGHT, rng.randbytes(WIDTH * HEIGHT * 3), level=0), PAYLOAD
    )
    garbled = _garbage_pixels(image, rng)
    kinds = [c.kind for c in chunks(image)]
    if kinds != [b"IHDR", b"IDAT", b"iTXt", b"IEND"]:
        raise BenchmarkError(f"The bench image has chunks {kinds}, not the badge after IDAT.")
    badge_at = next(c.at for c in chunks(image) if c.kind == b"iTXt") + 4
    if image.find(b"iTXt") != badge_at:  # the noise happens to spell it: the floor would lie
        raise BenchmarkError("The bench image's pixel data contains b'iTXt'; change SEED.")

    with pillow_counted() as during:
        _check(extract(image), what="the baked image")
        _check(extract(garbled), what="the image with garbage pixel data")
        timed = _timed(lambda: extract(image), repeat=REPEAT)
        timed_garbage = _timed(lambda: extract(garbled), repeat=REPEAT)
    floor = _timed(lambda: image.find(b"iTXt"), repeat=REPEAT)

    with pillow_counted() as once, PIL.Image.open(io.BytesIO(image)) as opened:
        opened.load()
    try:
        with PIL.Image.open(io.BytesIO(garbled)) as opened:
            opened.load()
        refuses = False
    except (OSError, SyntaxError, ValueError):
        refuses = True
    return ExtractionResult(
        size_bytes=len(image),
        pixel_bytes=next(c.end - c.at - 12 for c in chunks(image) if c.kind == b"IDAT"),
        extract=timed,
        extract_garbage=timed_garbage,
        floor=floor,
        during_extraction=during,
        pillow_once=once,
        pillow_refuses_garbage=refuses,
    )


def _ratio(ratio: float) -> str:
    """Like the other tables (1.0x), with the digits a ratio far below 1 needs (0.00086x)."""
    return f"{ratio:.1f}x" if ratio >= 0.1 else f"{ratio:.2g}x"


def format_result(result: ExtractionResult) -> str:
    size = f"{result.size_bytes / MB:.1f} MB"
    cells: list[tuple[str, ...]] = [
        ("badge extraction", "image", "median ms", "p90 ms", "images/s", "ratio to floor")
    ]
    for what, timing in (
        ("extract() from a PNG, badge after IDAT", result.extract),
        ("extract(), IDAT replaced by garbage", result.extract_garbage),
        ('floor: bytes.find(b"iTXt") over the same bytes', result.floor),
    ):
        cells.append(
            (
                what,
                size,
                f"{timing.median_ms:.4f}",
                f"{timing.p90_ms:.4f}",
                f"{1000 / timing.median_ms:,.0f}",
                _ratio(timing.median_ms / result.floor.median_ms),
            )
        )
    during, once = result.during_extraction, result.pillow_once
    lines = [
        format_grid(cells),
        f"extraction: {WIDTH}x{HEIGHT} RGB noise, {result.pixel_bytes / MB:.1f} MB of IDAT; "
        "garbage IDAT (not zlib) gave the same badge: yes",
        f"extraction: pixels decoded: {during.decoded} (Pillow over "
        f"{2 * (REPEAT + WARM_UP + 1)} extractions: {during.opens} opens, {during.loads} loads, "
        f"{during.decoders} decoders)",
        f"extraction: counters checked: Pillow decoding the image once counted {once.opens} "
        f"open, {once.loads} load, {once.decoders} decoder; Pillow refuses the garbage copy: "
        f"{'yes' if result.pillow_refuses_garbage else 'no'}",
    ]
    return "\n".join(lines)
