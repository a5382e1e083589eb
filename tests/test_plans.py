"""Plans on an in-memory database: a plan with sessions that start from its current text,
what the programme heard by section and session, revisions citing notes, commitments."""

import pytest

from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.notes import notes
from workshop.plans import commitments, heard, plans, sessions
from workshop.records import privacy
from workshop.workshops import workshops

SECTIONS = [
    {"title": "Roles", "body": "The parks department leads."},
    {"title": "Timeline", "body": "Kickoff in March, hand-over in December."},
]


@pytest.fixture
def plan(store):
    return plans.create_plan(store, title="Safer routes to school", sections=SECTIONS)


def post(store, code, text, client_id, *, section_id=None, source="phone"):
    note, _ = notes.post_note(
        store, code, text=text, client_id=client_id, section_id=section_id, source=source
    )
    return note


def test_a_plan_starts_at_version_one_with_its_sections(store, plan):
    assert 1 == plan["version"]
    assert ["Roles", "Timeline"] == [s["title"] for s in plan["sections"]]
    assert [1, 1] == [s["version"] for s in plan["sections"]]
    assert [] == plan["sessions"]
    assert 5 == len(plan["code"])


def test_a_plan_without_sections_gets_the_seed_plan_parts_in_its_language(store):
    plan = plans.create_plan(store, title="Plan", language="es")
    assert "Cronograma" in [s["title"] for s in plan["sections"]]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "title is empty"),
        ({"title": "P", "sections": "Roles"}, "sections must be a list"),
        ({"title": "P", "language": "xx"}, "language must be one of"),
        ({"title": "P", "sections": [{"title": "A"}, {"title": "a"}]}, "two sections"),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_is_stored(store, fields, message):
    with pytest.raises(Invalid, match=message):
        plans.create_plan(store, **fields)
    assert [] == plans.list_plans(store.db)


def test_a_session_is_a_workshop_that_starts_from_the_plans_current_text(store, plan):
    roles = plan["sections"][0]
    plans.revise_section(store, roles["id"], {"body": "A residents' board leads.", "reason": "r"})
    session = sessions.create_session(
        store, plan["code"], kind="workshop", venue="Library", held_on="2027-03-01"
    )
    assert ["Roles", "Timeline"] == [s["title"] for s in session["sections"]]
    assert "A residents' board leads." == session["sections"][0]["body"]
    expected = {"plan": plan["code"], "kind": "workshop", "venue": "Library"}
    assert expected.items() <= session["session"].items()
    assert 2 == session["session"]["plan_version"]
    assert "Safer routes to school · Library" == session["title"]
    assert session["code"] != plan["code"]
    # An ordinary workshop of its own: join code, board, prompts.
    assert "gather" == workshops.get_workshop(store.db, session["code"])["phase"]


def test_a_sessions_prompt_can_name_a_plan_section(store, plan):
    session = sessions.create_session(
        store, plan["code"], prompts=[{"text": "Is the timeline right?", "section": "Timeline"}]
    )
    assert session["sections"][1]["id"] == session["prompts"][0]["section_id"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "party"}, "kind must be one of"),
        ({"held_on": "next week"}, "date must be a date"),
        ({"venue": "x" * 121}, "venue is too long"),
        ({"prompts": [{"text": "Q", "section": "Budget"}]}, "names a section not in the plan"),
    ],
)
def test_a_bad_session_is_refused_and_no_workshop_is_made(store, plan, fields, message):
    with pytest.raises(Invalid, match=message):
        sessions.create_session(store, plan["code"], **fields)
    assert [] == workshops.list_workshops(store.db)


def test_a_session_of_an_unknown_plan_is_not_found(store):
    with pytest.raises(NotFound):
        sessions.create_session(store, "ZZZZZ")


def test_a_workshop_without_a_plan_is_no_session(store):
    workshop = workshops.create_workshop(store, title="Alone")
    assert sessions.session_of(store.db, workshop["code"]) is None


@pytest.fixture
def programme(store, plan):
    """Two workshops and an online window, each with notes."""
    one = sessions.create_session(store, plan["code"], venue="Library", held_on="2027-03-01")
    two = sessions.create_session(store, plan["code"], venue="School", held_on="2027-03-08")
    web = sessions.create_session(store, plan["code"], kind="online", held_on="2027-03-15")
    roles = [s["sections"][0]["id"] for s in (one, two, web)]
    timeline = [s["sections"][1]["id"] for s in (one, two, web)]
    made = {
        "a": post(
            store,
            one["code"],
            "Kickoff in March is too soon for parents",
            "a",
            section_id=timeline[0],
        ),
        "b": post(
            store, two["code"], "March kickoff is too soon for parents", "b", section_id=timeline[1]
        ),
        "c": post(
            store,
            two["code"],
            "Who pays the crossing guards?",
            "c",
            section_id=roles[1],
            source="paper",
        ),
        "d": post(store, web["code"], "Ask the bus company to join", "d", section_id=roles[2]),
        "e": post(store, one["code"], "Not sorted yet", "e"),
    }
    return {"plan": plan, "sessions": (one, two, web), "notes": made}


def test_the_plan_page_shows_every_sessions_notes_by_section_side_by_side(store, programme):
    one, two, web = programme["sessions"]
    page = heard.plan_heard(store.db, programme["plan"]["code"])
    roles, timeline = page["sections"]
    assert [one["code"], two["code"], web["code"]] == [c["session"] for c in roles["columns"]]
    assert [[], ["Who pays the crossing guards?"], ["Ask the bus company to join"]] == [
        [n["text"] for n in column["notes"]] for column in roles["columns"]
    ]
    assert [1, 1, 0] == [len(c["notes"]) for c in timeline["columns"]]
    assert ["Not sorted yet"] == [n["text"] for n in page["outside"]["columns"][0]["notes"]]
    assert 5 == page["total"]


def test_the_plan_page_counts_by_session_and_channel(store, programme):
    page = heard.plan_heard(store.db, programme["plan"]["code"])
    assert [2, 2, 1] == [s["total"] for s in page["sessions"]]
    assert {"phone": 3, "paper": 1, "online": 1, "facilitator": 0} == page["by_channel"]
    assert 1 == page["sessions"][2]["counts"]["online"]  # a phone note in the online window


def test_the_plan_page_filters_by_session_and_channel(store, programme):
    one, two, _ = programme["sessions"]
    page = heard.plan_heard(store.db, programme["plan"]["code"], session=two["code"])
    assert [two["code"]] == [c["session"] for c in page["sections"][0]["columns"]]
    assert 2 == page["shown"]
    assert 5 == page["total"]  # the counts still cover the whole programme
    page = heard.plan_heard(store.db, programme["plan"]["code"], channel="paper")
    shown = [n["text"] for s in page["sections"] for c in s["columns"] for n in c["notes"]]
    assert ["Who pays the crossing guards?"] == shown


@pytest.mark.parametrize(
    "filters, message",
    [({"session": "ZZZZ"}, "one of the plan's sessions"), ({"channel": "fax"}, "channel must")],
)
def test_an_unknown_filter_is_refused(store, programme, filters, message):
    with pytest.raises(Invalid, match=message):
        heard.plan_heard(store.db, programme["plan"]["code"], **filters)


def test_a_point_raised_in_two_sessions_is_shown_with_both(store, programme):
    one, two, _ = programme["sessions"]
    page = heard.plan_heard(store.db, programme["plan"]["code"])
    [point] = page["points"]
    made = programme["notes"]
    assert [made["a"]["id"], made["b"]["id"]] == point["note_ids"]
    assert [one["code"], two["code"]] == point["sessions"]
    assert "kickoff" in [theme["word"] for theme in page["themes"]]


def test_hidden_and_withdrawn_notes_are_not_heard(store, programme):
    made = programme["notes"]
    store.db.execute("UPDATE notes SET hidden = 1 WHERE id = ?", [made["c"]["id"]])
    page = heard.plan_heard(store.db, programme["plan"]["code"])
    assert 4 == page["total"]


def test_a_revision_keeps_who_when_why_and_the_notes_from_two_sessions(store, programme):
    made = programme["notes"]
    timeline = programme["plan"]["sections"][1]
    revision = plans.revise_section(
        store,
        timeline["id"],
        {
            "body": "Kickoff in May, after parents were asked.",
            "reason": "Parents at two sessions said March is too soon.",
            "note_ids": [made["a"]["id"], made["b"]["id"]],
            "by": "Ana Ruiz",
        },
    )
    assert 2 == revision["plan_version"]
    assert ("Ana Ruiz", "Kickoff in March, hand-over in December.") == (
        revision["revised_by"],
        revision["previous_body"],
    )
    one, two, _ = programme["sessions"]
    assert [(one["code"], "phone"), (two["code"], "phone")] == [
        (n["session"], n["channel"]) for n in revision["notes"]
    ]
    plan = plans.get_plan(store.db, programme["plan"]["code"])
    assert (2, 2) == (plan["version"], plan["sections"][1]["version"])
    assert [revision] == plans.section_revisions(store.db, timeline["id"])


def test_a_revision_must_say_why_and_change_something(store, plan):
    roles = plan["sections"][0]
    with pytest.raises(Invalid, match="say why the section changes"):
        plans.revise_section(store, roles["id"], {"body": "New"})
    with pytest.raises(Invalid, match="changes nothing"):
        plans.revise_section(store, roles["id"], {"body": roles["body"], "reason": "r"})
    with pytest.raises(Invalid, match="two sections"):
        plans.revise_section(store, roles["id"], {"title": "timeline", "reason": "r"})
    assert 1 == plans.get_plan(store.db, plan["code"])["version"]


def test_a_revision_cites_only_visible_notes_of_the_plans_sessions(store, programme):
    roles = programme["plan"]["sections"][0]
    other = workshops.create_workshop(store, title="Another thing")
    stranger = post(store, other["code"], "Elsewhere", "x")
    with pytest.raises(NotFound, match="in a session of this plan"):
        plans.revise_section(
            store, roles["id"], {"body": "B", "reason": "r", "note_ids": [stranger["id"]]}
        )
    hidden = programme["notes"]["c"]["id"]
    store.db.execute("UPDATE notes SET hidden = 1 WHERE id = ?", [hidden])
    with pytest.raises(Conflict, match="hidden or withdrawn"):
        plans.revise_section(store, roles["id"], {"body": "B", "reason": "r", "note_ids": [hidden]})
    assert [] == plans.section_revisions(store.db, roles["id"])


def test_a_commitment_keeps_its_dated_updates_in_order(store, programme):
    made = programme["notes"]
    step = commitments.create_step(
        store,
        programme["plan"]["code"],
        {
            "text": "Hire crossing guards",
            "owner": "Parks",
            "due": "2027-09-01",
            "note_ids": [made["c"]["id"]],
        },
    )
    assert ("planned", ["Who pays the crossing guards?"]) == (
        step["status"],
        [n["text"] for n in step["notes"]],
    )
    commitments.add_update(
        store, step["id"], {"status": "considering", "note": "On track", "date": "2027-05-02"}
    )
    step = commitments.add_update(store, step["id"], {"status": "done", "date": "2027-08-20"})
    assert "done" == step["status"]
    assert [("considering", "On track", "2027-05-02"), ("done", "", "2027-08-20")] == [
        (u["status"], u["note"], u["on_date"]) for u in step["updates"]
    ]


@pytest.mark.parametrize(
    "update, message",
    [
        ({"note": "x"}, "says the status"),
        ({"status": "finished"}, "status must be one of"),
        ({"status": "done", "date": "soon"}, "date must be a date"),
        ({"status": "declined"}, "needs a reason"),
        ({"status": "done", "colour": "red"}, "an update has no colour"),
    ],
)
def test_a_bad_update_is_refused_and_nothing_changes(store, plan, update, message):
    step = commitments.create_step(store, plan["code"], {"text": "Do it"})
    with pytest.raises(Invalid, match=message):
        commitments.add_update(store, step["id"], update)
    assert step == commitments.get_step(store.db, step["id"])


def test_deleting_a_session_for_good_leaves_the_plan_and_its_revisions(store, programme):
    made = programme["notes"]
    one, two, _ = programme["sessions"]
    timeline = programme["plan"]["sections"][1]
    plans.revise_section(
        store,
        timeline["id"],
        {"body": "May", "reason": "Parents", "note_ids": [made["a"]["id"], made["b"]["id"]]},
    )
    privacy.delete_note_forever(store, made["b"]["id"])
    privacy.delete_workshop(store, one["code"], confirm=one["code"])
    [revision] = plans.section_revisions(store.db, timeline["id"])
    assert ("May", []) == (revision["body"], revision["notes"])
    plan = plans.get_plan(store.db, programme["plan"]["code"])
    assert [two["code"]] == [s["code"] for s in plan["sessions"]][:1]
    assert 2 == len(plan["sessions"])
    left = store.db.execute(
        "SELECT count(*) FROM plan_revision_notes UNION ALL SELECT count(*) FROM"
        " plan_session_sections WHERE workshop_id = ?",
        [workshops.workshop_row(store.db, two["code"])["id"]],
    ).fetchall()
    assert [(0,), (2,)] == left
