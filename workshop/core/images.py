"""Photos of handwritten cards: check the bytes are an image, strip everything else.

Re-encoding as JPEG drops EXIF (location, camera, time) and anything smuggled after the
image data; the size is capped so a phone's 12-megapixel photo does not fill the disk.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from workshop.core.errors import Invalid

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
LONG_SIDE = 1600
ACCEPTED = {"JPEG", "PNG", "WEBP", "HEIF", "MPO", "GIF", "BMP"}


def clean_photo(data: bytes) -> bytes:
    """The photo as a fresh JPEG without metadata, turned upright, at most LONG_SIDE px."""
    if not data:
        raise Invalid("the photo is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid(
            "the photo is too large (the limit is %(size)s MB)", size=MAX_UPLOAD_BYTES // 2**20
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED:
                raise Invalid("that file is not a photo (JPEG, PNG or WebP)")
            if probe.width * probe.height > MAX_PIXELS:
                raise Invalid("the photo has too many pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
            image.thumbnail((LONG_SIDE, LONG_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid("that file is not a photo (JPEG, PNG or WebP)") from None
    return out.getvalue()


def save_photo(folder: Path, data: bytes, prefix: str) -> str:
    """Clean and store a photo; return its file name (random, so it cannot be guessed)."""
    return _store(folder, clean_photo(data), prefix)


def save_image(folder: Path, image: Image.Image, prefix: str) -> str:
    """Store an image made here (a card cut out of a scan) as a JPEG; return its file name."""
    out = io.BytesIO()
    image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(
        out, "JPEG", quality=82, optimize=True
    )
    return _store(folder, out.getvalue(), prefix)


def _store(folder: Path, jpeg: bytes, prefix: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{prefix}-{secrets.token_urlsafe(9)}.jpg"
    (folder / name).write_bytes(jpeg)
    return name
