"""After the session over HTTP: next steps, outcomes, photos, exports, the summary page."""

import csv
import io

import pytest

from tests.liveserver import TOKEN
from tests.test_api_cards import UPLOAD, jpeg_with_location

BEARER = {"Authorization": f"Bearer {TOKEN}"}  # a script's call: prints new cards by GET


@pytest.fixture
def noted(attendee, workshop):
    url = f"/api/workshops/{workshop['code']}/notes"
    return [
        attendee.post(url, json={"text": t, "client_id": t}).json["id"] for t in ("Snow", "Buses")
    ]


def test_the_facilitator_records_a_next_step_and_the_summary_shows_it(
    app, attendee, facilitator, workshop, noted
):
    code = workshop["code"]
    body = {
        "text": "Publish plow routes",
        "owner": "Public works",
        "due": "2027-01-15",
        "note_ids": noted[:1],
    }
    assert 403 == attendee.post(f"/api/workshops/{code}/next-steps", json=body).status_code
    created = facilitator.post(f"/api/workshops/{code}/next-steps", json=body)
    assert (201, noted[:1]) == (created.status_code, created.json["note_ids"])
    assert [created.json] == app.test_client().get(f"/api/workshops/{code}/next-steps").json
    page = attendee.get(f"/w/{code}/summary").get_data(as_text=True)
    assert "Publish plow routes" in page and "Public works" in page and "by Jan 15, 2027" in page
    assert "Your notes" in page and "your note" in page
    assert "Answered: Publish plow routes (planned)" in page
    anonymous = app.test_client().get(f"/w/{code}/summary").get_data(as_text=True)
    assert "Your notes" not in anonymous


def test_the_summary_works_without_javascript_and_hides_hidden_notes(
    client, facilitator, workshop, noted
):
    facilitator.patch(f"/api/notes/{noted[1]}", json={"hidden": True})
    response = client.get(f"/w/{workshop['code']}/summary")
    html = response.get_data(as_text=True)
    assert 200 == response.status_code
    assert "Snow" in html and "Buses" not in html
    assert "<script" not in html


def test_a_paper_participant_types_their_card_code(client, facilitator, app, workshop):
    facilitator.get(f"/api/workshops/{workshop['code']}/cards.pdf?count=1", headers=BEARER)
    card = app.extensions["workshop"].store.db.execute("SELECT code FROM cards").fetchone()[0]
    facilitator.post(f"/api/cards/{card}/note", json={"text": "More benches", "client_id": "p"})
    html = client.get(f"/w/{workshop['code']}/summary?card={card.lower()}").get_data(as_text=True)
    assert "More benches" in html
    missing = client.get(f"/w/{workshop['code']}/summary?card=AAAAAA").get_data(as_text=True)
    assert "No entered card has the code AAAAAA" in missing


def test_outcomes_and_the_list_of_notes_without_one(attendee, facilitator, workshop, noted):
    code = workshop["code"]
    assert (
        403 == attendee.put(f"/api/notes/{noted[0]}/outcome", json={"outcome": "noted"}).status_code
    )
    assert (
        200
        == facilitator.put(f"/api/notes/{noted[0]}/outcome", json={"outcome": "noted"}).status_code
    )
    assert {"note_ids": [noted[1]]} == facilitator.get(
        f"/api/workshops/{code}/outcomes/missing"
    ).json


def test_photos_of_the_room_paper(attendee, facilitator, client, workshop):
    code = workshop["code"]
    form = {"caption": "Table 3's map", "photo": (io.BytesIO(jpeg_with_location()), "chart.jpg")}
    refused = attendee.post(f"/api/workshops/{code}/photos", data=dict(form), headers=UPLOAD)
    assert 403 == refused.status_code
    form = {"caption": "Table 3's map", "photo": (io.BytesIO(jpeg_with_location()), "chart.jpg")}
    added = facilitator.post(f"/api/workshops/{code}/photos", data=form, headers=UPLOAD)
    bare = facilitator.post(
        f"/api/workshops/{code}/photos", data={"photo": (io.BytesIO(b"x"), "x.jpg")}
    )  # a multipart form without our header: what a cross-site form could send
    assert (400, "uploads must come from the app (X-Workshop-Upload header)") == (
        bare.status_code,
        bare.json["error"],
    )
    assert (201, "Table 3's map") == (added.status_code, added.json["caption"])
    html = client.get(f"/w/{code}/summary").get_data(as_text=True)
    assert f"/photos/{added.json['file']}" in html and "Table 3&#39;s map" in html


def test_exports_are_for_the_facilitator(attendee, facilitator, workshop, noted):
    code = workshop["code"]
    for kind in ("export.json", "export.csv", "export.md", "report.pdf"):
        assert 403 == attendee.get(f"/api/workshops/{code}/{kind}").status_code
    rows = list(
        csv.DictReader(
            io.StringIO(facilitator.get(f"/api/workshops/{code}/export.csv").get_data(as_text=True))
        )
    )
    assert ["Snow", "Buses"] == [r["text"] for r in rows]
    exported = facilitator.get(f"/api/workshops/{code}/export.json")
    assert "workshop-companion/1" == exported.json["format"]
    assert "## What we heard" in facilitator.get(f"/api/workshops/{code}/export.md").get_data(
        as_text=True
    )
    assert 404 == facilitator.get("/api/workshops/ZZZZ/export.csv").status_code


def test_the_feedback_window_lets_phones_comment_after_closing(attendee, facilitator, workshop):
    code = workshop["code"]
    facilitator.put(f"/api/workshops/{code}/phase", json={"phase": "closed"})
    url = f"/api/workshops/{code}/notes"
    assert 409 == attendee.post(url, json={"text": "late", "client_id": "l1"}).status_code
    assert (
        403 == attendee.put(f"/api/workshops/{code}/feedback-window", json={"days": 7}).status_code
    )
    opened = facilitator.put(f"/api/workshops/{code}/feedback-window", json={"days": 7})
    assert opened.json["feedback_until"]
    note = attendee.post(url, json={"text": "from home", "client_id": "l2"})
    assert (201, True) == (note.status_code, note.json["online"])


def test_the_report_holds_the_notes_and_next_steps(attendee, facilitator, workshop, noted):
    from tests.pdfcheck import pdf_text

    code = workshop["code"]
    facilitator.post(
        f"/api/workshops/{code}/next-steps",
        json={"text": "Publish plow routes", "owner": "Public works", "note_ids": noted[:1]},
    )
    response = facilitator.get(f"/api/workshops/{code}/report.pdf?place=Central%20Library")
    assert (200, "application/pdf") == (response.status_code, response.mimetype)
    text = " ".join(" ".join(pdf_text(response.data)).split())
    for expected in ("Snow", "Buses", "Publish plow routes", "Public works", "Central Library"):
        assert expected in text


def test_the_report_keeps_the_card_sort_results(attendee, facilitator, workshop, noted):
    from tests.pdfcheck import pdf_text

    code = workshop["code"]
    sort = facilitator.post(f"/api/workshops/{code}/card-sorts", json={"note_ids": noted}).json
    timeline = workshop["sections"][3]["id"]
    for note_id in noted:
        attendee.post(
            f"/api/card-sorts/{sort['id']}/placements",
            json={"note_id": note_id, "section_id": timeline},
        )
    text = " ".join(
        " ".join(pdf_text(facilitator.get(f"/api/workshops/{code}/report.pdf").data)).split()
    )
    assert "Card sorting" in text
    assert "1 people placed 2 notes" in text and "Timeline 100%" in text
    assert "Similarity: the share of people who put both notes in the same section." in text
