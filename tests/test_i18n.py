"""The language machinery itself: catalogues, choosing a language, plural forms, errors."""

from __future__ import annotations

import pytest

from workshop.core import i18n
from workshop.core.errors import Invalid, RateLimited
from workshop.core.settings import validate_workshop_settings


def test_english_and_spanish_are_offered_by_their_own_names():
    assert {"en": "English", "es": "Español"} == i18n.languages()


@pytest.mark.parametrize(
    ("asked", "chosen"),
    [
        (["es-MX", "en"], "es"),
        (["fr-FR", "es"], "es"),
        (["de", "fr"], "en"),
        ([], "en"),
        (["ES_es"], "es"),
    ],
)
def test_the_first_language_the_browser_asks_for_that_we_have(asked, chosen):
    assert chosen == i18n.best_language(asked)


def test_an_unknown_language_speaks_english():
    assert "Send note" == i18n.translations("xx").gettext("Send note")
    assert "Send note" == i18n.translations("en").gettext("Send note")


def test_spanish_translates_from_the_po_file():
    spanish = i18n.translations("es")
    assert "Taller" == spanish.gettext("Workshop")


def test_plural_forms_map_cldr_categories_to_the_catalogue_forms():
    assert {"one": 0, "other": 1} == i18n.plural_forms("en")
    forms = i18n.plural_forms("es")
    assert 0 == forms["one"] and 1 == forms["other"]


def test_the_script_catalogue_holds_only_the_messages_of_the_named_scripts():
    everything = i18n.script_messages("es")
    phone_only = i18n.script_messages("es", ["phone/phone.js"])
    assert phone_only and len(phone_only) < len(everything)
    assert set(phone_only) <= set(everything)
    assert {} == i18n.script_messages("en")


def test_a_domain_error_keeps_its_english_message_and_translates_with_its_params():
    error = Invalid("A note is at most %(limit)s characters.", limit=280)
    assert "A note is at most 280 characters." == error.message
    assert "Una nota tiene 280" == error.translated(lambda text: "Una nota tiene %(limit)s")


def test_a_broken_translation_falls_back_to_english():
    error = Invalid("At most %(limit)s.", limit=3)
    assert "At most 3." == error.translated(lambda text: "Como mucho %(limite)s.")


def test_a_rate_limit_error_keeps_its_retry_time():
    error = RateLimited("Slow down: %(seconds)s s.", 4.0, seconds=4)
    assert 4.0 == error.retry_after
    assert "Slow down: 4 s." == error.message


def test_a_message_without_params_may_hold_a_percent_sign():
    assert "100% sure" == Invalid("100% sure").message


def test_the_workshop_language_is_a_setting_checked_against_the_catalogues():
    assert "en" == validate_workshop_settings(None)["language"]
    assert "es" == validate_workshop_settings({"language": "es"})["language"]
    for wrong in ("fr", "", 3, None, ["es"]):
        with pytest.raises(Invalid, match="language"):
            validate_workshop_settings({"language": wrong})


# -- the moderation log in the reader's language ------------------------------------------


def _hide_first_note(app, facilitator, workshop) -> int:
    note = facilitator.post(
        f"/api/workshops/{workshop['code']}/notes", json={"text": "Más bancos", "client_id": "m1"}
    ).get_json()
    assert 200 == facilitator.patch(f"/api/notes/{note['id']}", json={"hidden": True}).status_code
    return note["id"]


def test_the_moderation_log_reads_in_the_language_asked_for(app, facilitator, workshop):
    note_id = _hide_first_note(app, facilitator, workshop)
    url = f"/api/workshops/{workshop['code']}/moderation"
    english = facilitator.get(url).get_json()[-1]
    spanish = facilitator.get(url + "?lang=es").get_json()[-1]
    assert f"Hid note #{note_id}" == english["summary"]
    assert f"Ocultó la nota #{note_id}" == spanish["summary"]
    # The board names the note itself from the template and its parameters.
    assert ("Ocultó la nota #%(note)s", {"note": note_id}) == (
        spanish["template"],
        spanish["params"],
    )
    # An API call in a page's language does not change the person's language choice.
    assert "lang=" not in facilitator.get(url + "?lang=es").headers.get("Set-Cookie", "")


def test_undo_says_what_it_undid_in_the_callers_language(app, facilitator, workshop):
    note_id = _hide_first_note(app, facilitator, workshop)
    response = facilitator.post(
        f"/api/workshops/{workshop['code']}/undo", headers={"Accept-Language": "es"}
    )
    assert f"Ocultó la nota #{note_id}" == response.get_json()["summary"]


def test_log_entries_from_before_the_parameters_read_as_written(app, facilitator, workshop):
    from workshop.board import moderation

    store = app.extensions["workshop"].store
    with store.transaction() as db:
        db.execute(
            "INSERT INTO moderation_log (workshop_id, action, summary, note_ids, snapshot,"
            " created_at) VALUES (?, 'hide', 'Hid note #7', '[]', '[]', '2026-11-26')",
            [db.execute("SELECT id FROM workshops").fetchone()[0]],
        )
    entry = moderation.moderation_log(store.db, workshop["code"], "es")[-1]
    assert ("Hid note #7", {}) == (entry["summary"], entry["params"])


def test_a_spanish_workshop_gets_the_default_plan_in_spanish(store):
    from workshop.workshops import workshops

    made = workshops.create_workshop(
        store,
        title="Rutas seguras",
        prompts=[{"text": "¿Es realista el cronograma?", "section": "Timeline"}],
        settings={"language": "es"},
    )
    titles = [section["title"] for section in made["sections"]]
    assert "Objetivo y caso de uso" == titles[0]
    assert "Cronograma" in titles
    timeline = next(s for s in made["sections"] if s["title"] == "Cronograma")
    assert timeline["id"] == made["prompts"][0]["section_id"]  # named in English, still found
    english = workshops.create_workshop(store, title="Safer routes")
    assert "Goal and use case" == english["sections"][0]["title"]


def test_the_summary_writes_a_due_date_out_in_the_readers_language(app, facilitator, workshop):
    code = workshop["code"]
    body = {"text": "Publicar las rutas", "due": "2027-01-15"}
    assert 201 == facilitator.post(f"/api/workshops/{code}/next-steps", json=body).status_code
    reader = app.test_client()
    spanish = reader.get(f"/w/{code}/summary", headers={"Accept-Language": "es"})
    english = reader.get(f"/w/{code}/summary", headers={"Accept-Language": "en"})
    assert "para el 15 ene 2027" in spanish.get_data(as_text=True)
    assert "by Jan 15, 2027" in english.get_data(as_text=True)
