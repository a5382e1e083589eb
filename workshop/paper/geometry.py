"""Where a printed card or sign lies in a photo, from the corners of its QR code.

A QR code's four corners (as the decoder reports them, in the code's own orientation) and
the printed geometry (where printables/ drew that code on the card or sign) fix a
homography from the paper to the image: it undoes the scan's rotation and the phone's
perspective, so the whole card can be cut out upright even though only its code was found.
Pure arithmetic: eight equations solved by elimination (no numpy needed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from printables.cards import CardFace
from printables.layouts import get_layout
from printables.qr import QUIET_ZONE_MODULES, qr_matrix
from printables.signs import sign_qr_box

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left

SIGN_PAGE = (792.0, 612.0)  # a landscape Letter sign; A4's differs by a few percent
PERSPECTIVE_TOLERANCE = 0.01  # of the code's diagonal: a corner further off is perspective


@dataclass(frozen=True)
class Paper:
    """A printed rectangle (card or sign) in points, y up, and its QR symbol's corners on it."""

    width: float
    height: float
    symbol: Quad  # the dark modules' outer corners, top-left first, clockwise

    @property
    def corners(self) -> Quad:
        return ((0, self.height), (self.width, self.height), (self.width, 0), (0, 0))


def _symbol_in_box(x: float, y: float, size: float, text: str) -> Quad:
    """The corners of the symbol drawn for ``text`` in a QR box at (x, y) of side ``size``
    (quiet zone included), as printables/qr.py draws it."""
    modules = len(qr_matrix(text))
    quiet = size / (modules + 2 * QUIET_ZONE_MODULES) * QUIET_ZONE_MODULES
    left, right, bottom, top = x + quiet, x + size - quiet, y + quiet, y + size - quiet
    return ((left, top), (right, top), (right, bottom), (left, bottom))


def card_paper(layout: str, text: str) -> Paper:
    """A card printed on ``layout`` whose QR code says ``text``."""
    stock = get_layout(layout)
    face = CardFace.for_card(stock.card_width, stock.card_height)
    symbol = _symbol_in_box(face.qr_x, face.qr_y, face.qr_size, text)
    return Paper(stock.card_width, stock.card_height, symbol)


def sign_paper(text: str) -> Paper:
    width, height = SIGN_PAGE
    return Paper(width, height, _symbol_in_box(*sign_qr_box(width, height), text))


def homography(source: Sequence[Point], target: Sequence[Point]) -> tuple[float, ...]:
    """The eight coefficients (a..h) of the projective map taking the four ``source`` points
    to ``target``: x' = (a x + b y + c) / (g x + h y + 1), y' = (d x + e y + f) / (…).
    ValueError when the points are degenerate (three in a line)."""
    rows: list[list[float]] = []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -x * u, -y * u, u])
        rows.append([0, 0, 0, x, y, 1, -x * v, -y * v, v])
    return tuple(_solve(rows))


def _solve(rows: list[list[float]]) -> list[float]:
    """Gauss-Jordan elimination on an augmented square system."""
    size = len(rows)
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        if abs(rows[pivot][column]) < 1e-12:
            raise ValueError("degenerate corners")
        rows[column], rows[pivot] = rows[pivot], rows[column]
        lead = rows[column][column]
        rows[column] = [value / lead for value in rows[column]]
        for other in range(size):
            if other != column and rows[other][column]:
                factor = rows[other][column]
                rows[other] = [
                    a - factor * b for a, b in zip(rows[other], rows[column], strict=True)
                ]
    return [row[size] for row in rows]


def affine(source: Sequence[Point], target: Sequence[Point]) -> tuple[float, ...]:
    """The affine map (g = h = 0) closest to taking ``source`` to ``target`` (least squares)."""
    coefficients: list[float] = []
    for axis in (0, 1):
        normal = [[0.0] * 4 for _ in range(3)]
        for (x, y), point in zip(source, target, strict=True):
            basis = (x, y, 1.0)
            for i in range(3):
                for j in range(3):
                    normal[i][j] += basis[i] * basis[j]
                normal[i][3] += basis[i] * point[axis]
        coefficients.extend(_solve(normal))
    return (*coefficients, 0.0, 0.0)


def fit(source: Sequence[Point], target: Sequence[Point]) -> tuple[float, ...]:
    """The map from ``source`` to ``target`` to extrapolate from a QR code to its whole card.

    A flat scan is affine, and four corners found to a pixel or two make a full homography
    tilt wildly five code-widths away (the card's far edge); so the affine fit is used unless
    the corners are clearly in perspective (a phone held at an angle)."""
    flat = affine(source, target)
    size = math.dist(target[0], target[2])
    worst = max(math.dist(project(flat, s), t) for s, t in zip(source, target, strict=True))
    return flat if worst < PERSPECTIVE_TOLERANCE * size else homography(source, target)


def project(coefficients: Sequence[float], point: Point) -> Point:
    a, b, c, d, e, f, g, h = coefficients
    x, y = point
    w = g * x + h * y + 1
    return ((a * x + b * y + c) / w, (d * x + e * y + f) / w)


def paper_to_image(paper: Paper, found: Quad) -> tuple[float, ...]:
    """The map from the paper (points, y up) to the image (pixels), given where the QR
    symbol's corners were found."""
    return fit(paper.symbol, found)


def crop_map(
    paper: Paper, found: Quad, pixels_per_point: float, margin: float
) -> tuple[float, ...]:
    """The map from a crop's pixels (the paper upright, ``margin`` points around it) to the
    image's: what PIL's perspective transform takes."""

    def crop_pixel(point: Point) -> Point:
        x, y = point
        return ((x + margin) * pixels_per_point, (paper.height - y + margin) * pixels_per_point)

    return fit([crop_pixel(p) for p in paper.symbol], found)


def placed_quad(paper: Paper, found: Quad) -> Quad:
    """Where the whole card or sign lies in the image."""
    mapping = paper_to_image(paper, found)
    corners = [project(mapping, corner) for corner in paper.corners]
    return (corners[0], corners[1], corners[2], corners[3])


def centre(quad: Sequence[Point]) -> Point:
    return (sum(p[0] for p in quad) / len(quad), sum(p[1] for p in quad) / len(quad))


def down_angle(quad: Quad) -> float:
    """The direction (radians, image axes) from the top of a printed thing to its bottom."""
    (tlx, tly), _, _, (blx, bly) = quad
    return math.atan2(bly - tly, blx - tlx)
