"""Scans and wall photos made from the real printables, as a feeder or a phone would see them.

No binary fixtures: a deck or a set of signs is rendered with pypdfium2, handwriting-like
strokes are drawn in each card's writing area, and the page is then rotated, put in
perspective, blurred, lit unevenly and JPEG-compressed as asked. bench/scans.py uses the
same images to measure accuracy and speed.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

from printables.cards import CardFace
from printables.layouts import get_layout

INK = (28, 38, 110)
WALL = (214, 206, 190)


def render_pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def handwrite(
    page: Image.Image, layout: str, dpi: int, seed: int = 0, cards: int | None = None
) -> Image.Image:
    """Wavy pen strokes, like a few lines of handwriting, on each card of a deck page."""
    stock = get_layout(layout)
    face = CardFace.for_card(stock.card_width, stock.card_height)
    scale = dpi / 72
    rng = random.Random(seed)
    page = page.copy()
    draw = ImageDraw.Draw(page)
    for slot in range(stock.per_page if cards is None else cards):
        x0, y0 = stock.card_origin(slot)  # lower-left, points, y up
        left = (x0 + face.pad) * scale
        right = (x0 + face.qr_x - 8) * scale
        top = (stock.page_height - y0 - face.height * 0.55) * scale
        for line in range(3):
            y = top + line * face.rule_pitch * scale
            x = left
            while x < right - 20 * scale:
                word = rng.uniform(18, 50) * scale
                points = []
                for step in range(int(word / (2 * scale))):
                    px = x + step * 2 * scale
                    py = y - abs(math.sin(step * rng.uniform(0.6, 1.4))) * rng.uniform(4, 9) * scale
                    points.append((px, py))
                if len(points) > 1:
                    draw.line(points, fill=INK, width=max(1, round(1.1 * scale)))
                x += word + rng.uniform(5, 10) * scale
    return page


def rotate(
    image: Image.Image, degrees: float, background: tuple[int, int, int] = (255, 255, 255)
) -> Image.Image:
    return image.rotate(
        degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=background
    )


def perspective(
    image: Image.Image, degrees: float, background: tuple[int, int, int] = (255, 255, 255)
) -> Image.Image:
    """As if photographed with the camera tilted ``degrees`` from straight above: the far
    edge shrinks."""
    width, height = image.size
    shrink = math.tan(math.radians(degrees)) * 0.5  # of the width, at the far edge
    inset = width * shrink / 2
    # Output corners (the photo) come from these input corners: the top edge is narrower.
    source = [(-inset, 0), (width + inset, 0), (width, height), (0, height)]
    target = [(0, 0), (width, 0), (width, height), (0, height)]
    coefficients = _homography(target, source)
    return image.transform(
        image.size,
        Image.Transform.PERSPECTIVE,
        coefficients,
        Image.Resampling.BICUBIC,
        fillcolor=background,
    )


def _homography(
    source: Sequence[tuple[float, float]], target: Sequence[tuple[float, float]]
) -> tuple:
    from workshop.paper.geometry import homography

    return homography(source, target)


def uneven_light(image: Image.Image, strength: float = 0.35) -> Image.Image:
    """Darker towards one corner, as under a window or a desk lamp."""
    width, height = image.size
    shade = Image.linear_gradient("L").rotate(35, expand=False).resize((width, height))
    shade = shade.point(lambda v: round(255 - v * strength))
    dark = Image.new("RGB", image.size, (0, 0, 0))
    return Image.composite(image, dark, shade)


def blur(image: Image.Image, radius: float = 1.0) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(radius))


def jpeg(image: Image.Image, quality: int = 60) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf_of(images: Sequence[Image.Image], dpi: int, quality: int = 75) -> bytes:
    """A scanned PDF: one JPEG image a page, as a document feeder writes it."""
    out = io.BytesIO()
    first, *rest = [image.convert("RGB") for image in images]
    first.save(out, "PDF", save_all=True, append_images=rest, resolution=dpi, quality=quality)
    return out.getvalue()


def scanned(
    page: Image.Image,
    *,
    degrees: float = 0.0,
    tilt: float = 0.0,
    quality: int = 60,
    radius: float = 0.0,
    light: float = 0.0,
) -> Image.Image:
    """A page as a feeder or a phone gives it back."""
    image = rotate(page, degrees) if degrees else page
    if tilt:
        image = perspective(image, tilt)
    if light:
        image = uneven_light(image, light)
    if radius:
        image = blur(image, radius)
    return Image.open(io.BytesIO(jpeg(image, quality))).convert("RGB")


def deck_cards(pdf: bytes, layout: str, ppi: int, seed: int = 0) -> list[Image.Image]:
    """Each card of a deck cut out of its page (with handwriting), at ``ppi``."""
    stock = get_layout(layout)
    scale = ppi / 72
    cards = []
    for number, page in enumerate(render_pages(pdf, ppi)):
        page = handwrite(page, layout, ppi, seed=seed + number)
        for slot in range(stock.per_page):
            x, y = stock.card_origin(slot)
            top = stock.page_height - y - stock.card_height
            box = (
                x * scale,
                top * scale,
                (x + stock.card_width) * scale,
                (top + stock.card_height) * scale,
            )
            cards.append(page.crop(tuple(round(v) for v in box)))
    return cards


def wall(
    signs: Sequence[Image.Image], columns: Sequence[Sequence[Image.Image]], ppi: int, seed: int = 0
) -> tuple[Image.Image, list[list[int]]]:
    """Signs in a row at the top of a wall, each with its cards stuck below it, two abreast,
    a little askew. Returns the photo and, per sign, the indexes of its cards."""
    rng = random.Random(seed)
    gap = ppi // 2
    sign_w, sign_h = signs[0].size
    rows = max((len(column) + 1) // 2 for column in columns)
    card_h = max(card.height for column in columns for card in column) if rows else 0
    width = len(signs) * (sign_w + gap) + gap
    height = gap + sign_h + gap + rows * (card_h + gap // 2) + gap
    photo = Image.new("RGB", (width, height), WALL)
    placed: list[list[int]] = []
    index = 0
    for number, (sign, column) in enumerate(zip(signs, columns, strict=True)):
        x0 = gap + number * (sign_w + gap)
        photo.paste(sign, (x0, gap))
        placed.append([])
        for position, card in enumerate(column):
            row, side = divmod(position, 2)
            tilted = card.rotate(rng.uniform(-4, 4), expand=True, fillcolor=WALL)
            x = x0 + side * (sign_w // 2) + rng.randint(0, max(1, sign_w // 2 - tilted.width))
            y = gap + sign_h + gap + row * (card_h + gap // 2)
            photo.paste(tilted, (x, y))
            placed[-1].append(index)
            index += 1
    return photo, placed
