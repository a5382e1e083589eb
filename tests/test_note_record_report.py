"""The record of a workshop whose notes were edited, merged, withdrawn and hidden: the JSON
export and the printed report say so (issue 13)."""

import pytest

from tests.liveserver import TOKEN
from tests.pdfcheck import pdf_text, words


@pytest.fixture
def busy(app):
    """A workshop where an author fixed a typo, the facilitator fixed another, a scribe
    corrected a card, one author withdrew a note, two duplicates were merged, one note was
    hidden and one dotted."""
    from urllib.parse import urlsplit

    from workshop.paper import cards

    facilitator = app.test_client()
    facilitator.get(f"/facilitator?token={TOKEN}")
    code = facilitator.post("/api/workshops", json={"title": "Record"}).json["code"]

    def phone():
        client = app.test_client()
        client.post(f"/api/workshops/{code}/join", json={})
        return client

    def post(client, text, cid):
        url = f"/api/workshops/{code}/notes"
        return client.post(url, json={"text": text, "client_id": cid}).json["id"]

    ana, ben = phone(), phone()
    ids = {
        "typo": post(ana, "Teh bus stops need shelters", "a1"),
        "withdrawn": post(ana, "Actually never mind the parking", "a2"),
        "fixed": post(ben, "Benchs by the river", "b1"),
        "twin": post(ben, "Light the underpass", "b2"),
        "duplicate": post(ana, "Lights in the underpass please", "a3"),
        "hidden": post(ben, "Off topic rant", "b3"),
        "dotted": post(ben, "Publish the timetable data", "b4"),
    }
    assert (
        200
        == ana.patch(
            f"/api/notes/{ids['typo']}", json={"text": "The bus stops need shelters"}
        ).status_code
    )
    assert 200 == ana.delete(f"/api/notes/{ids['withdrawn']}").status_code
    assert (
        200
        == facilitator.patch(
            f"/api/notes/{ids['fixed']}", json={"text": "Benches by the river"}
        ).status_code
    )
    assert (
        200
        == facilitator.post(
            f"/api/notes/{ids['twin']}/merge", json={"note_ids": [ids["duplicate"]]}
        ).status_code
    )
    assert (
        200 == facilitator.patch(f"/api/notes/{ids['hidden']}", json={"hidden": True}).status_code
    )
    assert (
        200
        == facilitator.put(
            f"/api/notes/{ids['hidden']}/outcome",
            json={"outcome": "out-of-scope", "reason": "About another town"},
        ).status_code
    )
    assert 200 == facilitator.put(f"/api/notes/{ids['dotted']}/dots", json={"count": 4}).status_code
    store = app.extensions["workshop"].store
    card = cards.issue_cards(store, code, 1)[0]["code"]
    link = urlsplit(facilitator.post(f"/api/workshops/{code}/scribe-links").json["url"])
    scribe = app.test_client()
    scribe.get(f"{link.path}?{link.query}")
    ids["card"] = scribe.post(
        f"/api/cards/{card}/note", json={"text": "Moar trees", "client_id": "p"}
    ).json["id"]
    assert 200 == scribe.put(f"/api/cards/{card}/note", json={"text": "More trees"}).status_code
    return facilitator, code, ids


def test_the_json_export_carries_the_integrity_of_the_record(busy):
    facilitator, code, ids = busy
    exported = facilitator.get(f"/api/workshops/{code}/export.json").json
    facts = exported["integrity"]
    edited = {
        n["id"]: [(r["text"], r["revised_by"]) for r in n["revisions"]] for n in facts["edited"]
    }
    assert {
        ids["typo"]: [("Teh bus stops need shelters", "author")],
        ids["fixed"]: [("Benchs by the river", "facilitator")],
        ids["card"]: [("Moar trees", "scribe")],
    } == edited
    assert [(ids["withdrawn"], "Actually never mind the parking")] == [
        (n["id"], n["text"]) for n in facts["withdrawn"]
    ]
    assert all(n["withdrawn_at"] for n in facts["withdrawn"])
    assert [(ids["duplicate"], ids["twin"])] == [
        (n["id"], n["merged_into"]) for n in facts["merged"]
    ]
    assert {"count": 1, "notes": [{"id": ids["hidden"], "reason": "About another town"}]} == facts[
        "hidden"
    ]
    rows = {row["id"]: row for row in exported["tables"]["notes"]}
    assert rows[ids["withdrawn"]]["withdrawn_at"]  # kept, not deleted
    by = {(r["note_id"], r["revised_by"]) for r in exported["tables"]["note_revisions"]}
    assert {(ids["typo"], "author"), (ids["fixed"], "facilitator"), (ids["card"], "scribe")} == by


def test_the_report_lists_edits_merges_withdrawals_and_hidden_notes(busy):
    facilitator, code, ids = busy
    response = facilitator.get(f"/api/workshops/{code}/report.pdf")
    assert 200 == response.status_code
    pages = [words(page) for page in pdf_text(response.data)]
    start = next(
        i for i, page in enumerate(pages) if "11 Integrity of the record" in page and i > 1
    )
    end = next(i for i, page in enumerate(pages) if "12 Ballots" in page and i > start)
    chapter = " ".join(pages[start : end + 1])
    chapter = chapter[chapter.index("11 Integrity of the record") : chapter.index("12 Ballots")]
    for expected in (
        "3 notes edited after they were posted",
        f"#{ids['typo']} now reads: The bus stops need shelters",
        "(changed by its author): Teh bus stops need shelters",
        "(changed by the facilitator): Benchs by the river",
        "(changed by a scribe): Moar trees",
        "1 note withdrawn by its author",
        "Actually never mind the parking",
        "1 note merged into another",
        f"#{ids['duplicate']} #{ids['twin']} Lights in the underpass please",
        "1 note hidden by the facilitator",
        "About another town",
    ):
        assert expected in chapter
    # The withdrawn note is nowhere the room's words are counted: only here and the appendix.
    before = " ".join(pages[:start])
    assert "never mind the parking" not in before.split("Contents", 1)[1]
    appendix = " ".join(pages[end:])
    assert "WITHDRAWN" in appendix
