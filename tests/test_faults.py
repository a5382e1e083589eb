"""Faults, against a real `workshop serve` process on a loopback port: kill -9 mid-burst, a
restart under fifty connected clients, a phone offline for a while, the database locked by
another process, the disk full, and backups taken and restored while notes arrive.

Each test prints a ``FAULT`` line with what it counted; docs/reliability.md collects them
(run with ``-s`` to see them).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
import requests

from tests.liveserver import LiveServer
from tests.test_live_server import Listener
from workshop.core.db import WRITE_WAIT_SECONDS
from workshop.records import backups
from workshop.web.errors import BUSY, CANNOT_SAVE

pytestmark = pytest.mark.server

# Phones in these tests post as fast as they can: lift the per-phone limit out of the way.
FAST = {"notes_per_minute": 600, "note_burst": 100}


def report(**counts):
    print("FAULT", " ".join(f"{k}={v}" for k, v in counts.items()))


class Phone:
    """A phone's page as phone.js runs it: notes wait in an outbox until the server answers
    200/201; a lost connection or a 5xx or 429 keeps them there to be sent again."""

    ids = itertools.count()

    def __init__(self, server: LiveServer, code: str) -> None:
        self.server, self.code = server, code
        self.session = requests.Session()
        self.session.post(f"{server.base_url}/api/workshops/{code}/join", json={}, timeout=30)
        self.outbox: list[dict] = []
        self.answers: list[tuple[str, int]] = []

    def write(self, text: str) -> dict:
        item = {"client_id": f"c{next(self.ids)}-{text}"[:64], "text": text}
        self.outbox.append(item)
        return item

    def send(self, item: dict, timeout: float = 30) -> int | None:
        try:
            response = self.session.post(
                f"{self.server.base_url}/api/workshops/{self.code}/notes",
                json=item,
                timeout=timeout,
            )
        except requests.RequestException:
            return None
        self.answers.append((item["client_id"], response.status_code))
        return response.status_code

    def drain(self) -> int:
        """Send the outbox in order; stop at the first failure. Return how many left it."""
        sent = 0
        while self.outbox:
            status = self.send(self.outbox[0])
            if status not in (200, 201):
                break
            self.outbox.pop(0)
            sent += 1
        return sent

    def mine(self) -> list[str]:
        url = f"{self.server.base_url}/api/workshops/{self.code}/me"
        return [note["text"] for note in self.session.get(url, timeout=30).json()["notes"]]


def stored_texts(server: LiveServer, code: str) -> list[str]:
    url = f"{server.base_url}/api/workshops/{code}/notes"
    return [note["text"] for note in server.facilitator().get(url, timeout=30).json()]


def resend(phone: Phone, item: dict, cap: float = 60) -> int:
    """Send until the server takes it (waiting out a 429 or a timeout), as phone.js does."""
    deadline = time.monotonic() + cap
    while True:
        status = phone.send(item, timeout=30)
        if status in (200, 201):
            return status
        if time.monotonic() > deadline:
            raise AssertionError(f"{item['client_id']} was never taken (last: {status})")
        time.sleep(0.5)  # phone.js's pace between tries


def integrity(db_path: Path) -> str:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


# -- kill -9 mid-burst ----------------------------------------------------------------------
KILL_ROUNDS = 3


class Burst:
    """Phones posting new notes as fast as they can, a thread each, until stopped."""

    def __init__(self, phones: list[Phone], prefix: str) -> None:
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.attempted: dict[str, tuple[Phone, dict]] = {}
        self.acknowledged: list[str] = []
        self.threads = [
            threading.Thread(target=self._post, args=(phone, f"{prefix}p{n}"))
            for n, phone in enumerate(phones)
        ]
        for thread in self.threads:
            thread.start()

    def _post(self, phone: Phone, name: str) -> None:
        for i in itertools.count():
            if self.stop.is_set():
                return
            item = {"client_id": f"{name}-{i}", "text": f"{name}-{i}"}
            with self.lock:
                self.attempted[item["client_id"]] = (phone, item)
            status = phone.send(item, timeout=30)
            if status is None:
                return  # the server is gone: the phone keeps the note queued
            if status in (200, 201):
                with self.lock:
                    self.acknowledged.append(item["client_id"])

    def wait_for(self, count: int, timeout: float = 60) -> None:
        """Until ``count`` notes are acknowledged (polled; ``timeout`` is a cap)."""
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.acknowledged)} of {count} notes acknowledged")
            time.sleep(0.005)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def test_kill_9_mid_burst_loses_no_acknowledged_note_and_resends_make_no_duplicate(live_server):
    code = live_server.create_workshop(settings=FAST)["code"]
    phones = [Phone(live_server, code) for _ in range(8)]
    tried: dict[str, tuple[Phone, dict]] = {}
    acknowledged = unanswered = answer_lost = 0
    for round_number in range(KILL_ROUNDS):
        burst = Burst(phones, f"r{round_number}")
        burst.wait_for(40)
        live_server.kill()  # while every phone is still posting
        burst.finish()
        live_server.start()
        tried.update(burst.attempted)
        acknowledged += len(burst.acknowledged)
        unanswered += len(burst.attempted) - len(burst.acknowledged)

        stored = stored_texts(live_server, code)
        assert set() == set(burst.acknowledged) - set(stored)  # no acknowledged note lost
        answer_lost += len(set(stored) & (set(burst.attempted) - set(burst.acknowledged)))
        for phone, item in list(tried.values()):  # phones resend all they ever tried
            assert resend(phone, item) in (200, 201)
        stored = stored_texts(live_server, code)
        assert len(stored) == len(set(stored))  # no duplicate
        assert sorted(tried) == sorted(stored)
        assert "ok" == integrity(live_server.data_dir / "workshop.db")
    report(
        fault="kill-9-mid-burst",
        rounds=KILL_ROUNDS,
        acknowledged=acknowledged,
        unanswered_at_kill=unanswered,
        of_which_stored=answer_lost,
        distinct_notes=len(tried),
        lost=0,
        duplicates=0,
    )


# -- fifty clients and a restart ------------------------------------------------------------
CLIENTS = 50


def Watcher(server: LiveServer, code: str, view: str) -> Listener:  # noqa: N802
    """A real Socket.IO client with a restart-sized reconnection back-off."""
    return Listener(server, code, view, back_off=(0.5, 3))


def back_in_room(watcher: Listener, seq: int, timeout: float = 60) -> tuple[str, object]:
    """("note.created", the event) when the watcher hears the event of ``seq``, or
    ("welcome", its seq) when it reconnected again first and was told a seq >= ``seq``."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            name, data, _ = watcher.events.get(timeout=left)
        except queue.Empty:
            break
        if name == "note.created" and data["seq"] == seq:
            return name, data
        if name == "welcome" and data["seq"] >= seq:
            return name, data["seq"]
    raise AssertionError(f"neither the note of seq {seq} nor a welcome at it in {timeout} s")


def test_fifty_clients_reconnect_on_their_own_after_a_restart_and_resync(live_server):
    code = live_server.create_workshop()["code"]
    phone = Phone(live_server, code)
    for text in ("first", "second"):
        phone.write(text)
    assert 2 == phone.drain()
    watchers = [Watcher(live_server, code, ("board", "phone")[n % 2]) for n in range(CLIENTS)]
    try:
        assert [2] * CLIENTS == [w.next("welcome", 60)[0]["seq"] for w in watchers]
        live_server.kill()
        killed = time.monotonic()
        live_server.start()
        welcomes = [w.next("welcome", 90) for w in watchers]  # each reconnects by itself
        assert [2] * CLIENTS == [data["seq"] for data, _ in welcomes]
        slowest = max(at for _, at in welcomes) - killed

        phone.write("after the restart")
        assert 1 == phone.drain()
        # Back in their rooms: each hears the note. One that lost its connection again in the
        # meantime (a busy machine can delay a pong past the server's ping timeout) hears
        # instead, on its next welcome, that the seq is 3: what the pages refetch on.
        heard = [back_in_room(w, 3) for w in watchers]
        live = [data for how, data in heard if how == "note.created"]
        assert [("after the restart", 3)] * len(live) == [(n["text"], n["seq"]) for n in live]
        resynced = len(heard) - len(live)
    finally:  # together: each client waits up to 3 s for the close handshake
        closers = [threading.Thread(target=w.client.disconnect) for w in watchers]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join(30)
    report(
        fault="restart-under-50-clients",
        clients=CLIENTS,
        reconnected=CLIENTS,
        slowest_reconnect_s=round(slowest, 1),
        heard_live=CLIENTS - resynced,
        resynced_by_welcome=resynced,
        lost=0,
    )


# -- a phone offline for a while ------------------------------------------------------------
OFFLINE_SECONDS = 3


def test_a_phone_offline_for_a_while_gets_each_queued_note_in_exactly_once(live_server):
    code = live_server.create_workshop()["code"]
    phone = Phone(live_server, code)
    phone.write("before 1")
    phone.write("before 2")
    assert 2 == phone.drain()
    lost_answer = phone.write("its answer was lost")
    assert 201 == phone.send(lost_answer)  # stored, but the phone never heard: still queued
    live_server.kill()
    for text in ("offline 1", "offline 2", "offline 3"):
        phone.write(text)
        assert 0 == phone.drain()  # no server: everything stays queued
    assert 4 == len(phone.outbox)
    time.sleep(OFFLINE_SECONDS)
    live_server.start()
    assert 4 == phone.drain()
    assert [200, 201, 201, 201] == [status for _, status in phone.answers[-4:]]
    expected = ["before 1", "before 2", "its answer was lost", "offline 1", "offline 2"]
    assert expected + ["offline 3"] == phone.mine()  # the cookie outlived the restart
    report(
        fault="phone-offline",
        seconds=OFFLINE_SECONDS,
        queued=4,
        arrived_once=4,
        lost=0,
        duplicates=0,
    )


# -- the database locked by another process ------------------------------------------------
def test_a_locked_database_gives_the_phone_a_clear_503_and_nothing_is_lost(live_server):
    code = live_server.create_workshop()["code"]
    phone = Phone(live_server, code)
    phone.write("before the lock")
    assert 1 == phone.drain()
    board = Watcher(live_server, code, "board")
    board.next("welcome", 30)
    db_path = live_server.data_dir / "workshop.db"
    locker = sqlite3.connect(db_path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # held past the server's busy_timeout (5 s)
    try:
        item = phone.write("while locked")
        answered = threading.Event()
        write: dict = {}

        def write_while_locked() -> None:
            started = time.monotonic()
            try:
                write["response"] = phone.session.post(
                    f"{live_server.base_url}/api/workshops/{code}/notes", json=item, timeout=60
                )
            finally:
                write["waited"] = time.monotonic() - started
                answered.set()

        writer = threading.Thread(target=write_while_locked)
        writer.start()
        # Meanwhile the rest of the room is served: reads, one after the other, for as long as
        # the write waits. A read that begins a second into the wait (the write has reached the
        # server by then on any machine but a stalled one) and is answered before the write is,
        # was served while the write waited. Ordering, not a time limit: a busy machine makes
        # every read slower, and the write's wait longer too.
        reads_during_wait = 0
        wait_began = time.monotonic()
        while not answered.is_set() and time.monotonic() - wait_began < 90:
            began = time.monotonic()
            read = requests.get(f"{live_server.base_url}/api/workshops/{code}", timeout=60)
            assert 200 == read.status_code
            if began - wait_began >= 1 and not answered.is_set():
                reads_during_wait += 1
            time.sleep(0.05)
        writer.join(60)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert "response" in write, f"the write was never answered ({write})"
    response, waited = write["response"], write["waited"]
    assert (503, {"error": BUSY}) == (response.status_code, response.json())
    # It waited for the lock rather than refusing at once (a lower bound: load only adds).
    assert waited >= WRITE_WAIT_SECONDS
    assert reads_during_wait >= 1  # meanwhile the rest of the room was served
    assert "5" == response.headers["Retry-After"]
    assert 1 == phone.drain()  # sent again once the lock is gone
    assert "while locked" == board.next("note.created", 30)[0]["text"]  # events still flow
    board.client.disconnect()
    assert ["before the lock", "while locked"] == phone.mine()
    assert "ok" == integrity(db_path)
    report(
        fault="database-locked",
        lock_held_s=round(waited, 1),
        answer=503,
        lost=0,
        duplicates=0,
        reads_during_wait=reads_during_wait,
    )


# -- the disk full --------------------------------------------------------------------------
def fill_until_refused(phone: Phone, limit: int = 400) -> tuple[list[dict], requests.Response]:
    """Post notes until the server refuses one; return the acknowledged ones and the refusal."""
    acknowledged = []
    for n in range(limit):
        item = phone.write(f"note {n} " + "x" * 200)
        response = phone.session.post(
            f"{phone.server.base_url}/api/workshops/{phone.code}/notes", json=item, timeout=20
        )
        if response.status_code != 201:
            return acknowledged, response
        phone.outbox.remove(item)
        acknowledged.append(item)
    raise AssertionError(f"the server took {limit} notes and never ran out of room")


def test_a_file_size_limit_gives_a_clear_503_and_the_note_arrives_once_there_is_room(live_server):
    """Portable stand-in for a full disk: the server process may not grow its files (an
    RLIMIT_FSIZE set from outside), so SQLite's writes fail as on a full disk."""
    code = live_server.create_workshop(settings=FAST)["code"]
    phone = Phone(live_server, code)
    server = psutil.Process(live_server.process.pid)
    _, hard = server.rlimit(psutil.RLIMIT_FSIZE)
    largest = max(p.stat().st_size for p in live_server.data_dir.iterdir() if p.is_file())
    server.rlimit(psutil.RLIMIT_FSIZE, (largest + 48 * 1024, hard))

    def free_space() -> None:
        server.rlimit(psutil.RLIMIT_FSIZE, (hard, hard))

    board = Watcher(live_server, code, "board")
    board.next("welcome", 30)
    acknowledged, refused = fill_until_refused(phone)
    assert (503, {"error": CANNOT_SAVE}) == (refused.status_code, refused.json())
    phone.write("queued while full")
    assert 0 == phone.drain()  # still no room: both stay queued
    free_space()
    assert 2 == phone.drain()
    stored = stored_texts(live_server, code)
    assert len(stored) == len(set(stored)) == len(acknowledged) + 2
    assert {item["text"] for item in acknowledged} <= set(stored)
    heard = [board.next("note.created", 30)[0]["text"] for _ in stored]
    assert stored == heard  # the board heard every note, before and after the fault
    board.client.disconnect()
    assert "ok" == integrity(live_server.data_dir / "workshop.db")
    live_server.kill()  # and what was acknowledged around the fault survives a kill -9
    live_server.start()
    assert stored == stored_texts(live_server, code)
    report(
        fault="file-size-limit",
        acknowledged_before=len(acknowledged),
        refused=503,
        lost=0,
        duplicates=0,
    )


@pytest.fixture
def small_disk(tmp_path):
    """A real 8 MB filesystem (tmpfs), so writes fail with ENOSPC. Needs root to mount."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root; the file-size-limit test stands in")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_gives_a_clear_503_and_the_note_arrives_once_there_is_room(small_disk):
    server = LiveServer(small_disk / "data")
    try:
        server.start()
        code = server.create_workshop(settings=FAST)["code"]
        phone = Phone(server, code)
        status = os.statvfs(small_disk)
        filler = small_disk / "filler"
        filler.write_bytes(b"\0" * (status.f_bavail * status.f_frsize - 64 * 1024))
        acknowledged, refused = fill_until_refused(phone)
        assert (503, {"error": CANNOT_SAVE}) == (refused.status_code, refused.json())
        phone.write("queued while full")
        assert 0 == phone.drain()
        filler.unlink()  # the facilitator frees some space
        assert 2 == phone.drain()
        stored = stored_texts(server, code)
        assert len(stored) == len(set(stored)) == len(acknowledged) + 2
        assert {item["text"] for item in acknowledged} <= set(stored)
        assert "ok" == integrity(server.data_dir / "workshop.db")
        server.kill()
        server.start()
        assert stored == stored_texts(server, code)
    finally:
        server.stop()
    report(
        fault="disk-full-tmpfs",
        acknowledged_before=len(acknowledged),
        refused=503,
        lost=0,
        duplicates=0,
    )


# -- backups while notes arrive, and restore ------------------------------------------------
def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workshop.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def backup_content(path: Path) -> tuple[int, list[tuple[int, str]], str]:
    """(workshop seq, [(note id, text)], phase) as the backup holds them; checks it first."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        assert "ok" == conn.execute("PRAGMA integrity_check").fetchone()[0]
        assert [] == conn.execute("PRAGMA foreign_key_check").fetchall()
        seq, phase = conn.execute("SELECT seq, phase FROM workshops").fetchone()
        notes = conn.execute("SELECT id, text FROM notes ORDER BY id").fetchall()
    return seq, notes, phase


def test_backups_taken_while_notes_arrive_are_consistent_and_restore_exactly(live_server):
    data = live_server.data_dir
    code = live_server.create_workshop(settings=FAST)["code"]
    burst = Burst([Phone(live_server, code) for _ in range(4)], "b")
    taken = []
    try:
        for _ in range(3):
            burst.wait_for(len(burst.acknowledged) + 20)
            with burst.lock:
                before = set(burst.acknowledged)
            made = cli("backup", "--data", str(data))
            assert 0 == made.returncode, made.stderr
            taken.append((backups.list_backups(data / "backups")[0].path, before))
    finally:
        burst.finish()
    attempted = set(burst.attempted)
    for path, before in taken:
        seq, notes, phase = backup_content(path)
        texts = {text for _, text in notes}
        assert before <= texts <= attempted  # everything acknowledged before it, nothing made up
        assert seq == len(notes)  # one note.created per note: no half-made change inside
        assert "gather" == phase

    closed = live_server.facilitator().put(
        f"{live_server.base_url}/api/workshops/{code}/phase", json={"phase": "closed"}, timeout=30
    )
    assert 200 == closed.status_code
    deadline = time.monotonic() + 60  # a cap: the server backs up at once
    while time.monotonic() < deadline:
        newest = backups.list_backups(data / "backups")[0].path
        if backup_content(newest)[2] == "closed":
            break
        time.sleep(0.1)
    assert "closed" == backup_content(newest)[2]  # the server backed up on its own at close

    refused = cli("restore", str(taken[1][0]), "--data", str(data), "--yes")
    assert 1 == refused.returncode
    assert "a server is running on" in refused.stderr
    live_server.stop()
    restored = cli("restore", str(taken[1][0]), "--data", str(data), "--yes")
    assert 0 == restored.returncode, restored.stderr
    live_server.start()
    url = f"{live_server.base_url}/api/workshops/{code}/notes"
    served = [(n["id"], n["text"]) for n in live_server.facilitator().get(url, timeout=30).json()]
    assert sorted(backup_content(taken[1][0])[1]) == sorted(served)
    report(
        fault="backup-under-load",
        backups=len(taken) + 1,
        notes_posted=len(burst.acknowledged),
        restored_notes=len(served),
        lost_from_backup=0,
    )
