"""The facilitator's pages (home, manage) in the facilitator's language, and the workshop's
own language chosen on the manage page.

The home and manage pages speak the facilitator's language (the switcher's ``?lang=``, else
the browser's); the workshop's ``language`` setting (its board and printed material) is a
select of the catalogues' languages in the manage page's settings form. The Spanish texts
asserted here come from workshop/translations/es (i18n-staging/manage-*.json until merged).
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
import requests
from playwright.sync_api import expect

from workshop.core import i18n

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
LAPTOP = {"width": 1280, "height": 900}


def page_messages(html: str) -> dict:
    """The page's script catalogue (the <script id="messages"> JSON)."""
    found = re.search(r'<script type="application/json" id="messages">(.*?)</script>', html, re.S)
    assert found, "the page has no script catalogue"
    return json.loads(found.group(1))


def manage_page(client, code: str, **options) -> str:
    response = client.get(f"/w/{code}/manage", **options)
    assert 200 == response.status_code
    return response.get_data(as_text=True)


# -- the facilitator's language --------------------------------------------------------------


def test_the_manage_page_speaks_the_browsers_spanish(facilitator, workshop):
    html = manage_page(facilitator, workshop["code"], headers=SPANISH)
    assert '<html lang="es"' in html
    for spanish in (
        "Próximos pasos",
        "Guardar la configuración",
        "Crear un enlace de transcripción",
    ):
        assert spanish in html
    for english in ("Save settings", "Make a scribe link", "Physical dots"):
        assert english not in html
    # The settings' help comes from Python (N_), translated where the form is drawn.
    assert "Dots each attendee may place when voting." not in html
    # The scripts get their own messages, in Spanish, with the page.
    catalogue = page_messages(html)
    assert "es" == catalogue["lang"]
    assert "Sí, quitar" == catalogue["messages"]["Yes, remove"]
    assert ["{n} voto en total", "{n} votos en total"] == catalogue["messages"]["{n} vote in all"]


def test_the_switcher_brings_english_back(facilitator, workshop):
    code = workshop["code"]
    html = manage_page(facilitator, code, query_string={"lang": "en"}, headers=SPANISH)
    assert '<html lang="en"' in html
    assert "Save settings" in html and "Guardar la configuración" not in html
    assert {"lang": "en", "messages": {}} == {
        key: page_messages(html)[key] for key in ("lang", "messages")
    }
    # The choice is remembered: the next page is English too, whatever the browser says.
    assert '<html lang="en"' in manage_page(facilitator, code, headers=SPANISH)


def test_the_pages_carry_a_language_switcher(facilitator, workshop):
    for path in ("/", f"/w/{workshop['code']}/manage"):
        html = facilitator.get(path, query_string={"lang": "en"}).get_data(as_text=True)
        links = re.findall(r'<a href="([^"]*[?&]lang=(\w+)[^"]*)"', html)
        assert {code for _, code in links} >= {"en", "es"}, path
        assert all(href.startswith(path) for href, _ in links), path


def test_the_home_page_speaks_spanish(facilitator, workshop):
    html = facilitator.get("/", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es"' in html
    assert "Nuevo taller" in html and "Crear el taller" in html
    assert "New workshop" not in html
    # The default prompt points at the default section by its (translated) title.
    assert "¿Qué es poco realista del cronograma? @ Cronograma" in html
    assert "\nCronograma | " in html
    assert "0 notas · Escribiendo" in html


def test_the_home_page_defaults_make_a_workshop_in_either_language(facilitator):
    """The pre-filled sections and prompts agree with each other in every language (a prompt
    names its section by title), as home.js sends them."""
    for language in i18n.languages():
        html = facilitator.get("/", query_string={"lang": language}).get_data(as_text=True)
        sections = re.search(r'<textarea id="w-sections"[^>]*>(.*?)</textarea>', html, re.S)
        prompts = re.search(r'<textarea id="w-prompts"[^>]*>(.*?)</textarea>', html, re.S)
        body = {
            "title": f"Taller {language}",
            "sections": [
                {"title": title.strip(), "body": rest.strip()}
                for title, _, rest in (
                    line.partition("|") for line in unescape(sections.group(1)).splitlines()
                )
                if title.strip()
            ],
            "prompts": [
                prompt(line) for line in unescape(prompts.group(1)).splitlines() if line.strip()
            ],
        }
        response = facilitator.post("/api/workshops", json=body)
        assert 201 == response.status_code, (language, response.get_json())


def prompt(line: str) -> dict:
    """A prompt line as home.js reads it: "text @ Section title" points it at a section."""
    text, at, section = line.rpartition(" @ ")
    return {"text": text.strip(), "section": section.strip()} if at else {"text": line.strip()}


# -- the workshop's language ------------------------------------------------------------------


def test_the_workshops_language_is_a_select_of_the_languages(facilitator, workshop):
    html = manage_page(facilitator, workshop["code"], query_string={"lang": "en"})
    select = re.search(
        r'<select id="setting-language" name="language"[^>]*>(.*?)</select>', html, re.S
    )
    assert select, "no language select in the settings form"
    options = re.findall(
        r'<option value="(\w+)"[^>]*?( selected)?>([^<]+)</option>', select.group(1)
    )
    assert [(code, name) for code, _, name in options] == list(i18n.languages().items())
    assert ["en"] == [code for code, selected, _ in options if selected]
    # Among the settings shown first, not folded away with the rate limits.
    assert html.index('id="setting-language"') < html.index('class="more-settings"')


@pytest.mark.browser
def test_the_facilitator_sets_the_workshops_language_on_the_manage_page(live_server, contexts):
    code = live_server.create_workshop(title="Rutas seguras")["code"]
    context = contexts(live_server.base_url, LAPTOP, locale="en-US")
    problems: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"/facilitator?token={live_server.token}")
    page.goto(f"/w/{code}/manage")
    expect(page.locator("body")).to_have_attribute("data-live", "online")

    language = page.locator("#setting-language")
    expect(language).to_have_value("en")
    language.select_option("es")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-status")).to_have_text("Saved.")

    settings = requests.get(f"{live_server.base_url}/api/workshops/{code}", timeout=30).json()[
        "settings"
    ]
    assert "es" == settings["language"]
    # The workshop's language is the board's; the facilitator's own pages keep theirs.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#setting-language")).to_have_value("es")
    assert problems == []


@pytest.mark.browser
def test_a_spanish_browser_gets_the_scripts_words_in_spanish(live_server, contexts):
    code = live_server.create_workshop(title="Rutas seguras")["code"]
    context = contexts(live_server.base_url, LAPTOP, locale="es-MX")
    page = context.new_page()
    page.goto(f"/facilitator?token={live_server.token}")
    page.goto(f"/w/{code}/manage")
    expect(page.locator("body")).to_have_attribute("data-live", "online")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#phase-name")).to_have_text("Escribiendo")
    expect(page.locator("#missing-count")).to_have_text("Todavía no hay notas.")
    page.get_by_role("button", name="Guardar la configuración").click()
    expect(page.locator("#settings-status")).to_have_text(
        "Nada que guardar: no cambió ninguna opción."
    )
