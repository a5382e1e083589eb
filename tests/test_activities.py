"""Card sorting by everyone and the plan check: the maths on hand-checked examples."""

import pytest

from workshop.activities import cardsort, plancheck
from workshop.core.errors import Conflict, Invalid, NotFound
from workshop.notes import notes
from workshop.workshops import workshops


@pytest.fixture
def room(store):
    workshop = workshops.create_workshop(
        store, title="T", sections=[{"title": "Timeline"}, {"title": "Roles"}, {"title": "Data"}]
    )
    ids = [
        notes.create_note(store, workshop["code"], text=f"n{i}", client_id=f"{i}")[0]["id"]
        for i in range(3)
    ]
    t, r, d = (s["id"] for s in workshop["sections"])
    return {"code": workshop["code"], "ids": ids, "t": t, "r": r, "d": d}


def test_agreement_disputes_and_similarity_on_a_hand_checked_sort(store, room):
    a, b, c = room["ids"]
    t, r, d = room["t"], room["r"], room["d"]
    sort = cardsort.start_sort(store, room["code"], [a, b, c])
    # ana: a→T b→T c→R ; ben: a→T b→R c→R ; cy: a→T b→D c→R ; dee placed only a→R
    for voter, places in {
        "ana": (t, t, r),
        "ben": (t, r, r),
        "cy": (t, d, r),
    }.items():
        for note_id, section_id in zip((a, b, c), places, strict=True):
            cardsort.place(store, sort["id"], voter, note_id, section_id)
    cardsort.place(store, sort["id"], "dee", a, r)
    outcome = cardsort.results(store.db, sort["id"])
    by_note = {n["note_id"]: n for n in outcome["notes"]}
    assert (4, {str(t): 3, str(r): 1}, 0.75, t) == (
        outcome["participants"],
        by_note[a]["counts"],
        by_note[a]["agreement"],
        by_note[a]["top_section_id"],
    )
    assert (0.333, t) == (
        by_note[b]["agreement"],
        by_note[b]["top_section_id"],
    )  # a 3-way tie: first section
    assert (1.0, r) == (by_note[c]["agreement"], by_note[c]["top_section_id"])
    assert [b, a, c] == outcome["most_disputed"]
    # a and b together for ana only (of ana, ben, cy); a and c never; b and c for ben only.
    assert [[1.0, 0.333, 0.0], [0.333, 1.0, 0.333], [0.0, 0.333, 1.0]] == outcome["similarity"]


def test_applying_places_each_note_where_most_put_it(store, room):
    a, b, c = room["ids"]
    sort = cardsort.start_sort(store, room["code"], [a, c])
    for voter in ("x", "y"):
        cardsort.place(store, sort["id"], voter, a, room["d"])
        cardsort.place(store, sort["id"], voter, c, room["r"])
    cardsort.apply_results(store, sort["id"])
    assert (room["d"], room["r"], None) == tuple(
        notes.get_note_json(store.db, n)["section_id"] for n in (a, c, b)
    )
    with pytest.raises(Conflict, match="This card sort has ended."):
        cardsort.place(store, sort["id"], "z", a, room["t"])


@pytest.mark.parametrize(
    "note, section, error",
    [("other", "t", NotFound), ("a", 9999, NotFound), ("a", "x", Invalid)],
)
def test_bad_placements_are_refused(store, room, note, section, error):
    a, b, _ = room["ids"]
    sort = cardsort.start_sort(store, room["code"], [a])
    note_id = b if note == "other" else a
    section_id = room[section] if section in ("t", "r", "d") else section
    with pytest.raises(error):
        cardsort.place(store, sort["id"], "ana", note_id, section_id)
    assert 0 == cardsort.results(store.db, sort["id"])["participants"]


def test_the_plan_check_counts_ratings_and_turns_comments_into_notes(store, room):
    with pytest.raises(Conflict, match="not open"):
        plancheck.rate(store, room["code"], "ana", room["t"], "workable")
    workshops.set_phase(store, room["code"], "vote")  # comments are taken in any phase
    plancheck.open_check(store, room["code"])
    plancheck.rate(store, room["code"], "ana", room["t"], "workable")
    plancheck.rate(store, room["code"], "ben", room["t"], "needs-changes", "March is too soon")
    plancheck.rate(store, room["code"], "ana", room["t"], "not-workable")  # changed her mind
    results = plancheck.check_results(store.db, room["code"])
    timeline = results["sections"][0]
    assert (2, {"workable": 0, "needs-changes": 1, "not-workable": 1}) == (
        results["participants"],
        timeline["counts"],
    )
    (comment,) = timeline["comment_note_ids"]
    assert ("March is too soon", room["t"]) == (
        notes.get_note_json(store.db, comment)["text"],
        notes.get_note_json(store.db, comment)["section_id"],
    )
    with pytest.raises(Invalid, match="rating must be one of"):
        plancheck.rate(store, room["code"], "ana", room["t"], "great")
    plancheck.close_check(store, room["code"])
    assert not plancheck.check_results(store.db, room["code"])["open"]


def test_progress_events_reach_boards_without_taking_a_seq(store, room):
    seen = []
    store.subscribe(seen.append)
    sort = cardsort.start_sort(store, room["code"], room["ids"][:1])
    cardsort.place(store, sort["id"], "ana", room["ids"][0], room["t"])
    started, projected, progress = seen  # the sort, then the projector showing it
    assert (4, False) == (started.seq, started.boards_only)  # after three notes
    assert ("projection.changed", "sort") == (projected.name, projected.data["view"])
    assert (5, True, True, 1) == (
        progress.seq,
        progress.boards_only,
        progress.data["progress"],
        progress.data["participants"],
    )
