"""The browser modules' ground rules, read from their source (docs/browser.md): one bus whose
server topics are the protocol's events, no event name spelled in a script, no other way
of passing notifications around, type-checked modules, and imports that resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshop.core import protocol
from workshop.web.modules import module_graph

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
SCRIPTS = sorted((STATIC / "js").rglob("*.js"))
IMPORT = re.compile(
    r"""(?:^import\s+(?:[^"';]*?\bfrom\s+)?|import\()["'](\.{1,2}/[\w./-]+\.js)["']""", re.M
)
CONSTANT = re.compile(r"""^const \w+ = ["'](\.{1,2}/[\w./-]+\.js)["'];""", re.M)


def source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def bus_server_topics() -> list[str]:
    bus = source(STATIC / "js" / "core" / "bus.js")
    block = re.search(r"export const SERVER_TOPICS = .*?\[(.*?)\]\);", bus, re.S).group(1)
    return re.findall(r'"(\w+)"', block)


def bus_topics() -> list[str]:
    bus = source(STATIC / "js" / "core" / "bus.js")
    block = re.search(r"export const TOPIC = .*?\{(.*?)\}\);", bus, re.S).group(1)
    return re.findall(r"^\s*(\w+): \"\1\",", block, re.M)


def test_the_bus_carries_every_socket_event_by_its_protocol_key():
    events = protocol.protocol_json()["events"]
    transport = {"welcome", "batch"}  # the connection's own (core/live.js), not the room's news
    assert set(events) - transport == set(bus_server_topics())
    assert set(bus_server_topics()) <= set(bus_topics())


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(STATIC / "js")))
def test_no_script_spells_a_socket_event_or_passes_news_another_way(script):
    text = source(script)
    for key, wire in protocol.protocol_json()["events"].items():
        if wire != key:  # ("presence" is both its wire name and its topic)
            assert f'"{wire}"' not in text and f"'{wire}'" not in text, wire
    for other in ("new CustomEvent", "dispatchEvent(", 'addEventListener("live:', "board:state"):
        assert other not in text, other


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(STATIC / "js")))
def test_every_module_is_type_checked_and_says_why_when_it_is_not(script):
    lines = source(script).splitlines()
    assert "// @ts-check" == lines[0]
    for line in lines:
        if "@ts-ignore" in line or "@ts-expect-error" in line or "@ts-nocheck" in line:
            reason = re.split(r"@ts-(?:ignore|expect-error|nocheck)", line, maxsplit=1)[1]
            assert re.search(r"\w{3,}", reason), f"no reason beside: {line.strip()}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(STATIC / "js")))
def test_every_import_resolves(script):
    text = source(script)
    for target in IMPORT.findall(text) + CONSTANT.findall(text):
        resolved = (script.parent / target).resolve()
        assert resolved.is_relative_to(STATIC), target
        assert resolved.is_file(), f"{target} (run make setup for static/vendor)"


def test_each_page_loads_an_entry_that_exists():
    entries = set()
    for template in (ROOT / "templates").glob("*.html"):
        entries.update(re.findall(r"asset\('js/([\w./-]+\.js)'\)", source(template)))
        entries.update(re.findall(r"script_catalogue\(([^)]*)\)", source(template)))
    names = {name for entry in entries for name in re.findall(r"[\w./-]+\.js", entry)}
    assert {"board/board.js", "phone/phone.js", "manage/manage.js", "paper/card.js"} <= names
    for name in names:
        assert (STATIC / "js" / name).is_file(), name


def test_the_phone_page_preloads_every_module_its_entry_imports(app, client, workshop):
    html = client.get(f"/j/{workshop['code']}").get_data(as_text=True)
    preloaded = re.findall(r'<link rel="modulepreload" href="/static/js/([\w./-]+\.js)', html)
    with app.app_context():
        graph = module_graph("phone/phone.js")
    assert sorted(graph) == sorted(preloaded)
    assert {"voting/phone-votes.js", "core/bus.js", "core/live.js"} <= set(graph)
    # The entry is asked for with its hash (as its <script> is); the imports by plain URL.
    assert re.search(r'modulepreload" href="/static/js/phone/phone\.js\?v=[0-9a-f]{10}"', html)
    assert 'href="/static/js/core/bus.js"' in html
