"""QR codes drawn as one vector path, and the Wi-Fi payload phones understand.

Encoding uses a fixed error-correction level and a fixed mask pattern: letting the `qrcode`
library try all eight masks is ~85% of encoding time (docs/measurements.md), and any mask is
valid to every decoder. Mask 2 had the lowest average penalty score over typical card URLs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE_MODULES = 4
MASK_PATTERN = 2

Matrix = list[list[bool]]

WIFI_SECURITY = {
    "WPA": "WPA",
    "WPA2": "WPA",
    "WPA3": "SAE",
    "SAE": "SAE",
    "WEP": "WEP",
    "NOPASS": "nopass",
    "NONE": "nopass",
    "OPEN": "nopass",
    "": "nopass",
}


def qr_matrix(data: str) -> Matrix:
    """The dark/light modules of `data`'s QR code, without quiet zone, rows top to bottom.

    The version is the smallest that fits (the library's bit count, no trial encodes);
    error correction is M (15% of the code may be damaged or written over).
    """
    if not data:
        raise ValueError("a QR code needs some data")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK_PATTERN)
    code.add_data(data, optimize=0)
    code.make(fit=True)
    return cast(Matrix, code.modules)  # make() has set every module (None: not yet drawn)


def draw_qr(
    canvas: Canvas, data_or_matrix: str | Sequence[Sequence[bool]], x: float, y: float, size: float
) -> None:
    """Draw a QR code whose lower-left corner is (x, y), `size` points square.

    `size` includes the 4-module quiet zone, which is left unpainted: keep the area white.
    Horizontal runs of dark modules become rectangles, and runs that repeat on the next row
    are merged into taller ones, all in one filled path (sharp at any resolution, and small).
    The path is written as PDF operators directly: reportlab's per-number formatting was
    half the time of a whole card deck.
    """
    matrix = qr_matrix(data_or_matrix) if isinstance(data_or_matrix, str) else data_or_matrix
    count = len(matrix)
    module = size / (count + 2 * QUIET_ZONE_MODULES)
    # Module edges rounded once, so rectangles that touch share exactly the same edge.
    xs = [round(x + (QUIET_ZONE_MODULES + i) * module, 3) for i in range(count + 1)]
    ys = [round(y + size - (QUIET_ZONE_MODULES + i) * module, 3) for i in range(count + 1)]
    operators = ["q 0 g"]

    def emit(run: tuple[int, int], first_row: int, end_row: int) -> None:
        start, end = run
        left, bottom = xs[start], ys[end_row]
        width, height = xs[end] - left, ys[first_row] - bottom
        operators.append(f"{left:.3f} {bottom:.3f} {width:.3f} {height:.3f} re")

    open_runs: dict[tuple[int, int], int] = {}
    for row_index, row in enumerate(matrix):
        runs = set(_dark_runs(row))
        for run in [run for run in open_runs if run not in runs]:
            emit(run, open_runs.pop(run), row_index)
        for run in runs:
            open_runs.setdefault(run, row_index)
    for run, first_row in open_runs.items():
        emit(run, first_row, count)
    operators.append("f Q")
    canvas.addLiteral("\n".join(operators))


def _dark_runs(row: Sequence[bool]) -> list[tuple[int, int]]:
    runs = []
    start = None
    for index, dark in enumerate(row):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index))
            start = None
    if start is not None:
        runs.append((start, len(row)))
    return runs


def wifi_payload(ssid: str, password: str, security: str = "WPA", hidden: bool = False) -> str:
    """The `WIFI:` string that phone cameras offer to join, e.g. `WIFI:T:WPA;S:Hall;P:pw;;`.

    `security` is WPA (also WPA2), WPA3/SAE, WEP or nopass (also "", none, open); an open
    network carries no password field.
    """
    if not ssid:
        raise ValueError("a Wi-Fi QR code needs the network name (SSID)")
    kind = WIFI_SECURITY.get((security or "").strip().upper())
    if kind is None:
        raise ValueError(f"unknown Wi-Fi security {security!r}: use WPA, WPA3, WEP or nopass")
    if kind != "nopass" and not password:
        raise ValueError(f"a {kind} network needs its password")
    fields = [f"T:{kind}", f"S:{_escape_wifi(ssid)}"]
    if kind != "nopass":
        fields.append(f"P:{_escape_wifi(password)}")
    if hidden:
        fields.append("H:true")
    return "WIFI:" + "".join(field + ";" for field in fields) + ";"


def _escape_wifi(value: str) -> str:
    # Backslash first, so the escapes added for the others are not escaped again.
    for special in ("\\", ";", ",", '"', ":"):
        value = value.replace(special, "\\" + special)
    return value
