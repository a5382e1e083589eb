"""One tally rule (workshop.voting.tally): every view shows the same numbers, and no
sequence of votes, paper dots, merges, groups, ungroups, moves and undos loses or doubles a dot.
"""

import contextlib
import csv
import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from workshop.board import sorting, undo
from workshop.core import db as database
from workshop.core.errors import WorkshopError
from workshop.followup import reportdata, summary
from workshop.notes import notes
from workshop.records import exports
from workshop.voting import tally, votes
from workshop.workshops import workshops


def _room(store, count=4, **settings):
    code = workshops.create_workshop(
        store, title="T", settings={"votes_per_attendee": 50, **settings}
    )["code"]
    ids = [
        notes.create_note(store, code, text=f"n{i}", client_id=f"c{i}")[0]["id"]
        for i in range(count)
    ]
    workshops.set_phase(store, code, "vote")
    return code, ids


def test_a_group_holds_every_dot_of_its_notes_and_its_own(store):
    """The scenario found by testing: dots on B, B merged into A, A grouped with C."""
    code, (a, b, c, _) = _room(store, several_dots_per_note=True)
    for voter in ("ana", "ben", "cy"):
        votes.add_vote(store, b, voter)
    votes.add_vote(store, a, "ana")
    votes.set_paper_dots(store, b, 2)
    sorting.merge_notes(store, a, [b])
    assert 6 == notes.get_note_json(store.db, a)["votes"]
    votes.add_vote(store, c, "ben")
    group = sorting.create_group(store, [a, c], "Crossings")
    assert 7 == group["votes"]
    answer = votes.add_group_vote(store, group["id"], "dee")
    assert 8 == answer["votes"]
    # The group's dot is the group's: its first note's tally does not grow.
    assert 6 == notes.get_note_json(store.db, a)["votes"]
    assert {group["id"]: 1} == answer["mine_groups"]
    assert {} == answer["mine"]
    # The ranked view ranks the group as one item, with every dot it holds.
    listed = notes.list_notes(store.db, code)
    workshop_id = workshops.workshop_row(store.db, code)["id"]
    ranked = tally.ranked(listed, sorting.list_groups(store.db, workshop_id))
    assert [("group", group["id"], 8)] == [(i["kind"], i["id"], i["votes"]) for i in ranked]
    # Dissolved, the group's dot counts on the note it was given beside: nothing is lost.
    sorting.ungroup(store, group["id"])
    assert 7 == notes.get_note_json(store.db, a)["votes"]
    assert 8 == tally.dots_cast(store.db, workshop_id)["total"]
    # Undone, the group stands again and holds its dot again.
    undo.undo_last(store, code)
    assert 8 == sorting.group_json(store.db, sorting.get_group(store.db, group["id"]))["votes"]
    assert 6 == notes.get_note_json(store.db, a)["votes"]


def test_a_new_group_never_takes_the_id_of_a_dissolved_group_with_dots(store):
    code, (a, b, c, d) = _room(store)
    group = sorting.create_group(store, [a, b])
    votes.add_group_vote(store, group["id"], "ana")
    sorting.ungroup(store, group["id"])
    again = sorting.create_group(store, [c, d])
    assert again["id"] != group["id"]
    assert 0 == again["votes"]
    assert 1 == notes.get_note_json(store.db, a)["votes"]


def test_taking_a_dot_back_from_a_group(store):
    code, (a, b, _, _) = _room(store)
    group = sorting.create_group(store, [a, b])
    votes.add_group_vote(store, group["id"], "ana")
    back = votes.remove_group_vote(store, group["id"], "ana")
    assert (0, 50) == (back["votes"], back["votes_left"])


# -- every sequence keeps every dot, and every view agrees ---------------------------
NOTES = 5
VOTERS = ("ana", "ben", "card:AAAA")
index = st.integers(0, NOTES - 1)
actions = st.one_of(
    st.tuples(st.just("vote"), index, st.sampled_from(VOTERS)),
    st.tuples(st.just("unvote"), index, st.sampled_from(VOTERS)),
    st.tuples(st.just("paper"), index, st.integers(0, 3)),
    st.tuples(st.just("group_vote"), index, st.sampled_from(VOTERS)),
    st.tuples(st.just("group_unvote"), index, st.sampled_from(VOTERS)),
    st.tuples(st.just("merge"), index, index),
    st.tuples(st.just("group"), index, index),
    st.tuples(st.just("ungroup"), index, st.none()),
    st.tuples(st.just("move_out"), index, st.none()),
    st.tuples(st.just("move_in"), index, index),
    st.tuples(st.just("undo"), st.none(), st.none()),
)


def _apply(store, code, ids, action):
    kind, first, second = action
    db = store.db
    note = ids[first] if first is not None else None
    group_of = notes.get_note(db, note)["group_id"] if note is not None else None
    match kind:
        case "vote":
            votes.add_vote(store, note, second)
            return {"placed": 1}
        case "unvote":
            votes.remove_vote(store, note, second)
            return {"placed": -1}
        case "paper":
            return {"paper": (votes.set_paper_dots(store, note, second)["note_id"], second)}
        case "group_vote":
            votes.add_group_vote(store, group_of, second)
            return {"placed": 1}
        case "group_unvote":
            votes.remove_group_vote(store, group_of, second)
            return {"placed": -1}
        case "merge":
            sorting.merge_notes(store, note, [ids[second]])
        case "group":
            sorting.create_group(store, [note, ids[second]])
        case "ungroup":
            sorting.ungroup(store, group_of)
        case "move_out":
            sorting.move_note(store, note, section_id=None)
        case "move_in":
            target = notes.get_note(db, ids[second])["group_id"]
            sorting.move_note(store, note, section_id=None, group_id=target)
        case "undo":
            undo.undo_last(store, code)
    return {}


def _views_agree(db, code, expected):
    workshop_id = workshops.workshop_row(db, code)["id"]
    board = notes.list_notes(db, code, include_hidden=True)
    groups = sorting.list_groups(db, workshop_id)
    cast = tally.dots_cast(db, workshop_id)
    assert expected == cast["total"]  # every dot the room placed, and no other
    top_level = [n["votes"] for n in board if n["group_id"] is None]
    assert cast["total"] == sum(top_level) + sum(g["votes"] for g in groups)
    assert cast["total"] == cast["phones"] + cast["paper"]
    by_note = {n["id"]: n["votes"] for n in board}
    by_group = {g["id"]: g["votes"] for g in groups}
    for group in groups:
        own = db.execute("SELECT count(*) FROM votes WHERE group_id = ?", [group["id"]])
        assert group["votes"] == sum(by_note[i] for i in group["note_ids"]) + own.fetchone()[0]
    # The summary, the report and the exports show the same numbers.
    seen = summary.summary(db, code)
    assert {i: n["votes"] for i, n in seen["notes_by_id"].items()} == by_note
    assert by_group == {g["id"]: g["votes"] for s in seen["sections"] for g in s["groups"]}
    report = reportdata.report_data(db, code, None)
    live = {n["id"]: n["votes"] for n in report["notes"] if n["merged_into"] is None}
    assert live == by_note
    in_sections = {g["id"]: g["votes"] for s in report["sections"] for g in s["groups"]}
    assert in_sections == {i: v for i, v in by_group.items() if i in in_sections}
    assert cast["total"] == report["ballots"]["dots"]["total"]
    assert cast["total"] == report["participation"]["votes"]
    exported = "".join(exports.export_csv(db, code)).removeprefix("\ufeff")  # Excel's mark
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert by_note == {int(r["id"]): int(r["votes"]) for r in rows if not r["merged_into"]}
    assert cast == exports.export_json(db, code, None)["ballots"]["dots"]


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(actions, max_size=25))
# Found by this test: undoing a move re-inserted the note (INSERT OR REPLACE), and the
# delete cascaded to its dots; undoing a merge put back the physical dots counted since.
@example([("vote", 0, "ana"), ("move_out", 0, None), ("undo", None, None)])
@example([("merge", 0, 1), ("paper", 1, 3), ("undo", None, None)])
def test_every_dot_is_counted_once_whatever_the_room_does(steps):
    store = database.connect(None)
    try:
        code, ids = _room(store, NOTES, several_dots_per_note=True)
        placed, paper = 0, {}  # what the room did: dots placed from phones and cards, and
        for step in steps:  # the physical dots last counted on each note
            with contextlib.suppress(WorkshopError):  # a refusal changes nothing
                done = _apply(store, code, ids, step)
                placed += done.get("placed", 0)
                paper.update([done["paper"]] if "paper" in done else [])
            _views_agree(store.db, code, placed + sum(paper.values()))
    finally:
        store.close()
