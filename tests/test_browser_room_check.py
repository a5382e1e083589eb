"""Check the room in real Chromium against a real server: the facilitator's panel shows the
address in the QR codes and whether it answers; its test QR code, scanned (decoded from the
panel's pixels) and opened on a phone, makes the laptop say "a phone reached the laptop"."""

from __future__ import annotations

import io
import os
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.axe import axe_violations, describe
from tests.liveserver import TOKEN
from tests.pages import watch

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
# Set to a folder to keep the screenshots (docs/venue.md's pictures are made this way).
SHOTS = os.environ.get("WORKSHOP_SHOTS")


def scan(png: bytes) -> str:
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


def test_a_phone_that_opens_the_test_code_is_seen_by_the_laptop(contexts, live_server, tmp_path):
    problems: list[str] = []
    laptop = watch(contexts(live_server.base_url, viewport=LAPTOP).new_page(), problems)
    laptop.goto(f"/facilitator?token={TOKEN}")
    panel = laptop.locator(".room-check")
    panel.get_by_role("button", name="Check the room").click()
    expect(laptop.locator("#room-check-qr-url")).to_have_text(live_server.base_url)
    findings = laptop.locator("#room-check-findings")
    port = live_server.port
    expect(findings).to_contain_text(f"The server answers on 127.0.0.1 port {port}")
    expect(findings.locator(".finding-fail")).to_contain_text("this laptop itself")  # loopback
    expect(laptop.locator("#room-check-phone-status")).to_have_text(
        "Waiting for a phone to open the code…"
    )
    qr = laptop.locator("#room-check-phone-qr")
    expect(qr).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
    url = scan(qr.screenshot())
    assert url.startswith(f"{live_server.base_url}/check/")
    assert url == laptop.locator("#room-check-phone-url").text_content()

    phone = watch(
        contexts(live_server.base_url, viewport=PHONE, is_mobile=True, has_touch=True).new_page(),
        problems,
    )
    phone.goto(url)
    expect(phone.locator("#check-status")).to_contain_text("This phone reached the laptop.")
    expect(laptop.locator("#room-check-phone-status")).to_have_text(
        "A phone reached the laptop from 127.0.0.1. Phones on this Wi-Fi can join."
    )
    laptop.locator("#room-check-advice summary").click()
    expect(laptop.locator("#room-check-isolation")).to_contain_text("client or AP isolation")
    shots = SHOTS or str(tmp_path)
    panel.screenshot(path=f"{shots}/room-check.png")
    phone.screenshot(path=f"{shots}/room-check-phone.png")
    assert [] == problems  # CSP violations included

    # WCAG AA, in contexts that let axe's script in (the app's CSP refuses it).
    laptop = contexts(live_server.base_url, viewport=LAPTOP, bypass_csp=True).new_page()
    laptop.goto(f"/facilitator?token={TOKEN}")
    laptop.get_by_role("button", name="Check the room").click()
    expect(laptop.locator("#room-check-phone-status")).not_to_be_empty()
    phone = contexts(live_server.base_url, viewport=PHONE, bypass_csp=True).new_page()
    phone.goto(url)
    expect(phone.locator("#check-status")).to_contain_text("This phone reached the laptop.")
    for page in (laptop, phone):
        violations = axe_violations(page)
        assert [] == violations, describe(violations)
