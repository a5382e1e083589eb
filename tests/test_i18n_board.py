"""The board speaks its workshop's language, not the browser's: the page, the script catalogue
it carries and the controls its scripts build (docs/languages.md, "Who sees which language").

The Spanish assertions need the Spanish catalogues (workshop/translations/es) to hold the
board's messages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from workshop.core import catalogues
from workshop.web.modules import module_graph

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "static" / "js"
IMPORT = re.compile(r"""^import\s+(?:[^"';]*?\bfrom\s+)?["'](\.{1,2}/[\w./-]+\.js)["']""", re.M)
CATALOGUE = re.compile(r'<script type="application/json" id="messages">(.*?)</script>', re.S)
SPANISH_BROWSER = "es-MX,es;q=0.9,en;q=0.5"


def page_scripts(entry: str = "board/board.js") -> set[str]:
    """``entry`` and every script it imports, directly or not (static/js only), as paths
    under static/js ("board/sort.js")."""
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for target in IMPORT.findall((SCRIPTS / name).read_text(encoding="utf-8")):
            path = (SCRIPTS / name).parent.joinpath(target).resolve()
            if path.is_relative_to(SCRIPTS):
                todo.append(path.relative_to(SCRIPTS).as_posix())
    return seen


def script_msgids(files: set[str]) -> set[str]:
    """The script messages (singular msgids) used in any of ``files``."""
    found = set()
    for message in catalogues.extract("js"):
        places = {place.removeprefix("static/js/") for place, _ in message.locations}
        if message.id and places & files:
            found.add(message.id[0] if isinstance(message.id, tuple) else message.id)
    return found


def set_language(facilitator, code: str, language: str) -> None:
    response = facilitator.patch(f"/api/workshops/{code}/settings", json={"language": language})
    assert 200 == response.status_code, response.get_data(as_text=True)
    assert language == response.get_json()["settings"]["language"]


def board_page(client, code: str, accept: str, query: str = "") -> str:
    response = client.get(f"/w/{code}/board{query}", headers={"Accept-Language": accept})
    assert 200 == response.status_code
    return response.get_data(as_text=True)


def script_catalogue(html: str) -> dict:
    return json.loads(CATALOGUE.search(html).group(1))


BOARD_SCRIPTS = {
    "board/board.js",
    "activities/board-activities.js",
    "board/drag.js",
    "board/groups.js",
    "board/keys.js",
    "board/moderation.js",
    "board/morph.js",
    "board/plan.js",
    "room/board-controls.js",
    "room/board-room.js",
    "board/sort.js",
    "room/board-timer.js",
    "board/tools.js",
}


# -- the page -------------------------------------------------------------------------------
def test_the_board_page_carries_the_messages_of_every_script_it_loads(app):
    # The template names its entry only; the server follows the imports from there.
    template = (ROOT / "templates" / "board.html").read_text(encoding="utf-8")
    assert 'script_catalogue("board/board.js")' in template
    with app.app_context():
        assert page_scripts("board/board.js") == set(module_graph("board/board.js"))
    assert BOARD_SCRIPTS <= page_scripts("board/board.js")


@pytest.mark.parametrize("query", ["", "?lang=en"])
def test_a_spanish_workshop_board_is_spanish_whatever_the_browser_asks(
    client, facilitator, workshop, query
):
    code = workshop["code"]
    set_language(facilitator, code, "es")
    for viewer in (client, facilitator):
        html = board_page(viewer, code, "en-US,en;q=0.9", query)
        assert '<html lang="es"' in html
        assert "<title>Tablero · Safer routes</title>" in html
        assert 'aria-label="Notas por sección"' in html
        assert "<dt>conectados</dt>" in html
        assert "Escanee o abra" in html
        assert "Notes by section" not in html
    html = board_page(facilitator, code, "en-US,en;q=0.9", query)
    assert '<span class="badge">Facilitación</span>' in html
    assert '<label for="phase-select">Fase</label>' in html
    # The phases keep their protocol values and show Spanish names.
    for value, label in [
        ("gather", "Escribiendo"),
        ("vote", "Votando"),
        ("next-steps", "Próximos pasos"),
    ]:
        assert re.search(rf'<option value="{value}"[^>]*>{label}</option>', html), value


def test_an_english_workshop_board_is_english_for_a_spanish_browser(client, facilitator, workshop):
    code = workshop["code"]
    for viewer in (client, facilitator):
        html = board_page(viewer, code, SPANISH_BROWSER)
        assert '<html lang="en"' in html
        assert 'aria-label="Notes by section"' in html
        assert "<dt>connected</dt>" in html
        assert "Notas por sección" not in html
        catalogue = script_catalogue(html)
        assert "en" == catalogue["lang"]
        assert {} == catalogue["messages"]
    html = board_page(facilitator, code, SPANISH_BROWSER)
    assert re.search(r'<option value="vote"[^>]*>Voting</option>', html)


def test_the_board_catalogue_holds_the_spanish_of_its_scripts_and_only_theirs(
    client, facilitator, workshop
):
    code = workshop["code"]
    set_language(facilitator, code, "es")
    catalogue = script_catalogue(board_page(client, code, "en"))
    assert "es" == catalogue["lang"]
    messages = catalogue["messages"]
    # Every message of the board's own scripts, and of the shared ones it loads, is there...
    assert script_msgids(BOARD_SCRIPTS) - set(messages) == set()
    assert script_msgids(page_scripts("board/board.js")) - set(messages) == set()
    # ...and nothing only the phone or the manage page uses.
    assert set(messages) <= script_msgids(page_scripts("board/board.js"))
    assert "Sin ordenar" == messages["Unsorted"]
    assert "Deshacer" == messages["Undo"]
    assert "Temporizador" == messages["Timer"]
    assert "Se movió a {where}" == messages["Moved to {where}"]
    assert ["{n} punto", "{n} puntos"] == messages["{n} dot"]


# -- in Chromium --------------------------------------------------------------------------------
@pytest.mark.browser
def test_a_spanish_workshop_board_builds_its_controls_in_spanish(live_server, contexts):
    workshop = live_server.create_workshop(title="Rutas seguras")
    code = workshop["code"]
    with live_server.facilitator() as session:
        response = session.patch(
            f"{live_server.base_url}/api/workshops/{code}/settings",
            json={"language": "es"},
            timeout=30,
        )
        response.raise_for_status()
    problems: list[str] = []
    context = contexts(live_server.base_url, locale="en-US")  # an English browser
    context.request.get(f"/facilitator?token={live_server.token}")  # the facilitator's cookie
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"/w/{code}/board")
    expect(page.locator("body")).to_have_attribute("data-live", "online")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # Built by the scripts: the toolbar, the column titles, the room controls.
    expect(page.locator("#undo")).to_have_text("Deshacer")
    expect(page.locator("#log-toggle")).to_have_text("Registro")
    expect(page.get_by_role("button", name="Deshacer", exact=True)).to_be_visible()
    expect(page.locator(".column.is-unsorted .column-title .label")).to_have_text("Sin ordenar")
    expect(page.locator(".room-settings summary")).to_have_text("Ajustes de la sala")
    expect(page.locator("#phase-select option[value='vote']")).to_have_text("Votando")
    # The room settings' phases are the server's, named in the board's language.
    expect(page.locator("label[for='writing-vote']")).to_have_text("Votando")
    expect(page.locator(".writing-phases label")).to_have_count(5)
    # The moderation log, written by the server, reads in the board's language too.
    with live_server.facilitator() as session:
        note = session.post(
            f"{live_server.base_url}/api/workshops/{code}/notes",
            json={"text": "Bancos a la sombra", "client_id": "log-es"},
            timeout=30,
        ).json()
        session.patch(
            f"{live_server.base_url}/api/notes/{note['id']}", json={"hidden": True}, timeout=30
        ).raise_for_status()
    page.locator("#log-toggle").click()
    expect(page.locator("#log-panel .log-summary").first).to_have_text(
        "Ocultó la nota “Bancos a la sombra”"
    )
    assert [] == problems
