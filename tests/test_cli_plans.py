"""Plans on the command line, run in-process: a plan from TOML, three sessions with
``workshop new --plan``, plan.pdf, and a session's export imported twice on another laptop."""

import json

from click.testing import CliRunner

from tests.pdfcheck import decode_qr_codes, pdf_text, words
from workshop.cli.commands import cli
from workshop.core import db as database
from workshop.notes import notes
from workshop.plans import heard, plans

PLAN = """
title = "Safer routes"
language = "en"

[[sections]]
title = "Roles"
body = "The parks department leads."

[[sections]]
title = "Timeline"
body = "Kickoff in March."
"""

SESSION = """
kind = "focus-group"
venue = "School"
date = "2027-03-08"

[[prompts]]
text = "Is the timeline right?"
section = "Timeline"
"""


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output.strip()


def test_a_plan_with_three_sessions_from_the_command_line(tmp_path):
    data = str(tmp_path / "data")
    (tmp_path / "plan.toml").write_text(PLAN)
    (tmp_path / "session.toml").write_text(SESSION)
    status, code = run("plan", "new", str(tmp_path / "plan.toml"), "--data", data)
    assert 0 == status, code
    made = [
        run("new", "--plan", code, "--venue", "Library", "--date", "2027-03-01", "--data", data),
        run("new", str(tmp_path / "session.toml"), "--plan", code, "--data", data),
        run("new", "--plan", code, "--kind", "online", "--data", data),
    ]
    assert [0, 0, 0] == [status for status, _ in made], made
    store = database.connect(tmp_path / "data" / "workshop.db")
    try:
        plan = plans.get_plan(store.db, code)
        assert [("workshop", "Library"), ("focus-group", "School"), ("online", "")] == [
            (s["kind"], s["venue"]) for s in plan["sessions"]
        ]
        assert [s["code"] for s in plan["sessions"]] == [output for _, output in made]
    finally:
        store.close()
    status, listing = run("plan", "list", "--data", data)
    assert 0 == status and f"{code}  v1  Safer routes" in listing
    assert "focus-group  School, 2027-03-08" in listing

    pdf = tmp_path / "plan.pdf"
    status, output = run(
        "plan", "pdf", code, "-o", str(pdf), "--data", data, "--public-url", "http://10.0.0.5:5000"
    )
    assert (0, f"Plan written to {pdf}") == (status, output)
    assert "Unchanged since the draft." in words(" ".join(pdf_text(pdf.read_bytes())))
    assert [f"http://10.0.0.5:5000/p/{code}"] == decode_qr_codes(pdf.read_bytes())[0]


def test_new_refuses_session_options_without_a_plan_and_a_plan_it_does_not_know(tmp_path):
    data = str(tmp_path / "data")
    status, output = run("new", "--venue", "Library", "--data", data)
    assert 2 == status and "give a TOML file, or --plan CODE" in output
    status, output = run("new", "--plan", "ZZZZZ", "--data", data)
    assert 1 == status and "no plan with the code 'ZZZZZ'" in output
    (tmp_path / "s.toml").write_text('[[sections]]\ntitle = "Own"\n')
    status, output = run("plan", "new", str(tmp_path / "plan.toml"), "--data", data)
    assert 2 == status  # no such file
    (tmp_path / "plan.toml").write_text(PLAN)
    _, code = run("plan", "new", str(tmp_path / "plan.toml"), "--data", data)
    status, output = run("new", str(tmp_path / "s.toml"), "--plan", code, "--data", data)
    assert 1 == status and "unknown keys: sections" in output  # a session's come from the plan


def test_a_session_export_imports_twice_into_another_data_dir_as_once(tmp_path):
    here, there = str(tmp_path / "here"), str(tmp_path / "there")
    (tmp_path / "plan.toml").write_text(PLAN)
    _, code = run("plan", "new", str(tmp_path / "plan.toml"), "--data", here)
    _, session = run("new", "--plan", code, "--venue", "Library", "--data", here)
    store = database.connect(tmp_path / "here" / "workshop.db")
    try:
        sections = plans.get_plan(store.db, code)["sessions"]
        assert session == sections[0]["code"]
        workshop_sections = store.db.execute(
            "SELECT s.id FROM sections s JOIN workshops w ON w.id = s.workshop_id"
            " WHERE w.code = ? ORDER BY s.position",
            [session],
        ).fetchall()
        notes.post_note(
            store,
            session,
            text="March is too soon",
            client_id="c1",
            section_id=workshop_sections[1][0],
        )
    finally:
        store.close()
    exported = tmp_path / "session.json"
    assert 0 == run("export", session, "-o", str(exported), "--data", here)[0]
    assert code == json.loads(exported.read_text())["plan"]["code"]
    first = run("import", str(exported), "--data", there)
    second = run("import", str(exported), "--data", there)
    assert (0, 0) == (first[0], second[0])
    assert first[1] == second[1]  # the same session's code, not a second copy
    store = database.connect(tmp_path / "there" / "workshop.db")
    try:
        page = heard.plan_heard(store.db, code)
        assert (1, 1) == (len(page["sessions"]), page["total"])
        [column] = page["sections"][1]["columns"]
        assert ["March is too soon"] == [n["text"] for n in column["notes"]]
    finally:
        store.close()
