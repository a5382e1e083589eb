"""Plans over HTTP: a plan with three sessions (two workshops and an online window), notes
from each on the plan page, a revision citing two sessions in plan.pdf, a commitment's
dated history, the public plan page, and importing a session's export twice."""

import re

import pytest

from tests.liveserver import TOKEN
from tests.pdfcheck import decode_qr_codes, pdf_text, words
from workshop.web.app import create_app

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECTIONS = [
    {"title": "Roles", "body": "The parks department leads."},
    {"title": "Timeline", "body": "Kickoff in March."},
]


def make_plan(client):
    response = client.post(
        "/api/plans", json={"title": "Safer routes", "sections": SECTIONS}, headers=AUTH
    )
    assert 201 == response.status_code, response.json
    return response.json


def add_session(client, plan, **fields):
    response = client.post(f"/api/plans/{plan['code']}/sessions", json=fields, headers=AUTH)
    assert 201 == response.status_code, response.json
    return response.json


def post_note(app, session, text, section_index, client_id):
    """A phone joins the session and posts a note; the facilitator files it in a section."""
    phone = app.test_client()
    phone.post(f"/api/workshops/{session['code']}/join", json={})
    note = phone.post(
        f"/api/workshops/{session['code']}/notes", json={"text": text, "client_id": client_id}
    ).json
    section_id = session["sections"][section_index]["id"]
    moved = phone.application.test_client().patch(
        f"/api/notes/{note['id']}", json={"section_id": section_id}, headers=AUTH
    )
    assert 200 == moved.status_code, moved.json
    return note


@pytest.fixture
def programme(app, client):
    plan = make_plan(client)
    library = add_session(client, plan, venue="Library", date="2027-03-01")
    school = add_session(client, plan, kind="focus-group", venue="School", date="2027-03-08")
    online = add_session(client, plan, kind="online", date="2027-03-15")
    notes = {
        "library": post_note(app, library, "March is too soon for parents", 1, "n1"),
        "school": post_note(app, school, "Parents need more time before kickoff", 1, "n2"),
        "online": post_note(app, online, "Ask the bus company to help", 0, "n3"),
    }
    return {"plan": plan, "sessions": (library, school, online), "notes": notes}


def test_a_plan_has_three_sessions_each_a_workshop_of_its_own(client, programme):
    plan = client.get(f"/api/plans/{programme['plan']['code']}").json
    assert [("workshop", "Library"), ("focus-group", "School"), ("online", "")] == [
        (s["kind"], s["venue"]) for s in plan["sessions"]
    ]
    library = programme["sessions"][0]
    assert library["join_url"] == f"http://lan:5000/j/{library['code']}"
    assert ["Roles", "Timeline"] == [s["title"] for s in library["sections"]]
    assert programme["plan"]["code"] == library["session"]["plan"]
    assert 3 == len({s["code"] for s in programme["sessions"]})


def test_notes_from_each_session_appear_on_the_plan_page_with_their_session(facilitator, programme):
    code = programme["plan"]["code"]
    heard = facilitator.get(f"/api/plans/{code}/heard").json
    by_session = {
        column["session"]: [n["text"] for n in column["notes"]]
        for section in heard["sections"]
        for column in section["columns"]
        if column["notes"]
    }
    library, school, online = (s["code"] for s in programme["sessions"])
    assert {
        library: ["March is too soon for parents"],
        school: ["Parents need more time before kickoff"],
        online: ["Ask the bus company to help"],
    } == by_session
    assert {"phone": 2, "paper": 0, "online": 1, "facilitator": 0} == heard["by_channel"]
    html = facilitator.get(f"/plans/{code}").get_data(as_text=True)
    for session, texts in by_session.items():
        columns = re.findall(
            rf'<div class="session-column" data-session="{session}">(.*?)</div>', html, re.S
        )
        assert 2 == len(columns)  # one per section of the plan
        assert texts[0] in "".join(columns)


def test_the_plan_page_filters_by_session(facilitator, programme):
    code = programme["plan"]["code"]
    school = programme["sessions"][1]["code"]
    html = facilitator.get(f"/plans/{code}?session={school}").get_data(as_text=True)
    assert "Parents need more time before kickoff" in html
    assert "March is too soon for parents" not in html
    assert 400 == facilitator.get(f"/api/plans/{code}/heard?session=ZZZZ").status_code


def test_a_revision_citing_two_sessions_is_quoted_in_plan_pdf(client, facilitator, programme):
    code = programme["plan"]["code"]
    timeline = programme["plan"]["sections"][1]
    notes = programme["notes"]
    revision = client.post(
        f"/api/plan-sections/{timeline['id']}/revisions",
        json={
            "body": "Kickoff in May, once parents have had time.",
            "reason": "Parents in two sessions asked for more time.",
            "note_ids": [notes["library"]["id"], notes["school"]["id"]],
            "by": "Ana Ruiz",
        },
        headers=AUTH,
    )
    assert 201 == revision.status_code, revision.json
    step = client.post(
        f"/api/plans/{code}/next-steps",
        json={
            "text": "Hold a parents' evening",
            "owner": "Schools office",
            "due": "2027-04-30",
            "note_ids": [notes["online"]["id"]],
        },
        headers=AUTH,
    ).json
    for update in (
        {"status": "considering", "note": "on track", "date": "2027-04-02"},
        {"status": "done", "note": "held at the school", "date": "2027-04-28"},
    ):
        answer = client.post(f"/api/plan-steps/{step['id']}/updates", json=update, headers=AUTH)
        assert 201 == answer.status_code, answer.json

    response = client.get(f"/api/plans/{code}/plan.pdf")
    assert ("application/pdf", 200) == (response.mimetype, response.status_code)
    text = words(" ".join(pdf_text(response.data)))
    assert "Kickoff in May, once parents have had time." in text
    assert "Why: Parents in two sessions asked for more time." in text
    assert "“March is too soon for parents” — workshop, Library, March 1, 2027 · phone" in text
    assert "“Parents need more time before kickoff” — focus group, School, March 8, 2027" in text
    assert "by Ana Ruiz" in text
    assert "April 2, 2027: Considering — on track" in text
    assert "April 28, 2027: Done — held at the school" in text
    assert [f"http://lan:5000/p/{code}"] == decode_qr_codes(response.data)[0]

    public = client.get(f"/p/{code}").get_data(as_text=True)
    assert "Parents in two sessions asked for more time." in public
    assert "March is too soon for parents" in public and "held at the school" in public


def test_the_poster_says_you_said_we_did_with_a_qr_to_the_public_page(client, programme):
    code = programme["plan"]["code"]
    roles = programme["plan"]["sections"][0]
    client.post(
        f"/api/plan-sections/{roles['id']}/revisions",
        json={
            "body": "The bus company joins.",
            "reason": "Asked for online.",
            "note_ids": [programme["notes"]["online"]["id"]],
        },
        headers=AUTH,
    )
    response = client.get(f"/api/plans/{code}/poster.pdf", headers=AUTH)
    assert 200 == response.status_code
    text = words(pdf_text(response.data)[0])
    assert "You said, we did" in text and "“Ask the bus company to help”" in text
    assert "Roles: Asked for online." in text
    assert [f"http://lan:5000/p/{code}"] == decode_qr_codes(response.data)[0]


@pytest.mark.parametrize(
    "path, body, message",
    [
        ("/api/plans", {"title": ""}, "title is empty"),
        ("/api/plans", {"title": "P", "sections": {"a": 1}}, "sections must be a list"),
        ("/api/plans/{plan}/sessions", {"kind": "rave"}, "kind must be one of"),
        ("/api/plans/{plan}/sessions", {"date": "tomorrow"}, "date must be a date"),
        ("/api/plan-sections/{section}/revisions", {"body": "x"}, "say why the section"),
        ("/api/plan-sections/{section}/revisions", {"reason": "r"}, "changes the title or"),
        (
            "/api/plan-sections/{section}/revisions",
            {"body": "x", "reason": "r", "note_ids": [999]},
            "no note 999 in a session of this plan",
        ),
        ("/api/plans/{plan}/next-steps", {"text": "T", "due": "May"}, "due must be a date"),
        ("/api/plans/{plan}/next-steps", {"text": "T", "status": "declined"}, "needs a reason"),
        ("/api/plans/import", {"format": "nope"}, "not a workshop export"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(client, path, body, message):
    plan = make_plan(client)
    before = client.get(f"/api/plans/{plan['code']}").json
    path = path.format(plan=plan["code"], section=plan["sections"][0]["id"])
    response = client.post(path, json=body, headers=AUTH)
    assert 400 <= response.status_code < 500
    assert message in response.json["error"]
    assert before == client.get(f"/api/plans/{plan['code']}").json
    assert [] == client.get(f"/api/plans/{plan['code']}/next-steps").json


def test_only_the_facilitator_changes_a_plan(app, client):
    plan = make_plan(client)
    phone = app.test_client()
    for path in ("/api/plans", f"/api/plans/{plan['code']}/sessions"):
        assert 403 == phone.post(path, json={"title": "x"}).status_code
    assert 403 == phone.get(f"/plans/{plan['code']}").status_code
    assert 200 == phone.get(f"/p/{plan['code']}").status_code  # the public plan page


def test_a_workshop_without_a_plan_is_exported_as_before(client, workshop):
    data = client.get(f"/api/workshops/{workshop['code']}/export.json", headers=AUTH).json
    assert "plan" not in data


def test_a_session_export_imported_twice_elsewhere_gives_the_same_plan_page(
    client, programme, tmp_path
):
    code = programme["plan"]["code"]
    library = programme["sessions"][0]
    exported = client.get(f"/api/workshops/{library['code']}/export.json", headers=AUTH).json
    other = create_app(
        {
            "TESTING": True,
            "FACILITATOR_TOKEN": TOKEN,
            "DATA_DIR": str(tmp_path / "other"),
            "PUBLIC_URL": "http://other:5000",
        }
    )
    try:
        there = other.test_client()
        first = there.post("/api/plans/import", json=exported, headers=AUTH)
        assert (201, True) == (first.status_code, first.json["imported"]), first.json
        page = there.get(f"/api/plans/{code}/heard", headers=AUTH).json
        second = there.post("/api/plans/import", json=exported, headers=AUTH)
        assert (200, False) == (second.status_code, second.json["imported"])
        assert first.json["code"] == second.json["code"]
        assert page == there.get(f"/api/plans/{code}/heard", headers=AUTH).json
        [column] = [c for c in page["sections"][1]["columns"] if c["notes"]]
        assert ["March is too soon for parents"] == [n["text"] for n in column["notes"]]
        assert (1, "Library") == (len(page["sessions"]), page["sessions"][0]["venue"])
        # The imported notes link to the plan's sections: a revision there may cite them.
        note_id = column["notes"][0]["id"]
        timeline = page["plan"]["sections"][1]["id"]
        revised = there.post(
            f"/api/plan-sections/{timeline}/revisions",
            json={"body": "May", "reason": "Heard at the library", "note_ids": [note_id]},
            headers=AUTH,
        )
        assert 201 == revised.status_code, revised.json
    finally:
        other.extensions["workshop"].store.close()
