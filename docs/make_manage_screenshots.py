"""Screenshots of the facilitator's console and the summary page, from the real app.

Starts `workshop demo` on a free loopback port in a temporary data directory; a scribe types
in a printed card (with its photo), a phone posts a note, and the facilitator records next
steps linked to the notes they answer. Then it saves:

- docs/screenshots/manage.png: the manage page at 1280 px wide (scribes and next steps);
- docs/screenshots/summary.png: the summary page on a 390 px phone, with that phone's note
  and what became of it.

Run it with `.venv/bin/python docs/make_manage_screenshots.py`.
"""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docs.shots import demo_and_chromium, phone_context  # noqa: E402
from tests.liveserver import LiveServer  # noqa: E402 - needs the checkout on sys.path

CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / "docs" / "screenshots"
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MANAGE_HEIGHT = 1500  # from the scribes to the next steps
SUMMARY_HEIGHT = 1500  # the header, "Your notes", the card lookup and "What we will do"
TIMEOUT_MS = 10_000
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
HANDWRITTEN = "Benches on the long hill, for the grandparents who walk the kids"
PHONE_NOTE = "Put the route maps up in the school office too, not just online"


def card_photo() -> bytes:
    """A stand-in for a phone photo of a handwritten card."""
    image = Image.new("RGB", (900, 540), (252, 250, 242))
    draw = ImageDraw.Draw(image)
    small, large = ImageFont.truetype(FONT, 34), ImageFont.truetype(FONT, 52)
    draw.text((40, 40), "What is missing from this plan?", fill=(60, 60, 60), font=small)
    for row, line in enumerate(
        ("Benches on the long hill,", "for the grandparents", "who walk the kids")
    ):
        draw.text((70, 170 + row * 90), line, fill=(25, 45, 150), font=large)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def prepare(server: LiveServer, phone) -> str:
    """The demo workshop with a transcribed card, a phone's note and three next steps."""
    base, facilitator = server.base_url, server.facilitator()
    code = facilitator.get(f"{base}/api/workshops", timeout=5).json()[0]["code"]
    facilitator.get(f"{base}/api/workshops/{code}/cards.pdf?count=1", timeout=30).raise_for_status()
    database = sqlite3.connect(f"file:{server.data_dir / 'workshop.db'}?mode=ro", uri=True)
    (card,) = database.execute("SELECT code FROM cards").fetchone()
    database.close()
    facilitator.post(
        f"{base}/api/cards/{card}/note",
        data={"text": HANDWRITTEN, "client_id": "screenshot-card"},
        files={"photo": ("card.jpg", card_photo(), "image/jpeg")},
        headers={"X-Workshop-Upload": "1"},
        timeout=10,
    ).raise_for_status()
    phone.request.post(f"/api/workshops/{code}/join", data={"name": "Sam"})
    phone.request.post(
        f"/api/workshops/{code}/notes", data={"text": PHONE_NOTE, "client_id": "screenshot-phone"}
    )
    notes = {
        n["text"]: n["id"] for n in facilitator.get(f"{base}/api/workshops/{code}/notes").json()
    }

    def linked(*starts: str) -> list[int]:
        return [i for text, i in notes.items() if text.startswith(starts)]

    for step in (
        {
            "text": "Print a route map for every school office and library branch",
            "owner": "Transportation dept.",
            "due": "2027-08-15",
            "status": "planned",
            "note_ids": linked("Put the route maps", "Maps in Spanish"),
        },
        {
            "text": "Ask Parks for benches on the three steepest routes",
            "owner": "Parks and Recreation",
            "due": "2027-05-01",
            "status": "considering",
            "note_ids": linked("Benches on the long hill", "Seniors who walk"),
        },
        {
            "text": "Add near-miss reports to the published data",
            "owner": "Open data team",
            "status": "declined",
            "reason": "The state crash system cannot take them yet; we will ask again in 2028",
            "note_ids": linked("Near misses"),
        },
    ):
        facilitator.post(f"{base}/api/workshops/{code}/next-steps", json=step).raise_for_status()
    return code


def manage_screenshot(browser, server: LiveServer, code: str) -> Path:
    context = browser.new_context(base_url=server.base_url, viewport=LAPTOP, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"/facilitator?token={server.token}")
    page.goto(f"/w/{code}/manage")
    expect(page.locator("body")).to_have_attribute("data-live", "online")
    expect(page.locator("#steps-list .step")).to_have_count(3)
    page.get_by_role("button", name="Make a scribe link").click()
    expect(page.locator("#scribe-url")).to_contain_text("/scribe?token=")
    page.locator("#paper-list img").first.evaluate("img => img.decode()")
    top = page.locator("#scribes").evaluate("node => node.getBoundingClientRect().top + scrollY")
    path = OUT / "manage.png"
    page.mouse.move(LAPTOP["width"] - 5, 5)
    page.screenshot(
        path=path,
        full_page=True,
        clip={"x": 0, "y": top - 12, "width": LAPTOP["width"], "height": MANAGE_HEIGHT},
    )
    context.close()
    return path


def summary_screenshot(phone, code: str) -> Path:
    page = phone.new_page()
    page.goto(f"/w/{code}/summary")
    expect(page.locator(".mine-panel .outcome")).to_contain_text("Answered")
    height = min(page.evaluate("document.documentElement.scrollHeight"), SUMMARY_HEIGHT)
    path = OUT / "summary.png"
    page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, **PHONE, "height": height})
    return path


def main() -> None:
    with demo_and_chromium() as (server, browser):
        phone = phone_context(browser, server, TIMEOUT_MS)
        code = prepare(server, phone)
        for path in (manage_screenshot(browser, server, code), summary_screenshot(phone, code)):
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
