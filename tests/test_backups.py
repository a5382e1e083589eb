"""Backups: consistent snapshots, retention, restore, the automatic schedule and the CLI."""

import re
import sqlite3
import threading
import time

import pytest
from click.testing import CliRunner

from tests.liveserver import TOKEN, wait_until
from workshop.cli.commands import cli
from workshop.core import db as database
from workshop.core.errors import Conflict, Invalid
from workshop.core.tokens import FacilitatorKey
from workshop.notes import notes
from workshop.realtime.sockets import socketio
from workshop.realtime.upkeep import Upkeep
from workshop.records import backups
from workshop.web.app import create_app
from workshop.workshops import workshops


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def live_store(data):
    store = database.connect(data / "workshop.db")
    yield store
    store.close()


def add_notes(store, code, texts):
    for text in texts:
        notes.create_note(store, code, text=text, client_id=text, source="facilitator")


def texts_in(path):
    with sqlite3.connect(path) as conn:
        return sorted(row[0] for row in conn.execute("SELECT text FROM notes"))


def test_a_backup_is_one_complete_file_named_with_the_utc_time(live_store, data):
    code = workshops.create_workshop(live_store, title="Routes")["code"]
    add_notes(live_store, code, ["one", "two"])
    path = backups.backup(live_store, data / "backups")
    assert re.fullmatch(r"workshop-\d{8}T\d{6}\.\d{3}Z\.db", path.name)
    assert ["workshop-" + path.name[9:]] == [p.name for p in (data / "backups").iterdir()]
    assert {"workshops": 1, "notes": 2} == backups.check_backup(path)
    with sqlite3.connect(path) as conn:
        assert ("delete",) == conn.execute("PRAGMA journal_mode").fetchone()
    assert ["one", "two"] == texts_in(path)


def test_a_backup_waits_for_a_transaction_to_commit(live_store, data):
    code = workshops.create_workshop(live_store, title="Routes")["code"]
    inside, release = threading.Event(), threading.Event()

    def slow_write():
        with live_store.transaction() as db:
            db["notes"].insert(
                {
                    "workshop_id": 1,
                    "client_id": "slow",
                    "text": "committed whole",
                    "color": "yellow",
                    "source": "phone",
                    "created_at": "now",
                    "updated_at": "now",
                }
            )
            inside.set()
            release.wait(30)

    writer = threading.Thread(target=slow_write)
    writer.start()
    assert inside.wait(30)
    taken = []
    backup = threading.Thread(target=lambda: taken.append(backups.backup(live_store, data / "b")))
    backup.start()
    time.sleep(0.2)  # a window in which a backup that did not wait would be taken; not a wait
    assert [] == taken  # blocked on the store's lock, not copying half a transaction
    release.set()
    writer.join(30)
    backup.join(30)
    assert ["committed whole"] == texts_in(taken[0])
    assert code


def test_a_backup_is_refused_inside_a_transaction(live_store, data):
    with live_store.transaction(), pytest.raises(RuntimeError, match="between transactions"):
        backups.backup(live_store, data / "backups")


def test_pruning_keeps_the_newest(live_store, data):
    folder = data / "backups"
    taken = [backups.backup(live_store, folder) for _ in range(5)]
    assert [p.name for p in reversed(taken)] == [b.path.name for b in backups.list_backups(folder)]
    assert taken[:3] == sorted(backups.prune(folder, 2))
    assert [p.name for p in reversed(taken[3:])] == [
        b.path.name for b in backups.list_backups(folder)
    ]


def test_restore_brings_back_exactly_the_backup_and_keeps_the_replaced_database(data):
    store = database.connect(data / "workshop.db")
    code = workshops.create_workshop(store, title="Routes")["code"]
    add_notes(store, code, ["kept", "also kept"])
    path = backups.backup(store, data / "backups")
    add_notes(store, code, ["after the backup"])
    store.close()
    (data / "workshop.db-wal").write_bytes(b"stale log that must never be replayed")
    kept = backups.restore(path, data / "workshop.db")
    assert not (data / "workshop.db-wal").exists()
    assert ["after the backup", "also kept", "kept"] == texts_in(kept)
    assert "before-restore" == backups.list_backups(data / "backups")[0].label
    store = database.connect(data / "workshop.db")
    assert ["also kept", "kept"] == sorted(n["text"] for n in notes.list_notes(store.db, code))
    assert [("ok",)] == store.db.execute("PRAGMA integrity_check").fetchall()
    store.close()


def test_restore_refuses_while_a_server_holds_the_data_dir(live_store, data):
    path = backups.backup(live_store, data / "backups")
    served = backups.hold_server_lock(data)
    try:
        with pytest.raises(Conflict, match="stop it"):
            backups.restore(path, data / "workshop.db")
    finally:
        served.close()
    assert backups.restore(path, data / "workshop.db") is not None


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(Invalid, match="not a workshop database"):
        backups.restore(junk, tmp_path / "workshop.db")
    assert not (tmp_path / "workshop.db").exists()


def test_upkeep_backs_up_when_due_and_changed_and_when_a_workshop_closes(live_store, data):
    keeper = Upkeep(live_store, data, socketio, FacilitatorKey(None), minutes=5, keep=2)
    live_store.subscribe(keeper.on_event)
    start = time.monotonic()
    assert keeper.backup_if_due(start + 301) is None  # due, but nothing was written
    code = workshops.create_workshop(live_store, title="Routes")["code"]
    assert keeper.backup_if_due(start + 200) is None  # written, not due yet
    assert keeper.backup_if_due(start + 301) is not None
    assert keeper.backup_if_due(start + 900) is None  # nothing written since
    workshops.set_phase(live_store, code, "closed")
    closing = keeper.backup_if_due(start + 901)
    assert ["Routes"] == [w["title"] for w in workshops.list_workshops(live_store.db)]
    with sqlite3.connect(closing) as conn:
        assert ("closed",) == conn.execute("SELECT phase FROM workshops").fetchone()
    add_notes(live_store, code, ["late"])
    keeper.backup_if_due(start + 1300)
    keeper.stop()  # lets go of the keeper's lock
    assert 2 == len(backups.list_backups(data / "backups"))  # keep=2


def test_the_server_backs_up_on_its_own_while_notes_arrive(data):
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(data), "FACILITATOR_TOKEN": TOKEN, "BACKUP_MINUTES": 0.01}
    )
    keeper = app.extensions["workshop_upkeep"]
    try:
        store = app.extensions["workshop"].store
        code = workshops.create_workshop(store, title="Routes")["code"]
        add_notes(store, code, ["a"])
        wait_until(lambda: backups.list_backups(data / "backups"), "a backup taken on its own")
        assert ["a"] == texts_in(backups.list_backups(data / "backups")[0].path)
    finally:
        keeper.stop()
        app.extensions["workshop"].store.close()


def test_no_background_backups_in_tests_unless_asked(data):
    app = create_app({"TESTING": True, "DATA_DIR": str(data), "FACILITATOR_TOKEN": TOKEN})
    assert "workshop_upkeep" not in app.extensions
    app.extensions["workshop"].store.close()


# -- the command line ----------------------------------------------------------------------
def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_backup_and_restore_from_the_command_line(data):
    store = database.connect(data / "workshop.db")
    code = workshops.create_workshop(store, title="Routes")["code"]
    add_notes(store, code, ["before"])
    store.close()
    made = run("backup", "--data", str(data))
    assert 0 == made.exit_code, made.output
    assert "(1 workshops, 1 notes)" in made.output
    name = backups.list_backups(data / "backups")[0].path.name
    assert name in run("backup", "--list", "--data", str(data)).output

    store = database.connect(data / "workshop.db")
    add_notes(store, code, ["after"])
    store.close()
    declined = run("restore", name, "--data", str(data), input="n\n")
    assert 1 == declined.exit_code
    assert "Replace" in declined.output and "1 notes" in declined.output
    assert ["after", "before"] == texts_in(data / "workshop.db")
    restored = run("restore", "latest", "--data", str(data), "--yes")
    assert 0 == restored.exit_code, restored.output
    assert f"Restored {name}." in restored.output
    assert ["before"] == texts_in(data / "workshop.db")


def test_restore_refuses_while_serving(data, live_store):
    backups.backup(live_store, data / "backups")
    served = backups.hold_server_lock(data)
    try:
        result = run("restore", "latest", "--data", str(data), "--yes")
    finally:
        served.close()
    assert 1 == result.exit_code
    assert "a server is running on" in result.output
    assert "stop it (Ctrl+C) before restoring" in result.output


def test_restore_of_a_missing_backup_says_so(data):
    result = run("restore", "nope.db", "--data", str(data), "--yes")
    assert 1 == result.exit_code
    assert "no backup at nope.db" in result.output


def test_with_two_processes_on_one_data_dir_one_takes_the_timed_backups(live_store, data):
    """Two servers sharing a data dir (docs/deploy.md): the keeper takes the timed backups,
    also of what the other process wrote; when it stops, the other takes over."""
    other_store = database.connect(data / "workshop.db")
    first = Upkeep(live_store, data, socketio, FacilitatorKey(None), minutes=5, keep=10)
    second = Upkeep(other_store, data, socketio, FacilitatorKey(None), minutes=5, keep=10)
    try:
        start = time.monotonic()
        assert first.is_keeper() and not second.is_keeper()
        code = workshops.create_workshop(other_store, title="Written by the other")["code"]
        assert second.backup_if_due(start + 301) is None  # not the keeper
        taken = first.backup_if_due(start + 301)  # the keeper sees the other's writes
        assert taken is not None
        with sqlite3.connect(taken) as conn:
            titles = conn.execute("SELECT title FROM workshops").fetchall()
        assert [("Written by the other",)] == titles
        first.stop()
        add_notes(other_store, code, ["after the keeper stopped"])
        assert second.backup_if_due(start + 700) is not None
        assert 2 == len(backups.list_backups(data / "backups"))
    finally:
        first.stop()
        second.stop()
        other_store.close()
