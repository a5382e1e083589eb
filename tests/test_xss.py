"""The XSS corpus everywhere people's text appears: pages, PDFs, CSV, and in Chromium."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.liveserver import TOKEN
from tests.pdfcheck import pdf_text
from tests.xss_corpus import PAYLOADS
from workshop.board import sorting
from workshop.notes import notes
from workshop.paper import cards
from workshop.workshops import workshops

BEARER = {"Authorization": f"Bearer {TOKEN}"}  # a script's call: prints new cards by GET


@pytest.fixture
def hostile(app):
    """A workshop whose every text field is an attack."""
    store = app.extensions["workshop"].store
    w = workshops.create_workshop(
        store,
        title=PAYLOADS[0],
        description=PAYLOADS[1],
        sections=[{"title": p[:80], "body": p} for p in dict.fromkeys(PAYLOADS[2:8])],
        prompts=[{"text": PAYLOADS[9]}],
    )
    ids = []
    for number, payload in enumerate(PAYLOADS):
        note, _ = notes.create_note(
            store, w["code"], text=payload, client_id=f"x{number}", author_label=PAYLOADS[1][:40]
        )
        ids.append(note["id"])
    sorting.create_group(store, ids[:2], label=PAYLOADS[2][:80])
    card = cards.issue_cards(store, w["code"], 1)[0]
    return {"code": w["code"], "card": card["code"], "store": store}


TAGS = "script|img|svg|iframe|object|body|details|math|style|link|meta|input|marquee|video"
RAW = re.compile(rf"<({TAGS})\b[^>]*(\son\w+=|src=x|javascript:|alert)", re.I)


def test_pages_show_every_payload_as_text(facilitator, hostile):
    code = hostile["code"]
    for path in (
        f"/j/{code}",
        f"/w/{code}/board",
        f"/w/{code}/summary",
        f"/c/{hostile['card']}",
        "/",
    ):
        html = facilitator.get(path).get_data(as_text=True)
        assert not RAW.search(html), (path, RAW.search(html))
        assert "<script>alert" not in html


def test_stored_text_is_the_text_typed_minus_invisible_tricks(hostile):
    stored = {n["text"] for n in notes.list_notes(hostile["store"].db, hostile["code"])}
    assert "<script>alert(1)</script>" in stored
    assert "evil reversed" in stored  # the right-to-left override is gone
    assert "broken  surrogate" in stored  # the lone surrogate is gone


def test_pdfs_print_payloads_as_text(facilitator, hostile):
    code = hostile["code"]
    deck = facilitator.get(f"/api/workshops/{code}/cards.pdf?count=1", headers=BEARER).data
    assert "<script>alert(1)</script>" in " ".join(pdf_text(deck))  # the workshop title
    signs = " ".join(
        " ".join(pdf_text(facilitator.get(f"/api/workshops/{code}/signs.pdf").data)).split()
    )
    assert "<svg onload=alert(3)>" in signs


def test_csv_neutralises_formulas(facilitator, hostile):
    text = facilitator.get(f"/api/workshops/{hostile['code']}/export.csv").get_data(as_text=True)
    cells = [row["text"] for row in csv.DictReader(io.StringIO(text))]
    assert all(cell[:1] not in "=+-@" for cell in cells)
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(A1:A9)" in cells


def test_markdown_export_cannot_link_or_inject(facilitator, hostile):
    text = facilitator.get(f"/api/workshops/{hostile['code']}/export.md").get_data(as_text=True)
    assert "<script>" not in text and "](javascript" not in text


# Elements whose markup carries an event handler or a script URL: none may exist.
INJECTED = """() => [...document.querySelectorAll('*')]
    .filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)
                                           || /javascript:/i.test(a.value)))
    .length"""


@pytest.mark.browser
def test_chromium_shows_the_corpus_as_text_and_runs_nothing(contexts, live_server):
    session = live_server.facilitator()
    w = live_server.create_workshop(title=PAYLOADS[0], sections=[{"title": PAYLOADS[2][:80]}])
    for number, payload in enumerate(PAYLOADS):
        session.post(
            f"{live_server.base_url}/api/workshops/{w['code']}/notes",
            json={"text": payload, "client_id": f"x{number}"},
        )
    context = contexts(live_server.base_url)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (f"/w/{w['code']}/board", f"/j/{w['code']}", f"/w/{w['code']}/summary"):
        page.goto(live_server.base_url + path)
        if "/summary" not in path:  # live pages: until the fetched state is drawn
            expect(page.locator("body")).to_have_attribute("data-sync", "done")
        injected = page.evaluate(INJECTED)
        assert 0 == injected, path
        assert page.get_by_text("<script>alert(1)</script>").first.is_visible() or path.endswith(
            "/j/" + w["code"]
        )
    assert [] == dialogs
