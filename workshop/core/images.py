"""Photos of handwritten cards: check the bytes are an image, strip everything else.

Re-encoding as JPEG drops EXIF (location, camera, time) and anything smuggled after the
image data; the size is capped so a phone's 12-megapixel photo does not fill the disk.

A photo is stored only for a change that keeps it (:func:`stored_photo`): one refused
afterwards (the card was entered already, a caption too long, a resend of a note that has
its own photo) leaves no file behind.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from workshop.core.errors import Invalid
from workshop.core.files import private_dir, write_private

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
            # A JPEG is decoded at 1/2, 1/4 or 1/8 scale when that still covers LONG_SIDE:
            # a 40-megapixel photo then costs a fraction of its full decode.
            opened.draft(None, _draft_size(opened.size))
            image = ImageOps.exif_transpose(opened).convert("RGB")
            image.thumbnail((LONG_SIDE, LONG_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid("that file is not a photo (JPEG, PNG or WebP)") from None
    return out.getvalue()


def _draft_size(size: tuple[int, int]) -> tuple[int, int]:
    """The smallest size whose long side is still LONG_SIDE, in the photo's proportions."""
    width, height = size
    scale = min(1.0, LONG_SIDE / max(width, height, 1))
    return max(1, int(width * scale)), max(1, int(height * scale))


def save_photo(folder: Path, cleaned: bytes, prefix: str) -> str:
    """Store a photo :func:`clean_photo` made; return its file name (random, so it cannot be
    guessed)."""
    return _store(folder, cleaned, prefix)


def save_image(folder: Path, image: Image.Image, prefix: str) -> str:
    """Store an image made here (a card cut out of a scan) as a JPEG; return its file name."""
    out = io.BytesIO()
    image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(
        out, "JPEG", quality=82, optimize=True
    )
    return _store(folder, out.getvalue(), prefix)


def _store(folder: Path, jpeg: bytes, prefix: str) -> str:
    private_dir(folder)
    name = f"{prefix}-{secrets.token_urlsafe(9)}.jpg"
    write_private(folder / name, jpeg)
    return name


def remove_photo_file(folder: Path | None, name: str | None) -> bool:
    """Delete a stored photo by its file name (never a path out of ``folder``)."""
    if folder is None or not name or "/" in name or "\\" in name or name.startswith("."):
        return False
    path = folder / name
    if not path.is_file():
        return False
    path.unlink()
    return True


@dataclass
class StoredPhoto:
    name: str
    kept: bool = False  # set by the change that now refers to it


@contextmanager
def stored_photo(folder: Path, cleaned: bytes, prefix: str) -> Iterator[StoredPhoto]:
    """Store the photo for the block's change; unless the block sets ``kept`` (and does not
    fail), the file is removed again."""
    photo = StoredPhoto(save_photo(folder, cleaned, prefix))
    try:
        yield photo
    finally:
        if not photo.kept:
            remove_photo_file(folder, photo.name)
