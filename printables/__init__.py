"""Printed material for a workshop: pure functions from plain data to PDF bytes.

No Flask and no database here: the server and the CLI gather the data and call these.
Each call builds its own canvas, so builders may run in worker threads side by side.
"""

from printables.cards import LAYOUTS, CardLayout, build_card_deck, calibration_page
from printables.plan import build_plan
from printables.plan_poster import build_plan_poster
from printables.poster import build_poster
from printables.qr import draw_qr, qr_matrix, wifi_payload
from printables.report import build_report
from printables.signs import build_section_signs

__all__ = [
    "LAYOUTS",
    "CardLayout",
    "build_card_deck",
    "build_plan",
    "build_plan_poster",
    "build_poster",
    "build_report",
    "build_section_signs",
    "calibration_page",
    "draw_qr",
    "qr_matrix",
    "wifi_payload",
]
