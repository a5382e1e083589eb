"""Reading generated PDFs back the way a person would: their text, and their QR codes scanned.

pypdfium2 renders a page in milliseconds and zxing-cpp decodes every code (docs/measurements.md), so
tests can check every card of a deck rather than a sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
import zxingcpp

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


@dataclass(frozen=True)
class FoundCode:
    """A decoded QR code and where its dark modules are on the page, in PDF points."""

    text: str
    box: Box


def page_sizes(pdf_bytes: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        return [tuple(round(v, 2) for v in page.get_size()) for page in document]
    finally:
        document.close()


def pdf_text(pdf_bytes: bytes) -> list[str]:
    """The extracted text of every page."""
    document = pdfium.PdfDocument(pdf_bytes)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def words(text: str) -> str:
    """Text with every run of whitespace (line breaks between wrapped lines) as one space."""
    return " ".join(text.split())


def char_boxes(pdf_bytes: bytes) -> list[list[tuple[str, Box]]]:
    """Every drawn (non-space) character of every page with its box in points."""
    document = pdfium.PdfDocument(pdf_bytes)
    pages = []
    try:
        for page in document:
            textpage = page.get_textpage()
            chars = []
            for index in range(textpage.count_chars()):
                char = textpage.get_text_range(index, 1)
                if char.strip():
                    chars.append((char, textpage.get_charbox(index)))
            pages.append(chars)
    finally:
        document.close()
    return pages


def find_qr_codes(pdf_bytes: bytes, dpi: int = 100) -> list[list[FoundCode]]:
    """Render every page at `dpi` and decode the QR codes on it, with their positions."""
    scale = dpi / 72
    document = pdfium.PdfDocument(pdf_bytes)
    pages = []
    try:
        for page in document:
            height = page.get_height()
            image = page.render(scale=scale, grayscale=True).to_pil()
            found = []
            for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                corners = [code.position.top_left, code.position.top_right]
                corners += [code.position.bottom_left, code.position.bottom_right]
                xs = [corner.x / scale for corner in corners]
                ys = [height - corner.y / scale for corner in corners]
                found.append(FoundCode(code.text, (min(xs), min(ys), max(xs), max(ys))))
            pages.append(found)
    finally:
        document.close()
    return pages


def decode_qr_codes(pdf_bytes: bytes, dpi: int = 100) -> list[list[str]]:
    """The text of every QR code on every page, as a phone would read it."""
    return [[code.text for code in page] for page in find_qr_codes(pdf_bytes, dpi)]


def inside(inner: Box, outer: Box, tolerance: float = 0.5) -> bool:
    return (
        inner[0] >= outer[0] - tolerance
        and inner[1] >= outer[1] - tolerance
        and inner[2] <= outer[2] + tolerance
        and inner[3] <= outer[3] + tolerance
    )


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
