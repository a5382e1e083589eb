"""One set of numbers (docs/numbers.md): "phones", "notes", "took part" and "paper cards"
mean the same on the board, the summary and the report, and a note is its number everywhere."""

import re

from printables import build_report
from tests.pdfcheck import pdf_text, words
from workshop.activities import cardsort
from workshop.board import moderation, sorting
from workshop.followup import reportdata, summary
from workshop.notes import notes
from workshop.paper import cards
from workshop.voting import votes
from workshop.workshops import attendees, workshops


def test_the_report_cover_counts_what_the_board_shows(app, client, facilitator, workshop):
    store = app.extensions["workshop"].store
    code = workshop["code"]
    phones = []
    for number in range(3):
        phone = app.test_client()
        phone.environ_base["REMOTE_ADDR"] = f"127.0.5.{number + 1}"
        phone.post(f"/api/workshops/{code}/join", json={})
        phones.append(phone)
    posted = [
        phones[0]
        .post(f"/api/workshops/{code}/notes", json={"text": f"n{i}", "client_id": f"c{i}"})
        .json["id"]
        for i in range(4)
    ]
    card = cards.issue_cards(store, code, 1)[0]["code"]
    cards.enter_card_note(store, card, text="paper", client_id="p", source="paper")
    facilitator.patch(f"/api/notes/{posted[0]}", json={"hidden": True})
    sorting.merge_notes(store, posted[1], [posted[2]])
    board = client.get(f"/api/workshops/{code}/state").json
    shown = [n for n in board["notes"] if "text" in n]
    report = reportdata.report_data(store.db, code, None)["participation"]
    assert 3 == len(shown) == report["notes"]  # n1 (with n2 merged in), n3, the paper card
    assert 1 == report["paper_cards"] == sum(1 for n in shown if n["card_code"])
    assert board["participants"] == report["took_part"] == 2  # the writing phone, the card
    assert 3 == report["phones"]  # joined, whether they wrote or not
    assert len(summary.summary(store.db, code)["notes_by_id"]) == report["notes"]
    pdf = words(" ".join(pdf_text(build_report(reportdata.report_data(store.db, code, None)))))
    assert "3 notes on the board (1 from a paper card); 3 phones joined, 2 took part" in pdf
    assert moderation.moderation_log(store.db, code)  # the merge was logged


def test_card_sort_tables_name_notes_by_their_number(app, workshop):
    store = app.extensions["workshop"].store
    code = workshop["code"]
    ids = [
        notes.create_note(store, code, text=f"idea {i}", client_id=f"s{i}")[0]["id"]
        for i in range(7)
    ]
    sort = cardsort.start_sort(store, code, ids[4:])
    section = workshop["sections"][0]["id"]
    for voter in ("ana", "ben"):
        for note_id in ids[4:]:
            cardsort.place(store, sort["id"], voter, note_id, section)
    cardsort.close_sort(store, sort["id"])
    pages = pdf_text(build_report(reportdata.report_data(store.db, code, None)))
    start = next(i for i, page in enumerate(pages) if "people placed 3 notes" in page)
    chapter = words(pages[start])
    chapter = chapter[chapter.index("people placed 3 notes") :]
    named = set(re.findall(r"#(\d+)", chapter.split("Appendix")[0]))
    assert {str(i) for i in ids[4:]} <= named
    assert not named & {"1", "2", "3"}


def test_took_part_counts_writers_voters_and_cards_once_each_from_an_index(store):
    code = workshops.create_workshop(store, title="Took part")["code"]
    workshop_id = workshops.workshop_row(store.db, code)["id"]
    for phone in ("writer", "writer-and-voter", "voter", "silent"):
        attendees.join(store, code, phone)
    first, _ = notes.create_note(store, code, text="a", client_id="1", attendee_id="writer")
    notes.create_note(store, code, text="b", client_id="2", attendee_id="writer")
    notes.create_note(store, code, text="c", client_id="3", attendee_id="writer-and-voter")
    card = cards.issue_cards(store, code, 1)[0]["code"]
    cards.enter_card_note(store, card, text="paper", client_id="p", source="paper")
    workshops.set_phase(store, code, "vote")
    votes.add_vote(store, first["id"], "writer-and-voter")
    votes.add_vote(store, first["id"], "voter")
    assert 4 == workshops.participants(store.db, workshop_id)  # "silent" only joined
    # Counted twice a second while notes arrive: from an index alone, not every note's row.
    query = f"EXPLAIN QUERY PLAN {workshops.PARTICIPANTS_SQL}"
    plan = " ".join(row[3] for row in store.db.execute(query, {"id": workshop_id}))
    assert "SEARCH notes USING INDEX" not in plan
    assert plan.count("SEARCH notes USING COVERING INDEX notes_participants") == 2
