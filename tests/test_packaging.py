"""A non-editable install carries the templates, static files and browser libraries."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.server
def test_the_wheel_holds_everything_the_server_serves(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("workshop_companion-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "workshop/static/vendor/socket.io.esm.min.js",
        "workshop/static/js/phone.js",
        "workshop/static/css/app.css",
        "workshop/templates/phone.html",
        "workshop/templates/board.html",
        "workshop/web/app.py",
        "workshop/translations/es/LC_MESSAGES/messages.po",
        "workshop/translations/es/LC_MESSAGES/js.po",
        "workshop/static/js/i18n.js",
        "printables/__init__.py",
    }
    assert expected <= names
    assert not any(name.startswith(("tests/", "node_modules/")) for name in names)
