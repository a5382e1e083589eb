"""Screenshots of the Spanish phone page and the board in projector mode, from the real app.

    .venv/bin/python docs/make_language_screenshots.py

Starts a demo server, creates a workshop written in Spanish whose language is Spanish, and
saves:
- docs/screenshots/phone-es.png: the phone page on a phone that asks for Spanish, after
  sending a note ("recibida ✓");
- docs/screenshots/board-contrast.png: that workshop's board in the high-contrast theme;
- docs/screenshots/board-big-qr.png: the big QR screen.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from docs.shots import OUT, PHONE, ROOT, demo_and_chromium, open_board, phone_context

PHONE_MAX_HEIGHT = 1400
TIMEOUT_MS = 10_000
NOTE = "¿Qué aceras cerca de las escuelas se limpian primero cuando nieva?"
WORKSHOP = {
    "title": "Plan de movilidad del barrio",
    "description": "Léalo, escriba lo que falta y ayúdenos a ordenar las ideas.",
    "sections": [
        {"title": "Caso de uso", "body": "Qué problema resuelve este plan y cómo se ve el éxito."},
        {"title": "Datos", "body": "Qué datos usaremos y de dónde vienen."},
        {"title": "Próximos pasos", "body": "Quién hace qué, y cuándo."},
    ],
    "prompts": [{"text": "¿Qué falta en este plan?", "section": "Caso de uso"}],
    "settings": {"language": "es"},
}
OTHER_NOTES = [
    "Más pasos de cebra frente a la escuela",
    "Horarios del autobús en español",
    "Bancos a la sombra en la parada",
]


def phone_screenshot(context, code: str) -> Path:
    phone = context.new_page()
    phone.goto(f"/j/{code}")
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    expect(phone.locator("body")).to_have_attribute("data-live", "online")
    phone.locator("#note-text").fill(NOTE)
    phone.locator("#note-form button[type=submit]").click()
    expect(phone.locator("#my-notes .status").first).to_contain_text("✓")
    phone.locator("#note-text").blur()
    phone.mouse.move(PHONE["width"] - 10, 10)
    height = min(phone.evaluate("document.documentElement.scrollHeight"), PHONE_MAX_HEIGHT)
    path = OUT / "phone-es.png"
    phone.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, **PHONE, "height": height})
    return path


def board_screenshots(browser, server, code: str) -> list[Path]:
    context, board = open_board(browser, server, code, NOTE, TIMEOUT_MS)
    board.locator("#contrast-toggle").click()
    expect(board.locator("html")).to_have_class(re.compile(r"\btheme-contrast\b"))
    board.wait_for_timeout(800)  # the arrival animation
    contrast = OUT / "board-contrast.png"
    board.screenshot(path=contrast)
    board.locator("#contrast-toggle").click()  # back to the normal theme for the QR screen
    board.locator("#big-qr-button").click()
    expect(board.locator("dialog.big-qr")).to_be_visible()
    board.wait_for_timeout(300)
    big_qr = OUT / "board-big-qr.png"
    board.screenshot(path=big_qr)
    context.close()
    return [contrast, big_qr]


def main() -> None:
    with demo_and_chromium() as (server, browser):
        code = server.create_workshop(**WORKSHOP)["code"]
        for number, text in enumerate(OTHER_NOTES):
            with server.attendee(code) as attendee:
                attendee.post(
                    f"{server.base_url}/api/workshops/{code}/notes",
                    json={"text": text, "client_id": f"shot-{number}"},
                ).raise_for_status()
        phone = phone_context(browser, server, TIMEOUT_MS, locale="es-ES")
        paths = [phone_screenshot(phone, code), *board_screenshots(browser, server, code)]
        for path in paths:
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
