"""Installing with only Python: a built wheel carries every file the server serves, and a
clean virtual environment with nothing but that wheel (no Node, no npm, no checkout) runs
`workshop demo` and serves the pages and their browser libraries."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests

from tests.liveserver import free_port, log_tail, stop_process_group, track, wait_until

ROOT = Path(__file__).parent.parent
TOKEN = "packaging-test-token"

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("wheel")]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built once, as `make wheel` does: the vendor files come from node_modules here."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("workshop_companion-*.whl")
    return built


def test_the_wheel_holds_everything_the_server_serves(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "workshop/static/vendor/socket.io.esm.min.js",
        "workshop/static/vendor/sortable.esm.js",
        "workshop/static/js/phone/phone.js",
        "workshop/static/css/app.css",
        "workshop/templates/phone.html",
        "workshop/templates/board.html",
        "workshop/web/app.py",
        "workshop/translations/es/LC_MESSAGES/messages.po",
        "workshop/translations/es/LC_MESSAGES/js.po",
        "workshop/static/js/core/i18n.js",
        "printables/__init__.py",
    }
    assert expected <= names
    assert not any(name.startswith(("tests/", "node_modules/")) for name in names)


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv (no system packages) with the wheel and its pinned dependencies."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=1200,
    )
    return venv


def test_a_clean_venv_without_node_runs_the_demo_and_serves_its_scripts(installed, tmp_path):
    bin_dir = installed / "bin"
    assert not any((bin_dir / tool).exists() for tool in ("node", "npm"))
    port = free_port()
    log = tmp_path / "demo.log"
    env = {  # nothing of the developer's shell: only the venv's bin on PATH
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),
        "WORKSHOP_FACILITATOR_TOKEN": TOKEN,
    }
    command = [str(bin_dir / "workshop"), "demo", "--no-browser", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--data", str(tmp_path / "data")]
    with open(log, "wb") as out:
        process = track(
            subprocess.Popen(
                command,
                cwd=tmp_path,  # not the checkout: every file must come from the install
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
    try:
        base = f"http://127.0.0.1:{port}"
        code = wait_until(
            lambda: re.search(r"\(code (\w+)\)", log.read_text()) or process.poll() is not None,
            "the demo's join code printed",
            timeout=120,
        )
        assert process.poll() is None, log_tail(log)
        code = code.group(1)
        phone = requests.get(f"{base}/j/{code}", timeout=30)
        assert 200 == phone.status_code, log_tail(log)
        scripts = re.findall(r'src="(/static/[^"?]+\.js)', phone.text)
        assert "/static/js/phone/phone.js" in scripts
        for path in ["/static/vendor/socket.io.esm.min.js", *scripts]:
            response = requests.get(base + path, timeout=30)
            assert (200, "text/javascript") == (
                response.status_code,
                response.headers["Content-Type"].split(";")[0],
            ), path
        served = requests.get(f"{base}/static/vendor/socket.io.esm.min.js", timeout=30)
        assert served.content == (ROOT / "static/vendor/socket.io.esm.min.js").read_bytes()
        assert str(installed) in (bin_dir / "workshop").read_text()  # the venv's own script
    finally:
        stop_process_group(process)
    assert "Traceback" not in log.read_text()
    assert os.path.isdir(tmp_path / "data")
