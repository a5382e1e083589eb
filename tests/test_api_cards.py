"""Printed decks, posters and signs over HTTP, read back as a person would; scanned cards
entered by attendees and scribes; photos of handwritten cards."""

import io
import re

import pytest
from PIL import Image

from tests.liveserver import TOKEN
from tests.pdfcheck import decode_qr_codes, page_sizes, pdf_text

BEARER = {"Authorization": f"Bearer {TOKEN}"}  # a script's call: prints new cards by GET


@pytest.fixture
def scribe(app, facilitator, workshop):
    link = facilitator.post(f"/api/workshops/{workshop['code']}/scribe-links").json
    client = app.test_client()
    response = client.get(link["url"].replace("http://lan:5000", ""))
    assert 302 == response.status_code
    return client


def deck(client, workshop, query="count=6"):
    return client.get(f"/api/workshops/{workshop['code']}/cards.pdf?{query}", headers=BEARER)


def test_a_deck_has_one_scannable_qr_per_card_each_opening_its_card(facilitator, client, workshop):
    response = deck(facilitator, workshop)
    assert (200, "application/pdf") == (response.status_code, response.mimetype)
    urls = [url for page in decode_qr_codes(response.data, dpi=100) for url in page]
    assert 6 == len(set(urls))
    assert all(re.fullmatch(r"http://lan:5000/c/[A-Z0-9]{6}", url) for url in urls)
    text = " ".join(pdf_text(response.data))
    for url in urls:
        code = url.rsplit("/", 1)[1]
        assert code in text
        page = client.get(f"/c/{code}")
        assert 200 == page.status_code
    assert "What is missing?" in text and "Is the timeline right?" in text
    assert [(792.0, 612.0)] * 2 == page_sizes(response.data)  # 4 cards a landscape letter page


@pytest.mark.parametrize(
    "query, message",
    [
        ("layout=poster", "unknown layout 'poster'; layouts: letter"),
        ("count=5000", "count must be between 1 and 1000"),
        ("count=lots", "count must be a whole number"),
        ("prompt_id=99999", "no prompt 99999"),
    ],
)
def test_bad_deck_requests_are_400_and_issue_no_card(app, facilitator, workshop, query, message):
    response = deck(facilitator, workshop, query)
    assert response.status_code in (400, 404)
    assert message in response.json["error"]
    assert 0 == app.extensions["workshop"].store.db["cards"].count


def test_attendees_and_scribes_cannot_print(attendee, scribe, workshop):
    for client in (attendee, scribe):
        for path in ("cards.pdf", "poster.pdf", "signs.pdf"):
            response = client.get(f"/api/workshops/{workshop['code']}/{path}")
            assert 403 == response.status_code
        assert 403 == client.post(f"/api/workshops/{workshop['code']}/scribe-links").status_code


def test_the_poster_joins_the_workshop_and_the_wifi(facilitator, workshop):
    response = facilitator.get(
        f"/api/workshops/{workshop['code']}/poster.pdf?wifi_ssid=Library;Guest&wifi_password=p:ss"
    )
    assert 200 == response.status_code
    (codes,) = decode_qr_codes(response.data, dpi=72)
    assert {
        f"http://lan:5000/j/{workshop['code']}",
        r"WIFI:T:WPA;S:Library\;Guest;P:p\:ss;;",
    } == set(codes)
    assert workshop["code"] in pdf_text(response.data)[0]


def test_section_signs_are_one_page_per_section(facilitator, workshop):
    response = facilitator.get(f"/api/workshops/{workshop['code']}/signs.pdf")
    pages = pdf_text(response.data)
    assert len(workshop["sections"]) == len(pages)
    assert "Timeline" in pages[3]


def card_code(facilitator, workshop):
    urls = decode_qr_codes(deck(facilitator, workshop, "count=1").data)[0]
    return urls[0].rsplit("/", 1)[1]


def test_an_attendee_scanning_a_card_posts_a_phone_note_with_its_prompt(
    facilitator, attendee, workshop
):
    code = card_code(facilitator, workshop)
    response = attendee.post(
        f"/api/cards/{code}/note", json={"text": "Ask bus drivers", "client_id": "a"}
    )
    assert 201 == response.status_code
    note = response.json
    assert ("phone", code, workshop["prompts"][0]["id"]) == (
        note["source"],
        note["card_code"],
        note["prompt_id"],
    )
    page = attendee.get(f"/c/{code}").get_data(as_text=True)
    assert "What is missing?" in page


def test_a_scribe_transcribes_a_card_and_corrects_it(facilitator, scribe, client, workshop):
    code = card_code(facilitator, workshop)
    page = scribe.get(f"/c/{code}").get_data(as_text=True)
    assert "What is written on the card" in page
    created = scribe.post(
        f"/api/cards/{code}/note", json={"text": "Snow on sidewlks", "client_id": "s"}
    )
    assert (201, "paper", "scribe") == (
        created.status_code,
        created.json["source"],
        created.json["entered_by"],
    )
    second = scribe.post(f"/api/cards/{code}/note", json={"text": "Again", "client_id": "t"})
    assert 409 == second.status_code
    assert "already entered" in second.json["error"]
    fixed = scribe.put(f"/api/cards/{code}/note", json={"text": "Snow on sidewalks"})
    assert (200, "Snow on sidewalks") == (fixed.status_code, fixed.json["text"])
    assert "Snow on sidewalks" == client.get(f"/api/cards/{code}").json["note"]["text"]


def test_a_scribe_can_do_nothing_else(scribe, attendee, facilitator, app, workshop):
    note = attendee.post(
        f"/api/workshops/{workshop['code']}/notes", json={"text": "Mine", "client_id": "m"}
    ).json
    assert 403 == scribe.patch(f"/api/notes/{note['id']}", json={"hidden": True}).status_code
    assert (
        403
        == scribe.put(
            f"/api/workshops/{workshop['code']}/phase", json={"phase": "vote"}
        ).status_code
    )
    assert 403 == scribe.post("/api/workshops", json={"title": "Mine"}).status_code
    other = facilitator.post("/api/workshops", json={"title": "Other", "prompts": ["Q"]}).json
    code = card_code(facilitator, other)
    refused = scribe.post(f"/api/cards/{code}/note", json={"text": "x", "client_id": "x"})
    assert 403 == refused.status_code  # in another workshop a scribe is just a visitor
    assert "join the workshop first" in refused.json["error"]


def test_an_attendee_cannot_correct_a_card(facilitator, attendee, scribe, workshop):
    code = card_code(facilitator, workshop)
    scribe.post(f"/api/cards/{code}/note", json={"text": "Right", "client_id": "s"})
    response = attendee.put(f"/api/cards/{code}/note", json={"text": "Wrong"})
    assert 403 == response.status_code


def test_unknown_card_is_404(client):
    assert 404 == client.get("/api/cards/AAAAAA").status_code
    assert 404 == client.get("/c/AAAAAA", headers={"Accept": "text/html"}).status_code


UPLOAD = {"X-Workshop-Upload": "1"}


def jpeg_with_location():
    image = Image.new("RGB", (2400, 1200), "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_of_the_card_is_stored_without_its_location(facilitator, scribe, workshop):
    code = card_code(facilitator, workshop)
    response = scribe.post(
        f"/api/cards/{code}/note",
        data={"client_id": "p", "photo": (io.BytesIO(jpeg_with_location()), "card.jpg")},
        headers=UPLOAD,
    )
    assert 201 == response.status_code, response.json
    note = response.json
    assert "Handwritten card (see the photo)" == note["text"]
    with scribe.get(f"/photos/{note['photo']}") as photo:
        assert 200 == photo.status_code
        stored = Image.open(io.BytesIO(photo.data))
        assert (1600, 800) == stored.size
        assert 0 == len(stored.getexif())


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"<?php echo 'hi'; ?>", "not a photo"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "not a photo"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused(facilitator, scribe, workshop, payload, message):
    code = card_code(facilitator, workshop)
    response = scribe.post(
        f"/api/cards/{code}/note",
        data={"client_id": "p", "photo": (io.BytesIO(payload), "card.jpg")},
        headers=UPLOAD,
    )
    assert (400, True) == (response.status_code, message in response.json["error"])
    assert None is scribe.get(f"/api/cards/{code}").json["note"]


def test_an_attendee_cannot_upload_a_photo(facilitator, attendee, workshop):
    code = card_code(facilitator, workshop)
    response = attendee.post(
        f"/api/cards/{code}/note",
        data={"client_id": "p", "text": "x", "photo": (io.BytesIO(jpeg_with_location()), "c.jpg")},
        headers=UPLOAD,
    )
    assert 403 == response.status_code


def test_an_upload_over_the_limit_is_413(facilitator, scribe, workshop):
    code = card_code(facilitator, workshop)
    body = (
        b'--B\r\nContent-Disposition: form-data; name="photo"; filename="big.jpg"\r\n'
        b"Content-Type: image/jpeg\r\n\r\n" + b"x" * (11 * 1024 * 1024) + b"\r\n--B--\r\n"
    )
    response = scribe.post(
        f"/api/cards/{code}/note",
        data=body,
        content_type="multipart/form-data; boundary=B",
        headers=UPLOAD,
    )
    assert 413 == response.status_code
    assert "too large" in response.json["error"]


def test_the_scribe_link_as_a_qr_code(facilitator, scribe, workshop, client):
    from workshop.web.qrsvg import qr_svg

    link = facilitator.post(f"/api/workshops/{workshop['code']}/scribe-links").json
    path = f"/w/{workshop['code']}/scribe-qr.svg?token={link['token']}"
    with facilitator.get(path) as response:
        assert (200, qr_svg(link["url"])) == (response.status_code, response.data)
    assert 403 == client.get(path).status_code
    assert 404 == facilitator.get(f"/w/{workshop['code']}/scribe-qr.svg?token=guess").status_code


def test_a_mistyped_card_code_is_asked_again(client):
    response = client.get("/card?code=k7pqxz")
    assert 404 == response.status_code
    html = response.get_data(as_text=True)
    assert "No card has the code k7pqxz" in html and 'value="k7pqxz"' in html


def codes_in(pdf: bytes) -> list[str]:
    return sorted(url.rsplit("/", 1)[1] for page in decode_qr_codes(pdf, dpi=100) for url in page)


def test_printing_new_cards_is_a_post_and_the_pdf_reprints_the_deck(app, facilitator, workshop):
    code = workshop["code"]
    made = facilitator.post(f"/api/workshops/{code}/decks", json={"count": 3, "layout": "letter"})
    assert 201 == made.status_code
    deck = made.json
    assert {"id", "layout", "count", "pdf_url"} <= deck.keys() and 3 == deck["count"]
    first = facilitator.get(deck["pdf_url"])
    again = facilitator.get(deck["pdf_url"])
    assert (200, "application/pdf") == (first.status_code, first.mimetype)
    assert 3 == len(codes_in(first.data))
    assert codes_in(first.data) == codes_in(again.data)  # a reprint registers nothing
    assert 3 == app.extensions["workshop"].store.db["cards"].count


def test_a_get_from_a_browser_registers_no_card(app, facilitator, workshop):
    """A cross-site link or image (a GET, carrying the facilitator's cookie) prints nothing new."""
    response = facilitator.get(f"/api/workshops/{workshop['code']}/cards.pdf?count=1000")
    assert 400 == response.status_code
    assert "Print on the manage page" in response.json["error"]
    assert 0 == app.extensions["workshop"].store.db["cards"].count


def test_the_manage_page_print_form_registers_then_opens_the_deck(app, facilitator, workshop):
    code = workshop["code"]
    page = facilitator.get(f"/w/{code}/manage").get_data(as_text=True)
    assert f'action="/w/{code}/decks" method="post"' in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    prompt = workshop["prompts"][1]["id"]
    form = {"csrf_token": token, "layout": "letter", "count": "2", "prompt_id": str(prompt)}
    response = facilitator.post(f"/w/{code}/decks", data=form)
    assert 303 == response.status_code
    pdf = facilitator.get(response.headers["Location"])
    assert 2 == len(codes_in(pdf.data))
    assert "Is the timeline right?" in " ".join(pdf_text(pdf.data))
    assert 2 == app.extensions["workshop"].store.db["cards"].count


def test_the_print_form_needs_its_token_and_the_facilitator(app, facilitator, attendee, workshop):
    code = workshop["code"]
    assert 400 == facilitator.post(f"/w/{code}/decks", data={"count": "2"}).status_code
    assert 403 == attendee.post(f"/w/{code}/decks", data={"count": "2"}).status_code
    for bad in ({"count": 0}, {"count": "2"}, {"layout": "poster"}, {"prompt_id": 99999}):
        assert facilitator.post(f"/api/workshops/{code}/decks", json=bad).status_code in (400, 404)
    assert 0 == app.extensions["workshop"].store.db["cards"].count


def test_a_deck_of_another_workshop_is_not_found(app, facilitator, workshop):
    other = facilitator.post("/api/workshops", json={"title": "Other"}).json
    deck = facilitator.post(f"/api/workshops/{other['code']}/decks", json={"count": 1}).json
    response = facilitator.get(f"/api/workshops/{workshop['code']}/cards.pdf?deck={deck['id']}")
    assert 404 == response.status_code
