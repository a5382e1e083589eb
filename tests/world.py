"""A workshop with a bit of everything and a client for each role (authorisation, fuzzing)."""

import io

import pytest

from tests.liveserver import TOKEN
from tests.test_api_cards import UPLOAD, jpeg_with_location
from workshop.board import sorting
from workshop.paper import cards
from workshop.web.app import create_app
from workshop.workshops import workshops


@pytest.fixture
def world():
    """Two workshops, a note by a third phone, a group, a card with a note, a sort, a step,
    a photo, and a client for each role."""
    app = create_app({"TESTING": True, "FACILITATOR_TOKEN": TOKEN, "PUBLIC_URL": "http://lan"})
    store = app.extensions["workshop"].store
    facilitator = app.test_client()
    facilitator.get(f"/facilitator?token={TOKEN}")
    w = workshops.create_workshop(store, title="W", prompts=["Q?"])
    other = workshops.create_workshop(store, title="Other")
    author = app.test_client()
    author.post(f"/api/workshops/{w['code']}/join", json={})
    post = lambda text, cid: author.post(  # noqa: E731
        f"/api/workshops/{w['code']}/notes", json={"text": text, "client_id": cid}
    ).json["id"]
    note, second = post("a note", "n1"), post("another", "n2")
    group = sorting.create_group(store, [post("g1", "g1"), post("g2", "g2")])
    card = cards.issue_cards(store, w["code"], 1)[0]["code"]
    cards.enter_card_note(store, card, text="paper", client_id="p", source="paper")
    sort = facilitator.post(f"/api/workshops/{w['code']}/card-sorts", json={"note_ids": [note]})
    step = facilitator.post(f"/api/workshops/{w['code']}/next-steps", json={"text": "Do"})
    photo = facilitator.post(
        f"/api/workshops/{w['code']}/photos",
        data={"photo": (io.BytesIO(jpeg_with_location()), "p.jpg")},
        headers=UPLOAD,
    )
    clients = {"none": app.test_client(), "facilitator": facilitator, "author": author}
    clients["attendee"] = app.test_client()
    clients["attendee"].post(f"/api/workshops/{w['code']}/join", json={})
    for role, code in (("scribe", w["code"]), ("other_scribe", other["code"])):
        link = facilitator.post(f"/api/workshops/{code}/scribe-links").json["url"]
        clients[role] = app.test_client()
        clients[role].get(link.replace("http://lan", ""))
    values = {
        "code": w["code"],
        "int:note_id": note,
        "int:group_id": group["id"],
        "int:section_id": w["sections"][0]["id"],
        "card_code": card,
        "int:sort_id": sort.json["id"],
        "int:step_id": step.json["id"],
        "int:photo_id": photo.json["id"],
        "name": photo.json["file"],
        "path:filename": "css/app.css",
        "scan_id": "scan-1",
    }
    yield {"clients": clients, "values": values, "second": second}
    store.close()
