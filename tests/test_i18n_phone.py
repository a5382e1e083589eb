"""The attendee's pages in the person's language: Accept-Language, the switcher, the cookie.

Through the Flask test client. The Spanish strings come from the catalogues
(workshop/translations/es), which hold the phone's messages once i18n-staging/phone-*.json
is merged into them.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.liveserver import TOKEN
from workshop.core import catalogues

BEARER = {"Authorization": f"Bearer {TOKEN}"}  # a script's call: prints new cards by GET

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
PHONE_SCRIPTS = {
    "phone/phone.js",
    "room/phone-room.js",
    "voting/phone-votes.js",
    "followup/phone-steps.js",
    "activities/phone-activities.js",
    "activities/ratings.js",
    "room/countdown.js",
    "suggestions/phone-similar.js",
    "suggestions/similar.js",
    "core/common.js",
    "core/live.js",
    "core/bus.js",
    "core/i18n.js",
}


def page(client, path: str, headers: dict | None = None) -> str:
    response = client.get(path, headers=headers or {})
    assert 200 == response.status_code, path
    return response.get_data(as_text=True)


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]*)"', html)
    assert match, "no <html lang>"
    return match.group(1)


def switcher(html: str) -> str:
    match = re.search(r'<nav class="languages[^"]*"[^>]*>.*?</nav>', html, re.S)
    assert match, "no language switcher"
    return match.group(0)


def script_catalogue(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="messages">(.*?)</script>', html, re.S)
    assert match, "no script catalogue"
    return json.loads(match.group(1))


def lang_cookie(client) -> str | None:
    cookie = client.get_cookie("lang")
    return cookie.value if cookie else None


def test_the_phone_page_speaks_the_browsers_language(client, workshop):
    html = page(client, f"/j/{workshop['code']}", SPANISH)
    assert "es" == html_lang(html)
    assert "Enviar nota" in html  # the Send button
    assert "Elija una pregunta y escriba su nota" in html and "Sus notas" in html
    assert "Send note" not in html
    nav = switcher(html)
    assert 'aria-label="Idioma"' in nav
    assert re.search(
        r'<a href="[^"]*\?lang=es" lang="es"[^>]*aria-current="true"><strong>Español</strong></a>',
        nav,
    )
    assert re.search(r'<a href="[^"]*\?lang=en" lang="en"[^>]*>English</a>', nav)
    assert 1 == nav.count("aria-current")
    assert lang_cookie(client) is None  # only the switcher sets the cookie


def test_the_switcher_overrides_the_browser_and_is_remembered(client, workshop):
    code = workshop["code"]
    response = client.get(f"/j/{code}?lang=en", headers=SPANISH)
    html = response.get_data(as_text=True)
    assert "en" == html_lang(html)
    assert "Send note" in html and "Enviar nota" not in html
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith("lang=en;") and "Max-Age=31536000" in set_cookie
    assert "en" == lang_cookie(client)

    # The cookie now wins over the browser's Accept-Language…
    html = page(client, f"/j/{code}", SPANISH)
    assert "en" == html_lang(html) and "Send note" in html
    assert 'aria-current="true"><strong>English</strong></a>' in switcher(html)

    # …until the switcher is used again.
    assert "es" == html_lang(page(client, f"/j/{code}?lang=es"))
    html = page(client, f"/j/{code}", {"Accept-Language": "en-US"})
    assert "es" == html_lang(html) and "Enviar nota" in html
    assert "es" == lang_cookie(client)


def test_an_unknown_language_falls_back_to_english(client, workshop):
    html = page(client, f"/j/{workshop['code']}?lang=xx", {"Accept-Language": "de-DE"})
    assert "en" == html_lang(html)
    assert lang_cookie(client) is None


def _script_msgids() -> dict[str, set[str]]:
    """Each msgid of the script domain with the scripts that use it."""
    return {
        (message.id[0] if isinstance(message.id, tuple) else message.id): {
            location.removeprefix("static/js/") for location, _ in message.locations
        }
        for message in catalogues.extract("js")
        if message.id
    }


def test_the_phone_page_carries_only_its_scripts_messages(client, workshop):
    html = page(client, f"/j/{workshop['code']}", SPANISH)
    catalogue = script_catalogue(html)
    assert "es" == catalogue["lang"]
    messages = catalogue["messages"]
    assert "Enviando…" == messages.get("Sending…")
    assert ["queda {n} punto", "quedan {n} puntos"] == messages.get("{n} dot left")
    assert "Votación" == messages.get("Voting")  # common.js's phase names
    used = _script_msgids()
    elsewhere = {msgid for msgid, files in used.items() if not files & PHONE_SCRIPTS}
    assert elsewhere, "other pages' scripts have messages of their own"
    assert set(messages) <= {msgid for msgid, files in used.items() if files & PHONE_SCRIPTS}
    assert not set(messages) & elsewhere


@pytest.mark.parametrize("path", ["/", "/card", "/w/{code}/summary"])
def test_the_other_attendee_pages_have_the_switcher(client, workshop, path):
    html = page(client, path.format(code=workshop["code"]), SPANISH)
    assert "es" == html_lang(html)
    nav = switcher(html)
    assert 'lang="en"' in nav and 'lang="es"' in nav
    assert 'id="messages"' not in html  # no scripts, so no script messages


def test_the_card_page_has_the_switcher_and_its_scripts_messages(
    app, client, facilitator, workshop
):
    facilitator.get(f"/api/workshops/{workshop['code']}/cards.pdf?count=1", headers=BEARER)
    card = app.extensions["workshop"].store.db.execute("SELECT code FROM cards").fetchone()[0]
    html = page(client, f"/c/{card}", SPANISH)
    assert "es" == html_lang(html)
    assert f"/c/{card}?lang=en" in switcher(html)
    assert "Enviar nota" in html
    messages = script_catalogue(html)["messages"]
    assert "recibida ✓" == messages.get("received ✓")
    assert "Sending…" not in messages  # phone.js's, not the card page's


def test_the_switcher_after_a_form_post_without_javascript_leads_back_to_the_phone(
    client, workshop
):
    code = workshop["code"]
    html = page(client, f"/j/{code}")
    token = re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)
    response = client.post(f"/j/{code}/note", data={"csrf_token": token, "text": ""})
    assert 400 == response.status_code
    nav = switcher(response.get_data(as_text=True))
    assert f'href="/j/{code}?lang=es"' in nav and "/note?" not in nav
