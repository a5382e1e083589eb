"""Exports: the JSON round trip, CSV rows and formula safety, import onto another laptop."""

import csv
import io
import json

import pytest

from workshop.board import sorting
from workshop.core import db as database
from workshop.core.errors import Invalid
from workshop.followup import nextsteps
from workshop.notes import edits as noteedits
from workshop.notes import notes, plusones
from workshop.paper import cards
from workshop.records import exports
from workshop.voting import votes
from workshop.workshops import workshops


@pytest.fixture
def full(store):
    """A workshop with a bit of everything."""
    code = workshops.create_workshop(
        store,
        title="Café — plan",
        sections=[{"title": "Timeline"}, {"title": "Roles"}],
        prompts=["Q?"],
    )["code"]
    ids = [
        notes.create_note(store, code, text=t, client_id=str(i), attendee_id="ana")[0]["id"]
        for i, t in enumerate(['=HYPERLINK("x")', "Ünïcode ✓ 雪", "-1+2", "@cmd", "plain"])
    ]
    sorting.create_group(store, ids[:2], label="Winter")
    sorting.merge_notes(store, ids[3], [ids[2]])  # into a later note: a forward reference
    noteedits.update_note(store, ids[4], {"hidden": True})
    plusones.add_plus_one(store, ids[1], "ben")
    workshops.set_phase(store, code, "vote")
    votes.add_vote(store, ids[1], "ana")
    nextsteps.create_next_step(store, code, {"text": "Do it", "owner": "Ops", "note_ids": [ids[1]]})
    card = cards.issue_cards(store, code, 1)[0]
    cards.enter_card_note(store, card["code"], text="paper", client_id="p", source="paper")
    return code


def test_export_import_export_is_identical(store, full, tmp_path):
    first = exports.export_json(store.db, full, tmp_path)
    fresh = database.connect(None)
    code = exports.import_json(fresh, json.loads(exports.dumps(first)), tmp_path)
    again = exports.export_json(fresh.db, code, tmp_path)
    assert exports.dumps(first) == exports.dumps(again)
    fresh.close()


def test_importing_beside_other_workshops_renumbers_and_keeps_links(store, full, tmp_path):
    data = json.loads(exports.dumps(exports.export_json(store.db, full, tmp_path)))
    busy = database.connect(None)
    workshops.create_workshop(busy, title="Already here")
    notes.create_note(busy, workshops.list_workshops(busy.db)[0]["code"], text="x", client_id="x")
    data["tables"]["cards"] = []  # the same cards cannot exist twice; a copy without them
    for note in data["tables"]["notes"]:
        note["card_code"] = None
    code = exports.import_json(busy, data, tmp_path)
    restored = notes.list_notes(busy.db, code, include_hidden=True)
    assert 5 == len(restored)  # the merged note lives inside its target
    grouped = [n for n in restored if n["group_id"]]
    assert {'=HYPERLINK("x")', "Ünïcode ✓ 雪"} == {n["text"] for n in grouped}
    (target,) = [n for n in restored if n["merged"]]
    assert ("@cmd", ["-1+2"]) == (target["text"], [m["text"] for m in target["merged"]])
    assert [1] == [n["plus_ones"] for n in restored if n["text"] == "Ünïcode ✓ 雪"]
    step = nextsteps.list_next_steps(busy.db, code)[0]
    assert ["Ünïcode ✓ 雪"] == [notes.get_note_json(busy.db, i)["text"] for i in step["note_ids"]]
    busy.close()


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "not a workshop export"),
        ({"format": "workshop-companion/1", "tables": {}}, "exactly one"),
    ],
)
def test_bad_imports_are_refused(store, data, message, tmp_path):
    with pytest.raises(Invalid, match=message):
        exports.import_json(store, data, tmp_path)
    assert [] == workshops.list_workshops(store.db)


def test_csv_has_a_row_per_note_and_no_live_formulas(store, full):
    rows = list(csv.DictReader(io.StringIO("".join(exports.export_csv(store.db, full)))))
    assert 6 == len(rows)  # five notes and the paper card, hidden and merged ones included
    texts = {row["text"] for row in rows}
    assert {'\'=HYPERLINK("x")', "'-1+2", "'@cmd", "Ünïcode ✓ 雪", "plain", "paper"} == texts
    winter = next(r for r in rows if r["text"] == "Ünïcode ✓ 雪")
    assert ("Winter", "1", "1", "answered") == (
        winter["group"],
        winter["votes"],
        winter["plus_ones"],
        winter["outcome"],
    )
    assert {"paper", "phone"} == {r["source"] for r in rows}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=x", "\r=x"])
def test_formula_cells_are_neutralised(value):
    assert "'" + value == exports.safe_cell(value)
    assert 5 == exports.safe_cell(5)
    assert "fine" == exports.safe_cell("fine")
