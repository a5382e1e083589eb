"""Windows and macOS: no POSIX-only call on the serve path outside the modules that say
so and guard it, and the serve path running with those modules hidden (as on Windows).

Only Linux runs the suite here (README, Platforms); this is what checks the rest.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.liveserver import (
    START_TIMEOUT,
    TOKEN,
    free_port,
    log_tail,
    stop_process_group,
    track,
    wait_until,
)

ROOT = Path(__file__).parent.parent
POSIX_ONLY_MODULES = {"fcntl", "resource", "termios", "pwd", "grp", "msvcrt"}
POSIX_ONLY_CALLS = {("os", "fork"), ("os", "fchmod"), ("os", "killpg"), ("os", "setsid")}
POSIX_ONLY_CALLS |= {("os", "getuid"), ("signal", "SIGHUP"), ("signal", "SIGKILL")}
# The modules that say, in their docstring, what is platform-specific in them and guard it.
PLATFORM_MODULES = {
    "workshop/core/locks.py",
    "workshop/web/server.py",
    "workshop/core/files.py",
    "workshop/paper/scanworker.py",
}


def sources() -> list[Path]:
    return sorted([*ROOT.glob("workshop/**/*.py"), *ROOT.glob("printables/**/*.py")])


def guarded_imports(tree: ast.AST) -> set[int]:
    """Line numbers of imports inside a ``try`` that catches ImportError."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id == "ImportError" for h in node.handlers
        ):
            lines |= {child.lineno for child in ast.walk(node) if isinstance(child, ast.Import)}
    return lines


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_posix_only_calls_are_confined_to_the_modules_that_say_so(path):
    name = str(path.relative_to(ROOT))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = guarded_imports(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            )
            for module in modules:
                if (module or "").split(".")[0] in POSIX_ONLY_MODULES:
                    assert name in PLATFORM_MODULES, f"{name}:{node.lineno} imports {module}"
                    assert node.lineno in guarded, f"{name}:{node.lineno}: {module} unguarded"
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in POSIX_ONLY_CALLS
        ):
            assert name in PLATFORM_MODULES, f"{name}:{node.lineno} uses {node.attr}"
    if name in PLATFORM_MODULES:
        assert "Windows" in (ast.get_docstring(tree) or ""), f"{name} must say what it guards"


# gevent's own POSIX modules are imported first (on Windows it takes other paths); then
# fcntl and resource are hidden, os.fchmod removed (Windows before Python 3.13), and the
# real command line serves.
WITHOUT_POSIX = """
import os, sys
from gevent import monkey
monkey.patch_all()
import gevent.os, gevent.subprocess
for name in ("fcntl", "resource", "msvcrt"):
    sys.modules[name] = None
del os.fchmod
from workshop.cli import main
sys.argv = ["workshop", *sys.argv[1:]]
main()
"""


@pytest.mark.server
def test_the_serve_path_runs_without_posix_only_modules(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    env = {**os.environ, "WORKSHOP_FACILITATOR_TOKEN": TOKEN, "WORKSHOP_PUBLIC_URL": base}
    command = [sys.executable, "-c", WITHOUT_POSIX, "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--data", str(tmp_path / "data")]
    with open(log, "wb") as out:
        process = track(
            subprocess.Popen(
                command,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
    try:

        def up() -> bool:
            assert process.poll() is None, log_tail(log)
            try:
                return requests.get(base + "/", timeout=5).ok
            except requests.ConnectionError:
                return False

        wait_until(up, "the server answering without fcntl", timeout=START_TIMEOUT)
        with requests.Session() as facilitator:
            facilitator.headers["Authorization"] = f"Bearer {TOKEN}"
            made = facilitator.post(f"{base}/api/workshops", json={"title": "On Windows"})
            assert 201 == made.status_code, log_tail(log)
            code = made.json()["code"]
        phone = requests.Session()
        assert 200 == phone.post(f"{base}/api/workshops/{code}/join", json={}).status_code
        note = {"text": "Works here too", "client_id": "win-1"}
        assert 201 == phone.post(f"{base}/api/workshops/{code}/notes", json=note).status_code
    finally:
        stop_process_group(process)
    assert "Traceback" not in log.read_text(), log_tail(log)
