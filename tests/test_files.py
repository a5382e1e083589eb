"""The data directory is the owner's only: folders 0700, files 0600, through a whole
workshop served by the real `workshop serve` (backups, photos, the CLI's exports) and for
files an older version left world-readable."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.liveserver import LiveServer, running, wait_until
from workshop.core import files

UPLOAD = {"X-Workshop-Upload": "1"}


def jpeg(size=(64, 48), colour=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def modes(folder: Path, *, leave: tuple[str, ...] = ()) -> dict[str, str]:
    """Every path under ``folder`` (and itself) with its permission bits, e.g. '0o600'."""
    found = {".": oct(stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        relative = str(path.relative_to(folder))
        if relative not in leave:
            found[relative] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def private(found: dict[str, str], folder: Path) -> dict[str, str]:
    return {
        name: (oct(files.DIR_MODE) if (folder / name).is_dir() else oct(files.FILE_MODE))
        for name in found
    }


def cli(data: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "workshop.cli", *args, "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "WORKSHOP_PUBLIC_URL": "http://lan:5000"},
    )
    assert 0 == done.returncode, done.stderr
    return done.stdout


def test_a_whole_workshop_leaves_only_private_files(tmp_path):
    data = tmp_path / "data"
    # What an older version left: a world-readable folder, key and photo.
    (data / "photos").mkdir(parents=True, mode=0o755)
    (data / "photos").chmod(0o755)
    (data / "photos" / "old-card.jpg").write_bytes(jpeg())
    (data / "photos" / "old-card.jpg").chmod(0o644)
    (data / "secret-key").write_text("0" * 64 + "\n")
    (data / "secret-key").chmod(0o644)
    data.chmod(0o755)
    other = data / "my-notes.txt"  # not the workshop's: never touched
    other.write_text("mine")
    other.chmod(0o644)

    server = LiveServer(data)
    with running(server):
        workshop = server.create_workshop(title="Modes")
        code = workshop["code"]
        phone = server.attendee(code)
        posted = phone.post(
            f"{server.base_url}/api/workshops/{code}/notes",
            json={"text": "Benches by the river", "client_id": "modes-1"},
            timeout=30,
        )
        assert 201 == posted.status_code
        with server.facilitator() as facilitator:
            added = facilitator.post(
                f"{server.base_url}/api/workshops/{code}/photos",
                files={"photo": ("chart.jpg", jpeg(), "image/jpeg")},
                data={"caption": "Table 3"},
                headers=UPLOAD,
                timeout=30,
            )
            assert 201 == added.status_code, added.text
            cli(data, "cards", code, "--count", "2", "-o", str(data / "cards.pdf"))
            with sqlite3.connect(f"{(data / 'workshop.db').as_uri()}?mode=ro", uri=True) as db:
                card = db.execute("SELECT code FROM cards LIMIT 1").fetchone()[0]
            scribe = facilitator.post(
                f"{server.base_url}/api/cards/{card}/note",
                files={"photo": ("card.jpg", jpeg(colour=(10, 10, 200)), "image/jpeg")},
                data={"client_id": "modes-card"},
                headers=UPLOAD,
                timeout=30,
            )
            assert 201 == scribe.status_code, scribe.text
            closed = facilitator.put(
                f"{server.base_url}/api/workshops/{code}/phase", json={"phase": "closed"}
            )
            assert 200 == closed.status_code
        wait_until(lambda: list((data / "backups").glob("workshop-*.db")), "a backup at close")
        cli(data, "backup")
        cli(data, "export", code, "--format", "json", "-o", str(data / "export.json"))
        cli(data, "report", code, "-o", str(data / "report.pdf"))
        cli(data, "token", "--rotate")

    found = modes(data, leave=("server.log", "my-notes.txt"))  # the test's own log and file
    assert {"workshop.db", "workshop.db-wal", "secret-key", "export.json", "cards.pdf"} <= set(
        found
    )
    assert len(list((data / "photos").iterdir())) == 3
    assert len(list((data / "backups").iterdir())) >= 2
    assert private(found, data) == found
    assert "0o644" == oct(stat.S_IMODE(other.stat().st_mode))


def test_secure_data_dir_fixes_only_what_the_workshop_keeps(tmp_path):
    (tmp_path / "backups" / "inner").mkdir(parents=True)
    for name in ("workshop.db", "workshop.db-wal", "backups/inner/x.db", "facilitator-generation"):
        (tmp_path / name).write_text("x")
        (tmp_path / name).chmod(0o644)
    (tmp_path / ".bashrc").write_text("x")
    (tmp_path / ".bashrc").chmod(0o644)
    (tmp_path / "Documents").mkdir(mode=0o755)
    target = tmp_path / "elsewhere.txt"
    target.write_text("x")
    target.chmod(0o644)
    (tmp_path / "backups" / "link").symlink_to(target)
    tmp_path.chmod(0o755)

    assert 7 == files.secure_data_dir(tmp_path)

    found = modes(tmp_path)
    assert {
        ".": "0o700",
        "workshop.db": "0o600",
        "workshop.db-wal": "0o600",
        "facilitator-generation": "0o600",
        "backups": "0o700",
        "backups/inner": "0o700",
        "backups/inner/x.db": "0o600",
        ".bashrc": "0o644",
        "Documents": "0o755",
        "elsewhere.txt": "0o644",
    } == {name: mode for name, mode in found.items() if name != "backups/link"}
    assert 0 == files.secure_data_dir(tmp_path)


def test_open_private_makes_an_existing_file_private(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("old")
    path.chmod(0o644)
    with files.open_private(path, "w", encoding="utf-8") as out:
        out.write("new")
    assert ("new", "0o600") == (path.read_text(), oct(stat.S_IMODE(path.stat().st_mode)))
