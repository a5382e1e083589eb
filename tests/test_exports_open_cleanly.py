"""Exports open cleanly where people open them: a CSV Excel reads as UTF-8, Markdown that
escapes only what Markdown needs and speaks the workshop's language."""

from __future__ import annotations

import csv
import io

from workshop.followup import nextsteps, summary
from workshop.notes import notes
from workshop.records import exports
from workshop.voting import votes
from workshop.workshops import attendees, workshops


def _workshop(store, language="en"):
    code = workshops.create_workshop(
        store,
        title="Bike-lane plan (draft 2)",
        sections=[{"title": "Timeline"}],
        settings={"language": language, "several_dots_per_note": True},
    )["code"]
    aid = attendees.join(store, code, "phone-1", None)["attendee_id"]
    note, _ = notes.create_note(
        store,
        code,
        text="Add a bike-lane on 5th St. — español ✓ 🚲",
        client_id="a",
        attendee_id=aid,
    )
    return code, note, aid


def test_the_csv_starts_with_a_byte_order_mark_so_excel_reads_utf8(store):
    code, _, _ = _workshop(store)
    data = "".join(exports.export_csv(store.db, code)).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert "id" in rows[0]  # the first column's name carries no stray mark
    assert ["Add a bike-lane on 5th St. — español ✓ 🚲"] == [r["text"] for r in rows]


def test_markdown_escapes_only_what_markdown_needs(store):
    code, note, _ = _workshop(store)
    text = summary.markdown(store.db, code)
    assert "# Bike-lane plan (draft 2)" in text
    assert "Add a bike-lane on 5th St. — español ✓ 🚲" in text


def test_markdown_neutralises_what_would_format_or_link(store):
    code, _, aid = _workshop(store)
    for i, hostile in enumerate(
        ["# not a heading", "1. not a list", "[x](javascript:y)", "a *b* _c_ &amp; <i>"]
    ):
        notes.create_note(store, code, text=hostile, client_id=f"h{i}", attendee_id=aid)
    text = summary.markdown(store.db, code)
    assert "- \\# not a heading" in text
    assert "- 1\\. not a list" in text
    assert "\\[x\\]\\(javascript:y)" in text and "](javascript" not in text
    assert "a \\*b\\* \\_c\\_ \\&amp; \\<i\\>" in text


def test_markdown_escapes_a_next_steps_owner(store):
    code, note, _ = _workshop(store)
    nextsteps.create_next_step(
        store, code, {"text": "Map it", "owner": "[Parks](http://evil)", "note_ids": [note["id"]]}
    )
    text = summary.markdown(store.db, code)
    assert "\\[Parks\\]\\(http://evil)" in text and "](http" not in text


def test_markdown_counts_one_vote_and_many_votes_in_the_workshops_language(store):
    for language, one, many in (("en", "(1 vote)", "(2 votes)"), ("es", "(1 voto)", "(2 votos)")):
        code, note, aid = _workshop(store, language)
        other, _ = notes.create_note(store, code, text="Other", client_id="b", attendee_id=aid)
        workshops.set_phase(store, code, "vote")
        votes.add_vote(store, note["id"], aid)
        votes.add_vote(store, other["id"], aid)
        votes.add_vote(store, other["id"], aid)
        text = summary.markdown(store.db, code)
        assert one in text and many in text, text
    assert "## Lo que escuchamos" in text and "## Lo que haremos" in text
