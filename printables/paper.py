"""Paper sizes and the one way printables start a PDF."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfgen.canvas import Canvas

PAGE_SIZES: dict[str, tuple[float, float]] = {"letter": letter, "a4": A4}
INCH = 72.0
MM = INCH / 25.4
CREATOR = "Workshop companion"


def page_size(name: str, landscape: bool = False) -> tuple[float, float]:
    """Width and height in points of a named paper size (portrait unless `landscape`)."""
    try:
        width, height = PAGE_SIZES[(name or "").lower()]
    except KeyError:
        valid = ", ".join(sorted(PAGE_SIZES))
        raise ValueError(f"unknown page size {name!r}: use one of {valid}") from None
    return (max(width, height), min(width, height)) if landscape else (width, height)


def new_canvas(buffer: BytesIO, size: tuple[float, float], title: str) -> Canvas:
    """A canvas writing into `buffer`; one per document, never shared between threads."""
    canvas = Canvas(buffer, pagesize=size, pageCompression=1, invariant=0)
    canvas.setTitle(title)
    canvas.setCreator(CREATOR)
    canvas.setAuthor(CREATOR)
    return canvas
