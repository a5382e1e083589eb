"""Scans over HTTP: a scribe uploads scanned pages, the answer lists every card per image;
the facilitator's wall photos file cards under their signs; the queue hands out cards."""

from __future__ import annotations

import io

import pytest

from tests import scanmaker
from tests.test_api_cards import UPLOAD
from workshop.paper import printing

BASE = "http://lan:5000"


@pytest.fixture
def scribe(app, facilitator, workshop):
    link = facilitator.post(f"/api/workshops/{workshop['code']}/scribe-links").json
    client = app.test_client()
    assert 302 == client.get(link["url"].replace(BASE, "")).status_code
    return client


def printed(facilitator, workshop, count):
    made = facilitator.post(f"/api/workshops/{workshop['code']}/decks", json={"count": count})
    response = facilitator.get(made.json["pdf_url"])
    assert 200 == response.status_code
    return response.data


def upload(client, workshop, files, **fields):
    data = {"file": [(io.BytesIO(content), name) for name, content in files], **fields}
    return client.post(f"/api/workshops/{workshop['code']}/scans", data=data, headers=UPLOAD)


def test_a_scribe_uploads_a_scan_and_gets_every_card_per_image(app, facilitator, scribe, workshop):
    pdf = printed(facilitator, workshop, 8)
    pages = [
        scanmaker.scanned(p, degrees=5 - 4 * n)
        for n, p in enumerate(scanmaker.render_pages(pdf, 200))
    ]

    response = upload(
        scribe, workshop, [("feeder.pdf", scanmaker.pdf_of(pages, 200))], scan_id="abc123"
    )

    assert 201 == response.status_code
    images = response.json["images"]
    assert [("feeder.pdf", 1, []), ("feeder.pdf", 2, [])] == [
        (i["file"], i["page"], i["unreadable"]) for i in images
    ]
    found = [card for image in images for card in image["cards"]]
    assert 8 == len({card["card_code"] for card in found}) and all(card["new"] for card in found)
    assert 8 == response.json["waiting"]
    notes = facilitator.get(f"/api/workshops/{workshop['code']}/notes").json
    assert {c["note_id"] for c in found} == {
        n["id"] for n in notes if n["awaiting_text"] and n["photo"]
    }
    with scribe.get(f"/photos/{notes[0]['photo']}") as photo:
        assert (200, "image/jpeg") == (photo.status_code, photo.mimetype)
    assert {"done": 2, "total": 2} == scribe.get(
        f"/api/workshops/{workshop['code']}/scans/abc123"
    ).json

    again = upload(scribe, workshop, [("feeder.pdf", scanmaker.pdf_of(pages, 200))])
    assert 201 == again.status_code
    assert not any(card["new"] for image in again.json["images"] for card in image["cards"])
    assert 8 == len(facilitator.get(f"/api/workshops/{workshop['code']}/notes").json)


def test_a_scan_of_nothing_readable_is_a_400_with_a_message_per_image(app, scribe, workshop):
    response = upload(
        scribe,
        workshop,
        [
            ("notes.txt", b"just text"),
            ("blank.png", scanmaker.png(scanmaker.Image.new("RGB", (300, 200), "white"))),
        ],
    )

    assert 400 == response.status_code
    assert "notes.txt is not a scan: send a PDF, JPEG or PNG" == response.json["error"]
    assert [
        ["notes.txt is not a scan: send a PDF, JPEG or PNG"],
        ["no card was found on this page"],
    ] == [image["unreadable"] for image in response.json["images"]]
    assert 0 == app.extensions["workshop"].store.db["notes"].count


@pytest.mark.parametrize(
    ("send", "status", "message"),
    [
        (
            lambda c, w: c.post(f"/api/workshops/{w['code']}/scans", json={}),
            400,
            "send the scans as a form with one or more fields called file",
        ),
        (
            lambda c, w: c.post(
                f"/api/workshops/{w['code']}/scans",
                data={"file": (io.BytesIO(b""), "")},
                headers=UPLOAD,
            ),
            400,
            "send one or more scans as form fields called file",
        ),
        (
            lambda c, w: c.post(
                f"/api/workshops/{w['code']}/scans", data={"file": (io.BytesIO(b"x"), "a.png")}
            ),
            400,
            "uploads must come from the app (X-Workshop-Upload header)",
        ),
    ],
)
def test_bad_scan_requests(scribe, workshop, send, status, message):
    response = send(scribe, workshop)
    assert (status, message) == (response.status_code, response.json["error"])


def test_attendees_cannot_scan_or_take_cards_from_the_queue(attendee, workshop):
    response = upload(attendee, workshop, [("a.png", b"x")])
    assert 403 == response.status_code
    assert (
        "only a scribe or the facilitator can scan and type in paper cards"
        == response.json["error"]
    )
    taken = attendee.post(
        f"/api/workshops/{workshop['code']}/transcriptions/next", json={"holder": "12345678"}
    )
    assert 403 == taken.status_code


def test_the_queue_over_http(facilitator, scribe, workshop):
    pdf = printed(facilitator, workshop, 4)
    page = scanmaker.jpeg(scanmaker.scanned(scanmaker.render_pages(pdf, 200)[0], degrees=-3))
    assert 201 == upload(scribe, workshop, [("p.jpg", page)]).status_code
    path = f"/api/workshops/{workshop['code']}/transcriptions/next"

    mine = scribe.post(path, json={"holder": "scribe-screen-1"}).json
    theirs = facilitator.post(path, json={"holder": "laptop-screen-2"}).json
    assert mine["note"]["id"] != theirs["note"]["id"]
    assert 4 == mine["waiting"]
    refused = facilitator.post(
        f"/api/notes/{mine['note']['id']}/transcription",
        json={"text": "x", "holder": "laptop-screen-2"},
    )
    assert (409, "Another scribe is typing this card.") == (
        refused.status_code,
        refused.json["error"],
    )
    saved = scribe.post(
        f"/api/notes/{mine['note']['id']}/transcription",
        json={"text": "Lights on the bridge", "holder": "scribe-screen-1"},
    )
    assert (200, "Lights on the bridge", False) == (
        saved.status_code,
        saved.json["text"],
        saved.json["awaiting_text"],
    )
    assert 3 == scribe.post(path, json={"holder": "scribe-screen-1"}).json["waiting"]
    empty = scribe.post(
        f"/api/notes/{mine['note']['id']}/transcription",
        json={"text": "", "holder": "scribe-screen-1"},
    )
    assert 409 == empty.status_code  # typed in already


def test_the_facilitators_wall_photo_files_cards_and_asks_before_moving_placed_ones(
    app, facilitator, workshop
):
    store = app.extensions["workshop"].store
    pdf = printed(facilitator, workshop, 4)
    ppi = 90
    signs = scanmaker.render_pages(
        __import__("printables").build_section_signs(
            printing.signs_data(store.db, workshop["code"], base_url=BASE)
        ),
        ppi,
    )
    sections = facilitator.get(f"/api/workshops/{workshop['code']}").json["sections"]
    card_images = scanmaker.deck_cards(pdf, "letter", ppi)
    columns = [card_images[:2], card_images[2:]] + [[] for _ in signs[2:]]
    photo, _ = scanmaker.wall(signs, columns, ppi)
    first = upload(
        facilitator, workshop, [("wall.jpg", scanmaker.jpeg(scanmaker.scanned(photo, degrees=2)))]
    )
    assert 201 == first.status_code
    assert 4 == len(first.json["images"][0]["cards"])
    assert [1, 1, 2, 2] == sorted(
        [s["id"] for s in sections].index(p["section_id"]) + 1 for p in first.json["placed"]
    )  # two cards under each of the first two signs
    moved, wall_section = first.json["placed"][0]["note_id"], first.json["placed"][0]["section_id"]
    target = sections[-1]["id"]
    assert (
        200 == facilitator.post(f"/api/notes/{moved}/move", json={"section_id": target}).status_code
    )

    again = upload(
        facilitator, workshop, [("wall.jpg", scanmaker.jpeg(scanmaker.scanned(photo, degrees=-2)))]
    )

    assert [] == again.json["placed"]
    assert [
        {"note_id": moved, "section_id": wall_section, "from_section_id": target}
    ] == again.json["to_confirm"]
    confirmed = facilitator.post(
        f"/api/workshops/{workshop['code']}/wall-placements",
        json={"placements": [{"note_id": moved, "section_id": wall_section}]},
    )
    assert (200, [{"note_id": moved, "section_id": wall_section}]) == (
        confirmed.status_code,
        confirmed.json["placed"],
    )
    bad = facilitator.post(
        f"/api/workshops/{workshop['code']}/wall-placements",
        json={"placements": [{"note_id": "x"}]},
    )
    assert (400, "placements must be a list of {note_id, section_id}") == (
        bad.status_code,
        bad.json["error"],
    )


def test_the_paper_desk_page_is_for_scribes_and_the_facilitator(
    client, scribe, facilitator, workshop
):
    assert 403 == client.get(f"/w/{workshop['code']}/paper").status_code
    page = scribe.get(f"/w/{workshop['code']}/paper")
    assert 200 == page.status_code
    assert "Scan paper cards" in page.get_data(as_text=True)
