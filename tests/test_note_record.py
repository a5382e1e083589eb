"""A note's words are fixed once the room has acted on them (issue 13).

Through the API: who (the author, another phone, the facilitator) may edit or withdraw a note,
in each phase, in each state the room can have put it in. Every refusal is a 409 (or 403) that
says why and changes nothing; every allowed edit is kept in the note's history.
"""

from urllib.parse import urlsplit

import pytest

from tests.liveserver import TOKEN

PHASES = ("gather", "sort", "vote", "closed", "feedback")  # feedback: closed, online window open
WRITING = {"gather", "sort", "feedback"}  # the default writing phases, and the online window
STATES = (
    "fresh",
    "sorted",
    "voted",
    "paper_dotted",
    "merged_into",  # this note was merged into another
    "merged_from",  # another note was merged into this one
    "group_voted",  # grouped; the group's dot is kept on the group's other note
    "next_step",
    "withdrawn",
)
# The 409 an author gets, by the first reason that applies (withdrawn, closed, then the rest).
REASONS = {
    "withdrawn": "You have withdrawn this note.",
    "closed": "Writing is closed right now",
    "merged_into": "This note was merged with another, so its words can no longer change.",
    "merged_from": "This note was merged with another, so its words can no longer change.",
    "next_step": "A next step answers this note, so its words can no longer change.",
    "voted": "This note has dots, so its words can no longer change.",
    "paper_dotted": "This note has dots, so its words can no longer change.",
    "group_voted": "This note has dots, so its words can no longer change.",
    "sorted": "The facilitator has already sorted this note, so it can no longer change.",
}
LOCKED_REASON = {
    "merged_into": "merged",
    "merged_from": "merged",
    "paper_dotted": "voted",
    "group_voted": "voted",
}


def author_refusal(phase: str, state: str) -> str | None:
    """What the author is told, or None where they may still edit and withdraw."""
    if state == "withdrawn":
        return REASONS["withdrawn"]
    if phase not in WRITING:
        return REASONS["closed"]
    return None if state == "fresh" else REASONS[state]


def locked_reason(phase: str, state: str) -> str | None:
    if state == "withdrawn":
        return "withdrawn"
    if phase not in WRITING:
        return "closed"
    return None if state == "fresh" else LOCKED_REASON.get(state, state)


class Room:
    """A workshop with the author's note in ``state`` and the room in ``phase``."""

    def __init__(self, app, phase: str, state: str):
        self.app = app
        self.facilitator = app.test_client()
        self.facilitator.get(f"/facilitator?token={TOKEN}")
        created = self.facilitator.post("/api/workshops", json={"title": "Record"}).json
        self.code = created["code"]
        self.sections = [s["id"] for s in created["sections"]]
        self.author = self.phone()
        self.voter = self.phone()
        self.note = self.post(self.author, "Teh bus stops", "n")
        self.other = self.post(self.voter, "More benches", "o")
        getattr(self, f"make_{state}")()
        if phase == "feedback":
            self.phase("closed")
            assert 200 == self.put(f"/api/workshops/{self.code}/feedback-window", {"days": 7})
        else:
            self.phase(phase)

    def phone(self):
        client = self.app.test_client()
        client.post(f"/api/workshops/{self.code}/join", json={})
        return client

    def post(self, client, text, client_id):
        url = f"/api/workshops/{self.code}/notes"
        return client.post(url, json={"text": text, "client_id": client_id}).json["id"]

    def put(self, path, body):
        return self.facilitator.put(path, json=body).status_code

    def phase(self, phase):
        assert 200 == self.put(f"/api/workshops/{self.code}/phase", {"phase": phase})

    def vote(self, path):
        self.phase("vote")
        assert 200 == self.voter.post(path, json={}).status_code

    def make_fresh(self):
        pass

    def make_sorted(self):
        url = f"/api/notes/{self.note}/move"
        assert 200 == self.facilitator.post(url, json={"section_id": self.sections[1]}).status_code

    def make_voted(self):
        self.vote(f"/api/notes/{self.note}/votes")

    def make_paper_dotted(self):
        assert 200 == self.put(f"/api/notes/{self.note}/dots", {"count": 2})

    def make_merged_into(self):
        merge = self.facilitator.post(
            f"/api/notes/{self.other}/merge", json={"note_ids": [self.note]}
        )
        assert 200 == merge.status_code

    def make_merged_from(self):
        merge = self.facilitator.post(
            f"/api/notes/{self.note}/merge", json={"note_ids": [self.other]}
        )
        assert 200 == merge.status_code

    def make_group_voted(self):
        group = self.facilitator.post(
            f"/api/workshops/{self.code}/groups", json={"note_ids": [self.other, self.note]}
        ).json
        self.vote(f"/api/groups/{group['id']}/votes")

    def make_next_step(self):
        step = self.facilitator.post(
            f"/api/workshops/{self.code}/next-steps", json={"text": "Fix", "note_ids": [self.note]}
        )
        assert 201 == step.status_code

    def make_withdrawn(self):
        assert 200 == self.author.delete(f"/api/notes/{self.note}").status_code

    def snapshot(self):
        """All an edit or withdrawal could change, as the facilitator and the author see it."""
        state = self.facilitator.get(f"/api/workshops/{self.code}/state").json
        history = self.facilitator.get(f"/api/notes/{self.note}/history").json
        mine = self.author.get(f"/api/workshops/{self.code}/me").json
        exported = self.facilitator.get(f"/api/workshops/{self.code}/export.json").json["tables"]
        return state, history, mine, exported


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("change", ("edit", "withdraw"))
def test_an_author_changes_a_note_only_until_the_room_acts_on_it(app, phase, state, change):
    room = Room(app, phase, state)
    before = room.snapshot()
    own = {n["id"]: n for n in before[2]["notes"]}
    expected = author_refusal(phase, state)
    if state != "withdrawn":  # the phone is told beforehand, and why
        assert (expected is None, locked_reason(phase, state)) == (
            own[room.note]["editable"],
            own[room.note]["locked_reason"],
        )
        if expected is not None:
            assert own[room.note]["locked_message"].startswith(expected)
    if change == "edit":
        response = room.author.patch(f"/api/notes/{room.note}", json={"text": "The bus stops"})
    else:
        response = room.author.delete(f"/api/notes/{room.note}")
    if expected is not None:
        assert 409 == response.status_code
        assert response.json["error"].startswith(expected)
        assert before == room.snapshot()
        return
    assert 200 == response.status_code
    history = room.facilitator.get(f"/api/notes/{room.note}/history").json
    note = next(
        n
        for n in room.facilitator.get(f"/api/workshops/{room.code}/notes").json
        if n["id"] == room.note
    )
    if change == "edit":
        assert ("The bus stops", True, False) == (note["text"], note["edited"], note["withdrawn"])
        assert [("Teh bus stops", "author")] == [(h["text"], h["revised_by"]) for h in history]
    else:
        assert ("Teh bus stops", True, []) == (note["text"], note["withdrawn"], history)
        public = room.voter.get(f"/api/workshops/{room.code}/notes").json
        assert room.note not in [n["id"] for n in public]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("phase", PHASES)
def test_the_facilitator_fixes_typos_at_any_time_but_never_withdraws(app, phase, state):
    room = Room(app, phase, state)
    before = room.snapshot()
    refused = room.facilitator.delete(f"/api/notes/{room.note}")
    assert 403 == refused.status_code
    assert before == room.snapshot()
    response = room.facilitator.patch(f"/api/notes/{room.note}", json={"text": "The bus stops"})
    if state in ("merged_into", "withdrawn"):
        assert 409 == response.status_code
        assert ("was merged into" if state == "merged_into" else "withdrawn by its author") in (
            response.json["error"]
        )
        assert before == room.snapshot()
        return
    assert (200, "The bus stops", True) == (
        response.status_code,
        response.json["text"],
        response.json["edited"],
    )
    history = room.author.get(f"/api/notes/{room.note}/history").json  # the author reads it too
    assert [("Teh bus stops", "facilitator")] == [(h["text"], h["revised_by"]) for h in history]


@pytest.mark.parametrize("state", ("fresh", "voted", "withdrawn"))
def test_another_phone_never_changes_or_reads_the_history_of_a_note(app, state):
    room = Room(app, "gather", state)
    before = room.snapshot()
    for response in (
        room.voter.patch(f"/api/notes/{room.note}", json={"text": "Mine now"}),
        room.voter.delete(f"/api/notes/{room.note}"),
        room.voter.get(f"/api/notes/{room.note}/history"),
        app.test_client().get(f"/api/notes/{room.note}/history"),
    ):
        assert 403 == response.status_code
        assert response.json["error"]
    assert before == room.snapshot()


def test_a_withdrawn_note_is_kept_out_of_public_views_votes_and_sorting(app):
    room = Room(app, "gather", "withdrawn")
    notes = room.facilitator.get(f"/api/workshops/{room.code}/notes").json
    withdrawn = next(n for n in notes if n["id"] == room.note)
    assert (True, "Teh bus stops") == (withdrawn["withdrawn"], withdrawn["text"])
    assert withdrawn["withdrawn_at"]
    public = room.voter.get(f"/api/workshops/{room.code}/state").json["notes"]
    assert [room.other] == [n["id"] for n in public]
    mine = room.author.get(f"/api/workshops/{room.code}/me").json["notes"]
    assert [] == mine
    before = room.snapshot()
    room.phase("vote")
    before = room.snapshot()
    refusals = [
        room.voter.post(f"/api/notes/{room.note}/votes", json={}),
        room.facilitator.put(f"/api/notes/{room.note}/dots", json={"count": 3}),
        room.facilitator.post(
            f"/api/notes/{room.note}/move", json={"section_id": room.sections[0]}
        ),
        room.facilitator.post(f"/api/notes/{room.other}/merge", json={"note_ids": [room.note]}),
        room.facilitator.post(
            f"/api/workshops/{room.code}/groups", json={"note_ids": [room.other, room.note]}
        ),
        room.facilitator.post(
            f"/api/workshops/{room.code}/next-steps", json={"text": "X", "note_ids": [room.note]}
        ),
    ]
    assert [404, 404, 409, 409, 409, 409] == [r.status_code for r in refusals]
    assert all(r.json["error"] for r in refusals)
    assert before == room.snapshot()


def test_a_withdrawal_reaches_public_views_as_withdrawn_and_the_facilitator_in_full(app):
    from workshop.realtime.sockets import socketio

    room = Room(app, "gather", "fresh")
    board = socketio.test_client(
        app, auth={"code": room.code, "view": "board"}, flask_test_client=room.voter
    )
    own = socketio.test_client(
        app, auth={"code": room.code, "view": "board"}, flask_test_client=room.facilitator
    )
    board.get_received(), own.get_received()
    assert 200 == room.author.delete(f"/api/notes/{room.note}").status_code
    public = [e["args"][0] for e in board.get_received() if e["name"] == "note.updated"]
    full = [e["args"][0] for e in own.get_received() if e["name"] == "note.updated"]
    assert [{"id": room.note, "withdrawn": True}] == [
        {k: v for k, v in p.items() if k != "seq"} for p in public
    ]
    assert [(room.note, True, "Teh bus stops")] == [
        (p["id"], p["withdrawn"], p["text"]) for p in full
    ]


def test_scribe_corrections_are_kept_as_revisions(app):
    from workshop.paper import cards

    room = Room(app, "gather", "fresh")
    store = app.extensions["workshop"].store
    card = cards.issue_cards(store, room.code, 1)[0]["code"]
    link = room.facilitator.post(f"/api/workshops/{room.code}/scribe-links").json["url"]
    scribe = app.test_client()
    parts = urlsplit(link)
    scribe.get(f"{parts.path}?{parts.query}")
    entered = scribe.post(f"/api/cards/{card}/note", json={"text": "Moar trees", "client_id": "p"})
    assert 201 == entered.status_code
    fixed = scribe.put(f"/api/cards/{card}/note", json={"text": "More trees"})
    assert (200, True) == (fixed.status_code, fixed.json["edited"])
    history = room.facilitator.get(f"/api/notes/{entered.json['id']}/history").json
    assert [("Moar trees", "scribe")] == [(h["text"], h["revised_by"]) for h in history]


def test_the_summary_page_and_the_csv_mark_edited_notes_and_leave_out_withdrawn_ones(app):
    import csv
    import io

    room = Room(app, "gather", "fresh")
    gone = room.post(room.author, "Actually never mind", "g")
    assert (
        200
        == room.author.patch(f"/api/notes/{room.note}", json={"text": "The bus stops"}).status_code
    )
    assert 200 == room.author.delete(f"/api/notes/{gone}").status_code
    page = room.voter.get(f"/w/{room.code}/summary").get_data(as_text=True)
    assert "The bus stops" in page and "Actually never mind" not in page
    assert 1 == page.count('class="edited-mark"')
    exported = room.facilitator.get(f"/api/workshops/{room.code}/export.csv").get_data()
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(exported.decode("utf-8-sig")))}
    assert ("True", "False") == (rows[room.note]["edited"], rows[room.note]["withdrawn"])
    assert ("False", "True") == (rows[gone]["edited"], rows[gone]["withdrawn"])


@pytest.mark.parametrize("state", ("voted", "paper_dotted", "group_voted"))
def test_while_tallies_are_hidden_the_author_is_not_told_it_was_dots(app, state):
    room = Room(app, "gather", "fresh")
    settings = room.facilitator.patch(
        f"/api/workshops/{room.code}/settings", json={"hide_tallies": True}
    )
    assert 200 == settings.status_code
    getattr(room, f"make_{state}")()
    room.phase("sort")
    acted = "The room has already acted on this note, so its words can no longer change."
    mine = room.author.get(f"/api/workshops/{room.code}/me").json["notes"]
    own = next(n for n in mine if n["id"] == room.note)
    assert (False, "acted", acted) == (own["editable"], own["locked_reason"], own["locked_message"])
    before = room.snapshot()
    response = room.author.patch(f"/api/notes/{room.note}", json={"text": "The bus stops"})
    assert (409, acted) == (response.status_code, response.json["error"])
    assert before == room.snapshot()
