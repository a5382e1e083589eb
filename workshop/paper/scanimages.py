"""Scanned paper as images: the pages of an upload, the QR codes on each, the cards cut out.

No database here: this is the CPU-heavy half of a scan, run in a worker process
(workshop/paper/scanworker.py) so the server's event loop stays free. Every refusal is an
``Invalid`` with a message the scribe can act on, for that file or page alone.

Limits (docs/api.md): a file of at most ``MAX_FILE_BYTES``; a PDF of at most
``MAX_PDF_PAGES`` pages, each rendered at ``PDF_DPI``; an image of at most
``MAX_PIXELS`` pixels, refused from its header before it is decoded (an image bomb).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageOps, UnidentifiedImageError

from workshop.core import codes
from workshop.core.errors import Invalid
from workshop.core.images import MAX_PIXELS
from workshop.paper.geometry import Paper, Quad, crop_map

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 100
PDF_DPI = 200  # a card's QR code is ~210 px across: 7 px a module, plenty for the decoder
ACCEPTED_IMAGES = {"JPEG", "PNG", "WEBP", "MPO"}
CROP_PIXELS_PER_INCH = 200  # handwriting stays legible on the board and in the queue
CROP_MARGIN = 0.12 * 72  # points around the card: slack for the corners' error

CARD_URL = re.compile(r"/c/([A-Za-z0-9]{4,12})$")
SIGN_URL = re.compile(r"/w/([A-Za-z0-9]{4,12})/board#section-([0-9]{1,12})$")

Page = Callable[[], Image.Image]


def open_pages(name: str, data: bytes) -> list[Page]:
    """The pages of one uploaded file, each loaded when called; Invalid for the whole file
    when it is empty, too large, neither a PDF nor an image, or has too many pages."""
    if not data:
        raise Invalid("the file %(file)s is empty", file=name)
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(
            "the file %(file)s is too large (the limit is %(size)s MB)",
            file=name,
            size=MAX_FILE_BYTES // 2**20,
        )
    if data[:5] == b"%PDF-":
        return _pdf_pages(name, data)
    _check_image(name, data)
    return [partial(_load_image, name, data)]


def _pdf_pages(name: str, data: bytes) -> list[Page]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise Invalid(
            "the PDF %(file)s cannot be read (damaged, or protected by a password)", file=name
        ) from None
    count = len(document)
    if count > MAX_PDF_PAGES:
        document.close()
        raise Invalid(
            "the PDF %(file)s has %(count)s pages; the limit is %(limit)s a file: split it",
            file=name,
            count=count,
            limit=MAX_PDF_PAGES,
        )
    if count == 0:
        raise Invalid("the PDF %(file)s has no pages", file=name)

    def render(index: int) -> Image.Image:
        page = document[index]
        width, height = page.get_size()
        scale = PDF_DPI / 72
        if width * height * scale * scale > MAX_PIXELS:
            raise Invalid("page %(page)s is too large to scan", page=index + 1)
        return page.render(scale=scale).to_pil().convert("RGB")

    return [partial(render, index) for index in range(count)]


def _check_image(name: str, data: bytes) -> None:
    """Refuse what is not an accepted image, or too many pixels, from the header alone."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_IMAGES:
                raise _not_a_scan(name)
            if probe.width * probe.height > MAX_PIXELS:
                raise Invalid(
                    "the image %(file)s has too many pixels "
                    "(%(pixels)s million; the limit is %(limit)s million)",
                    file=name,
                    pixels=probe.width * probe.height // 1_000_000,
                    limit=MAX_PIXELS // 1_000_000,
                )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_a_scan(name) from None
    except Image.DecompressionBombError:
        raise Invalid("the image %(file)s has too many pixels", file=name) from None


def _not_a_scan(name: str) -> Invalid:
    return Invalid("%(file)s is not a scan: send a PDF, JPEG or PNG", file=name)


def _load_image(name: str, data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as opened:
            return ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid("the image %(file)s is damaged and cannot be read", file=name) from None


@dataclass(frozen=True)
class Code:
    """A QR code found in an image: what it says and its symbol's corners (pixels)."""

    text: str
    corners: Quad

    @property
    def card_code(self) -> str | None:
        """The card code, for one of our note cards (its URL, or the bare code)."""
        match = CARD_URL.search(self.text)
        code = match.group(1) if match else self.text.strip()
        code = codes.normalise(code)
        return code if codes.looks_like_code(code, codes.CARD_CODE_LENGTH) else None

    @property
    def sign(self) -> tuple[str, int] | None:
        """(join code, section id) for one of our section signs."""
        match = SIGN_URL.search(self.text)
        return (match.group(1).upper(), int(match.group(2))) if match else None


def find_codes(image: Image.Image) -> list[Code]:
    """Every QR code zxing-cpp reads in the image, each once."""
    found = zxingcpp.read_barcodes(
        image.convert("L"),
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
        try_invert=False,
    )
    seen: dict[str, Code] = {}
    for barcode in found:
        position = barcode.position
        corners = tuple(
            (float(point.x), float(point.y))
            for point in (
                position.top_left,
                position.top_right,
                position.bottom_right,
                position.bottom_left,
            )
        )
        seen.setdefault(barcode.text, Code(barcode.text, corners))  # type: ignore[arg-type]
    return list(seen.values())


def cut_out(image: Image.Image, paper: Paper, corners: Quad) -> Image.Image:
    """The card upright, at CROP_PIXELS_PER_INCH, from where its QR code was found."""
    scale = CROP_PIXELS_PER_INCH / 72
    size = (
        round((paper.width + 2 * CROP_MARGIN) * scale),
        round((paper.height + 2 * CROP_MARGIN) * scale),
    )
    mapping = crop_map(paper, corners, scale, CROP_MARGIN)
    return image.transform(
        size,
        Image.Transform.PERSPECTIVE,
        mapping,
        # Bilinear: the crop is near the page's own resolution, and bicubic took 2.3× as
        # long (0.14 s a card against 0.06 s), most of a 100-card scan (docs/performance.md).
        Image.Resampling.BILINEAR,
        fillcolor="white",
    )
