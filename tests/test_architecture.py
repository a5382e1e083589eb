"""The layout and the layering are checked, not described: import-linter's contracts, the
event names against the protocol, and docs/architecture.md against the tree."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workshop.core import protocol
from workshop.core.db import connect

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [ROOT / "workshop", ROOT / "printables"]


def test_the_layering_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _documented_folders() -> dict[str, set[str]]:
    text = (ROOT / "docs/architecture.md").read_text()
    rows = re.findall(r"^\| `([a-z_/]+/)` \| ([^|]+) \|", text, re.M)
    return {folder: set(re.findall(r"`([a-z0-9_]+\.py)`", modules)) for folder, modules in rows}


def _tree() -> dict[str, set[str]]:
    """Every package folder and its modules (an ``__init__.py`` with no code is not one)."""
    folders = {}
    for package in PACKAGES:
        for init in sorted(package.rglob("__init__.py")):
            folder = init.parent
            if folder == ROOT / "workshop":
                continue
            modules = {path.name for path in folder.glob("*.py")}
            body = ast.parse(init.read_text()).body
            if all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body):
                modules.discard("__init__.py")
            folders[folder.relative_to(ROOT).as_posix() + "/"] = modules
    return folders


def test_the_architecture_table_lists_every_folder_and_module():
    documented, tree = _documented_folders(), _tree()
    assert sorted(tree) == sorted(documented), "a folder is missing from docs/architecture.md"
    for folder, modules in tree.items():
        assert sorted(modules) == sorted(documented[folder]), folder


def test_no_module_is_left_at_the_top_of_the_server_package():
    """A feature folder for everything: the flat layout hid the features."""
    assert ["__init__.py"] == sorted(p.name for p in (ROOT / "workshop").glob("*.py"))


def _recorded_names() -> list[tuple[str, str]]:
    """The event names passed to ``store.record`` anywhere in the server, as written."""
    found = []
    constants = {
        name: value
        for name, value in vars(protocol).items()
        if name.isupper() and isinstance(value, str)
    }
    for path in (ROOT / "workshop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and len(node.args) >= 2
            ):
                continue
            argument = node.args[1]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(argument, ast.Constant):
                found.append((where, argument.value))
            elif isinstance(argument, ast.Attribute) and argument.attr in constants:
                found.append((where, constants[argument.attr]))
            elif isinstance(argument, ast.Name) and argument.id in constants:
                found.append((where, constants[argument.id]))
            else:
                found.append((where, ast.unparse(argument)))
    return found


def test_every_recorded_event_is_in_the_protocol():
    names = _recorded_names()
    assert len(names) >= 20  # the scan finds the calls (it would pass vacuously otherwise)
    unknown = [(where, name) for where, name in names if name not in protocol.SERVER_EVENTS]
    assert [] == unknown


def test_the_browser_reads_every_server_event_from_the_protocol():
    sent = set(protocol.protocol_json()["events"].values())
    assert sorted(protocol.SERVER_EVENTS) == sorted(sent)


def test_the_store_refuses_an_event_the_protocol_does_not_name():
    store = connect(None)
    with pytest.raises(ValueError, match="not an event"), store.transaction():
        store.record(1, "note.craeted", {})
