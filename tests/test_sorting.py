"""Sorting in the domain: ordering, groups, merges, sections, the log and undo."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop.board import moderation, sections, sorting, undo
from workshop.core import db as database
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.notes import edits as noteedits
from workshop.notes import notes
from workshop.workshops import workshops


@pytest.fixture
def board(store):
    workshop = workshops.create_workshop(
        store, title="T", sections=[{"title": "Timeline"}, {"title": "Roles"}]
    )
    ids = [
        notes.create_note(store, workshop["code"], text=f"note {i}", client_id=f"c{i}")[0]["id"]
        for i in range(5)
    ]
    timeline, roles = (s["id"] for s in workshop["sections"])
    return {"code": workshop["code"], "notes": ids, "timeline": timeline, "roles": roles}


def column(store, code, section_id):
    """The ids in a column, top to bottom, groups as ('g', id)."""
    workshop_id = workshops.workshop_row(store.db, code)["id"]
    return [
        item_id if kind == "note" else ("g", item_id)
        for kind, item_id, _ in sorting.column_items(store.db, workshop_id, section_id)
    ]


def test_moving_to_an_index_orders_the_column(store, board):
    a, b, c, *_ = board["notes"]
    sorting.move_note(store, a, section_id=board["timeline"])
    sorting.move_note(store, b, section_id=board["timeline"])
    sorting.move_note(store, c, section_id=board["timeline"], index=1)
    assert [a, c, b] == column(store, board["code"], board["timeline"])
    sorting.move_note(store, b, section_id=board["timeline"], index=0)
    assert [b, a, c] == column(store, board["code"], board["timeline"])
    assert notes.get_note_json(store.db, b)["sorted"]


def test_many_inserts_at_the_same_spot_keep_a_total_order(store, board):
    first, *rest = board["notes"]
    sorting.move_note(store, first, section_id=board["roles"])
    for _ in range(60):  # halving the gap 60 times exhausts a float: the column renumbers
        for note_id in rest[:2]:
            sorting.move_note(store, note_id, section_id=board["roles"], index=1)
    order = column(store, board["code"], board["roles"])
    assert [first, rest[1], rest[0]] == order


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"section_id": 9999}, NotFound, "no section 9999"),
        ({"section_id": None, "group_id": 9999}, NotFound, "no group 9999"),
        ({"section_id": "1"}, Invalid, "section_id must be a whole number"),
        ({"section_id": None, "index": "top"}, Invalid, "index must be a whole number"),
    ],
)
def test_bad_moves_change_nothing(store, board, kwargs, error, message):
    before = notes.list_notes(store.db, board["code"])
    with pytest.raises(error, match=message):
        sorting.move_note(store, board["notes"][0], **kwargs)
    assert before == notes.list_notes(store.db, board["code"])
    assert [] == moderation.moderation_log(store.db, board["code"])


def test_a_stale_move_of_a_withdrawn_note_is_refused(store, board):
    note, _ = notes.create_note(store, board["code"], text="gone", client_id="g", attendee_id="a")
    noteedits.withdraw_own_note(store, note["id"], "a")
    with pytest.raises(Conflict, match="withdrawn by its author"):
        sorting.move_note(store, note["id"], section_id=board["roles"])


def test_grouping_stacks_notes_and_ungrouping_puts_them_back(store, board):
    a, b, c, *_ = board["notes"]
    sorting.move_note(store, a, section_id=board["timeline"])
    group = sorting.create_group(store, [a, b], label="Winter")
    assert ([a, b], "Winter", board["timeline"]) == (
        group["note_ids"],
        group["label"],
        group["section_id"],
    )
    assert [("g", group["id"])] == column(store, board["code"], board["timeline"])
    joined = sorting.create_group(store, [b, c])  # dropped onto a grouped note: joins
    assert (group["id"], [b, a, c]) == (
        joined["id"],
        sorted(joined["note_ids"], key=[b, a, c].index),
    )
    moved = sorting.update_group(store, group["id"], {"section_id": board["roles"], "index": 0})
    assert board["roles"] == moved["section_id"]
    assert {board["roles"]} == {notes.get_note_json(store.db, n)["section_id"] for n in (a, b, c)}
    sorting.ungroup(store, group["id"])
    assert {a, b, c} == set(column(store, board["code"], board["roles"]))
    with pytest.raises(NotFound):
        sorting.get_group(store.db, group["id"])


def test_pulling_the_last_note_out_removes_the_group(store, board):
    a, b, *_ = board["notes"]
    group = sorting.create_group(store, [a, b])
    sorting.move_note(store, a, section_id=None)
    sorting.move_note(store, b, section_id=None)
    assert [] == sorting.list_groups(store.db, 1)
    assert ("g", group["id"]) not in column(store, board["code"], None)


def test_merging_keeps_both_texts_and_sums_votes(store, board):
    a, b, *_ = board["notes"]
    workshop_id = workshops.workshop_row(store.db, board["code"])["id"]
    for note_id, voter in ((a, "x"), (b, "y"), (b, "z")):
        store.db["votes"].insert(
            {"workshop_id": workshop_id, "note_id": note_id, "attendee_id": voter, "created_at": ""}
        )
    merged = sorting.merge_notes(store, a, [b])
    assert (3, ["note 1"]) == (merged["votes"], [m["text"] for m in merged["merged"]])
    assert b not in [n["id"] for n in notes.list_notes(store.db, board["code"])]
    with pytest.raises(Conflict, match=f"merged into note {a}"):
        sorting.move_note(store, b, section_id=None)
    with pytest.raises(Invalid, match="into itself"):
        sorting.merge_notes(store, a, [a])


def test_sections_are_added_edited_moved_and_removed_without_losing_notes(store, board):
    a = board["notes"][0]
    budget = sections.add_section(store, board["code"], "Budget", "Who pays", index=0)
    assert ["Budget", "Timeline", "Roles"] == [
        s["title"] for s in workshops.get_workshop(store.db, board["code"])["sections"]
    ]
    edited = sections.edit_section(
        store, budget["id"], {"body": "The city, two years", "note_ids": [a]}
    )
    assert "The city, two years" == edited["body"]
    history = sections.section_revisions(store.db, budget["id"])
    assert [("Who pays", []), ("The city, two years", [a])] == [
        (r["body"], r["note_ids"]) for r in history
    ]
    with pytest.raises(Invalid, match="two sections are called"):
        sections.edit_section(store, budget["id"], {"title": "timeline"})
    sections.move_section(store, budget["id"], 2)
    assert ["Timeline", "Roles", "Budget"] == [
        s["title"] for s in workshops.get_workshop(store.db, board["code"])["sections"]
    ]
    sorting.move_note(store, a, section_id=budget["id"])
    sections.remove_section(store, budget["id"])
    assert None is notes.get_note_json(store.db, a)["section_id"]
    assert 5 == len(notes.list_notes(store.db, board["code"]))


def test_undo_takes_back_the_last_actions_in_turn(store, board):
    a, b, *_ = board["notes"]
    sorting.move_note(store, a, section_id=board["timeline"])
    noteedits.update_note(store, a, {"text": "note zero, fixed"})
    assert ["note 0"] == [h["text"] for h in noteedits.note_history(store.db, a)]
    noteedits.update_note(store, b, {"hidden": True})
    sorting.merge_notes(store, a, [b])
    assert ["move", "edit", "hide", "merge"] == [
        e["action"] for e in moderation.moderation_log(store.db, board["code"])
    ]
    assert "Merged 1 note(s) into note #1" == undo.undo_last(store, board["code"])["summary"]
    assert None is notes.get_note_json(store.db, b)["merged_into"]
    undo.undo_last(store, board["code"])
    assert not notes.get_note_json(store.db, b)["hidden"]
    undo.undo_last(store, board["code"])
    assert "note 0" == notes.get_note_json(store.db, a)["text"]
    assert [] == noteedits.note_history(store.db, a)  # the undone edit leaves no history
    undo.undo_last(store, board["code"])
    assert None is notes.get_note_json(store.db, a)["section_id"]
    with pytest.raises(Conflict, match="nothing left to undo"):
        undo.undo_last(store, board["code"])


def test_undo_brings_back_a_removed_section_with_its_notes(store, board):
    a = board["notes"][0]
    sorting.move_note(store, a, section_id=board["roles"])
    sections.remove_section(store, board["roles"])
    undo.undo_last(store, board["code"])
    assert ["Timeline", "Roles"] == [
        s["title"] for s in workshops.get_workshop(store.db, board["code"])["sections"]
    ]
    assert board["roles"] == notes.get_note_json(store.db, a)["section_id"]


def test_undo_reaches_twenty_steps_back(store, board):
    a = board["notes"][0]
    for step in range(25):
        sorting.move_note(store, a, section_id=board["timeline"] if step % 2 else board["roles"])
    for _ in range(25):
        undo.undo_last(store, board["code"])
    assert None is notes.get_note_json(store.db, a)["section_id"]


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["move", "group", "ungroup", "merge", "hide", "undo", "remove", "add"]),
        st.integers(0, 5),
        st.integers(0, 5),
        st.integers(0, 6),
    ),
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ACTIONS)
def test_any_sequence_of_moves_and_undos_keeps_every_note_exactly_once(actions):
    store = database.connect(None)
    workshop = workshops.create_workshop(
        store, title="T", sections=[{"title": "A"}, {"title": "B"}]
    )
    code = workshop["code"]
    ids = [
        notes.create_note(store, code, text=f"n{i}", client_id=str(i))[0]["id"] for i in range(6)
    ]
    for action, x, y, z in actions:
        live_sections = [None] + [
            s["id"] for s in workshops.get_workshop(store.db, code)["sections"]
        ]
        groups = [g["id"] for g in sorting.list_groups(store.db, 1)]
        try:
            if action == "move":
                target = live_sections[z % len(live_sections)]
                group = groups[y % len(groups)] if groups and z % 3 == 0 else None
                sorting.move_note(store, ids[x], section_id=target, group_id=group, index=y)
            elif action == "group":
                sorting.create_group(store, [ids[x], ids[y]])
            elif action == "ungroup" and groups:
                sorting.ungroup(store, groups[x % len(groups)])
            elif action == "merge":
                sorting.merge_notes(store, ids[x], [ids[y]])
            elif action == "hide":
                noteedits.update_note(store, ids[x], {"hidden": bool(y % 2)})
            elif action == "undo":
                undo.undo_last(store, code)
            elif action == "remove" and len(live_sections) > 1:
                sections.remove_section(store, live_sections[1 + x % (len(live_sections) - 1)])
            elif action == "add":
                sections.add_section(store, code, f"S{x}{y}{z}", index=z)
        except (Conflict, Invalid, NotFound):
            pass
        shown = notes.list_notes(store.db, code, include_hidden=True)
        seen = [n["id"] for n in shown] + [m["id"] for n in shown for m in n["merged"]]
        assert sorted(ids) == sorted(seen)
        workshop_id = workshops.workshop_row(store.db, code)["id"]
        live_sections = [None] + [
            s["id"] for s in workshops.get_workshop(store.db, code)["sections"]
        ]
        placed = []
        for section_id in live_sections:
            for kind, item_id, _ in sorting.column_items(store.db, workshop_id, section_id):
                placed += (
                    [item_id]
                    if kind == "note"
                    else [i for _, i, _ in sorting.group_items(store.db, item_id)]
                )
        assert sorted(n["id"] for n in shown) == sorted(placed)
    store.close()


def test_entries_that_cannot_be_undone_are_not_reported_as_undone(store, board):
    sorting.move_note(store, board["notes"][0], section_id=board["roles"])
    store.db.execute("UPDATE moderation_log SET undone_at = 'imported'")
    assert [False] == [e["undone"] for e in moderation.moderation_log(store.db, board["code"])]
    with pytest.raises(Conflict):
        undo.undo_last(store, board["code"])


def test_ungrouping_keeps_the_notes_before_the_next_card(store, board):
    a, b, c, d, e = board["notes"]
    for note_id in (a, b, c, d, e):
        sorting.move_note(store, note_id, section_id=board["roles"])
    group = sorting.create_group(store, [a, b, c])
    sorting.ungroup(store, group["id"])
    assert [a, b, c, d, e] == column(store, board["code"], board["roles"])


def test_joining_a_group_keeps_its_order_and_adds_at_the_end(store, board):
    a, b, c, d, _ = board["notes"]
    group = sorting.create_group(store, [a, b, c])
    joined = sorting.create_group(store, [b, d])
    assert (
        [a, b, c, d]
        == joined["note_ids"]
        == sorting.group_json(store.db, sorting.get_group(store.db, group["id"]))["note_ids"]
    )


def test_an_edited_note_says_so(store, board):
    a = board["notes"][0]
    assert not notes.get_note_json(store.db, a)["edited"]
    noteedits.update_note(store, a, {"text": "fixed"})
    assert notes.get_note_json(store.db, a)["edited"]
